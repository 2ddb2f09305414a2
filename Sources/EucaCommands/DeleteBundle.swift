import EucaCore

let deleteBundle = Command(
    "euca-delete-bundle",
    summary: "delete a previously-uploaded bundle",
    details: "Deletes the bundle's parts, then its manifest. When the manifest is already gone, the parts are found by listing NAME.part.* in BUCKET[/PREFIX]. Without -p, -m or --local-manifest, every bundle in BUCKET[/PREFIX] is deleted, with any parts left without a manifest, as euca2ools 1.x did.",
    service: .s3,
    options: BundleTransferOptions.bundleChoice(action: "delete") + [
        Option.flag("--clear", help: "delete the bucket as well (it must be empty by then)"),
    ],
    constraints: BundleTransferOptions.bundleChoiceConstraints,
    action: .custom { invocation in try await BundleDeleteTool.run(invocation) })
