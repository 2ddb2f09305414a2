import EucaCore

let describeVolumes = Command(
    "euca-describe-volumes",
    summary: "display information about volumes",
    details: "Prints a VOLUME line per volume (ID, size, snapshot, zone, status, creation time, type, IOPS), followed by its ATTACHMENT and TAG lines.",
    service: .ec2,
    positionals: [
        Positional("VOLUME", arity: .zeroOrMore, help: "limit results to specific volumes",
                   parameter: .numbered("VolumeId")),
    ],
    filters: ["attachment.attach-time", "attachment.delete-on-termination", "attachment.device",
              "attachment.instance-id", "attachment.status", "availability-zone", "create-time",
              "encrypted", "size", "snapshot-id", "status", "tag-key", "tag-value", "volume-id",
              "volume-type"],
    action: .query("DescribeVolumes", paginated: true, printer: .volumes))
