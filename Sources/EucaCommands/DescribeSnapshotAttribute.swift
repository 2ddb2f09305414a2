import EucaCore

let describeSnapshotAttribute = Command(
    "euca-describe-snapshot-attribute",
    summary: "show information about an attribute of a snapshot",
    details: "Prints one line per value: createVolumePermission SNAPSHOT userId|group VALUE, or productCodes SNAPSHOT productCode CODE.",
    service: .ec2,
    options: [
        Option.flag("-c", "--create-volume-permission",
                    help: "show who may create volumes from the snapshot",
                    parameter: .constant("Attribute", "createVolumePermission")),
        Option.flag("-p", "--product-codes", help: "list the snapshot's product codes",
                    parameter: .constant("Attribute", "productCodes")),
    ],
    positionals: [
        Positional("SNAPSHOT", type: .nonEmpty, help: "ID of the snapshot to describe",
                   parameter: .flat("SnapshotId")),
    ],
    constraints: [.exactlyOne(["create-volume-permission", "product-codes"])],
    action: .query("DescribeSnapshotAttribute", printer: .snapshotAttribute))
