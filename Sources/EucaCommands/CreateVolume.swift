import EucaCore

let createVolume = Command(
    "euca-create-volume",
    summary: "create a new volume",
    details: "Give a size, a snapshot, or both (the size must then be at least the snapshot's). Prints the new volume's VOLUME line: ID, size, snapshot, zone, status and creation time.",
    service: .ec2,
    options: [
        Option("-z", "--availability-zone", "--zone", metavar: "ZONE", type: .nonEmpty,
               help: "availability zone in which to create the new volume", required: true,
               parameter: .flat("AvailabilityZone"), key: "availability-zone"),
        Option("-s", "--size", metavar: "GiB", type: .integer(1...Int.max),
               help: "size of the new volume in GiB (required unless --snapshot is given)",
               parameter: .flat("Size")),
        Option("--snapshot", metavar: "SNAPSHOT", type: .nonEmpty,
               help: "snapshot from which to create the new volume", parameter: .flat("SnapshotId")),
        Option("-t", "--type", metavar: "VOLTYPE", type: .nonEmpty,
               help: "volume type (standard, gp2, io1, …)", parameter: .flat("VolumeType")),
        Option("-i", "--iops", metavar: "IOPS", type: .integer(1...Int.max),
               help: "number of I/O operations per second (needs -t/--type, not standard)",
               parameter: .flat("Iops")),
        Option.flag("--encrypted", help: "encrypt the new volume",
                    parameter: .constant("Encrypted", "true")),
    ],
    constraints: [
        .atLeastOne(["size", "snapshot"]),
        .requires("iops", "type"),
        .notWith("iops", "type", value: "standard"),
    ],
    action: .query("CreateVolume", printer: .createdVolume))
