import EucaCore

let describeSnapshotAttribute = Command(
    "euca-describe-snapshot-attribute",
    summary: "show information about an attribute of a snapshot",
    details: "Prints one line per value: createVolumePermission SNAPSHOT userId|group VALUE, or productCodes SNAPSHOT productCode CODE.",
    service: .ec2,
    options: [
        Option.flag("-c", "--create-volume-permission",
                    help: "show who may create volumes from the snapshot"),
        Option.flag("-p", "--product-codes", help: "list the snapshot's product codes"),
    ],
    positionals: [
        Positional("SNAPSHOT", type: .nonEmpty, help: "ID of the snapshot to describe",
                   parameter: .flat("SnapshotId")),
    ],
    exclusive: [["create-volume-permission", "product-codes"]],
    action: .query("DescribeSnapshotAttribute", extraParameters: { invocation in
        try Images.oneAttribute(invocation.arguments, [
            ("create-volume-permission", "createVolumePermission"), ("product-codes", "productCodes"),
        ], names: "-c/--create-volume-permission or -p/--product-codes")
    }, printer: .snapshotAttribute))
