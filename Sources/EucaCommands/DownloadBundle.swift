import EucaCore

let downloadBundle = Command(
    "euca-download-bundle",
    summary: "download a bundle from the cloud",
    details: "Downloads the bundle's parts, several at a time, and then its manifest into DIR (created if missing, and removed again if the download fails before anything is written into it), and prints \"Wrote manifest DIR/NAME.manifest.xml\"; run euca-unbundle on them to get the image back. Each part is checked against the manifest's SHA-1 before it appears under its name, so every part file present is complete and correct, and running the command again downloads only what is missing. Without -p, -m or --local-manifest, every bundle in BUCKET[/PREFIX] is downloaded, as euca2ools 1.x did. With -d - the bundle's parts are written, in order, to standard output (for euca-unbundle-stream).",
    service: .s3,
    options: BundleTransferOptions.bundleChoice(action: "download") + [
        Option("-d", "--directory", metavar: "DIR", type: .directoryPath,
               help: "the directory to download the bundle to, created if missing, or \"-\" to write the bundle's parts to standard output (default: the current directory)"),
    ] + ProgressOptions.options,
    constraints: BundleTransferOptions.bundleChoiceConstraints + ProgressOptions.constraints,
    action: .custom { invocation in try await BundleDownloadTool.run(invocation) })
