import EucaCore

let deleteVolume = Command(
    "euca-delete-volume",
    summary: "delete a volume",
    service: .ec2,
    positionals: [
        Positional("VOLUME", type: .nonEmpty, help: "ID of the volume to delete", parameter: .flat("VolumeId")),
    ],
    action: .query("DeleteVolume", printer: .echo("VOLUME", argument: "volume")))
