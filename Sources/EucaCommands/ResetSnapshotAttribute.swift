import EucaCore

let resetSnapshotAttribute = Command(
    "euca-reset-snapshot-attribute",
    summary: "reset an attribute of a snapshot to its default value",
    details: "Prints createVolumePermission SNAPSHOT RESET.",
    service: .ec2,
    options: [
        Option("-c", "--create-volume-permission",
               help: "clear the list of accounts and groups allowed to create volumes", required: true,
               parameter: .constant("Attribute", "createVolumePermission")),
    ],
    positionals: [
        Positional("SNAPSHOT", type: .nonEmpty, help: "ID of the snapshot whose attribute to reset",
                   parameter: .flat("SnapshotId")),
    ],
    action: .query("ResetSnapshotAttribute", printer: Printer(withArguments: { _, arguments in
        [Record("createVolumePermission", arguments.string("snapshot"), "RESET")]
    })))
