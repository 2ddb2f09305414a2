import EucaCore

let describeRegions = Command(
    "euca-describe-regions",
    summary: "display information about regions",
    service: .ec2,
    positionals: [
        Positional("REGION", arity: .zeroOrMore, help: "limit results to specific regions",
                   parameter: .numbered("RegionName")),
    ],
    filters: ["endpoint", "region-name"],
    action: .query("DescribeRegions", printer: .regions))
