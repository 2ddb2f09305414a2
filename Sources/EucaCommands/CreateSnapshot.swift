import EucaCore

let createSnapshot = Command(
    "euca-create-snapshot",
    summary: "create a snapshot of a volume",
    details: "Prints the SNAPSHOT line: ID, volume, status, start time, owner, volume size and description.",
    service: .ec2,
    options: [
        Option("-d", "--description", metavar: "DESC", help: "snapshot description",
               parameter: .flat("Description")),
    ],
    positionals: [
        Positional("VOLUME", type: .nonEmpty, help: "ID of the volume to create a snapshot of",
                   parameter: .flat("VolumeId")),
    ],
    action: .query("CreateSnapshot", printer: .createdSnapshot))
