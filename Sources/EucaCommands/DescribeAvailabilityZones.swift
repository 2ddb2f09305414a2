import EucaCore

let describeAvailabilityZones = Command(
    "euca-describe-availability-zones",
    summary: "display availability zones within the current region",
    details: "On Eucalyptus clouds, the zone name \"verbose\" lists each zone's resources.",
    service: .ec2,
    positionals: [
        Positional("ZONE", arity: .zeroOrMore,
                   help: "limit results to specific availability zones (or \"verbose\")",
                   parameter: .numbered("ZoneName")),
    ],
    filters: ["message", "region-name", "state", "zone-id", "zone-name"],
    action: .query("DescribeAvailabilityZones", printer: .availabilityZones))
