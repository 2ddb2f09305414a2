import EucaCore

let deleteSnapshot = Command(
    "euca-delete-snapshot",
    summary: "delete a snapshot",
    service: .ec2,
    positionals: [
        Positional("SNAPSHOT", type: .nonEmpty, help: "ID of the snapshot to delete",
                   parameter: .flat("SnapshotId")),
    ],
    action: .query("DeleteSnapshot", printer: .echo("SNAPSHOT", argument: "snapshot")))
