import EucaCore

let describeRegions = Command(
    "euca-describe-regions",
    summary: "display information about regions",
    service: .ec2,
    positionals: [
        Positional("REGION", arity: .zeroOrMore, help: "limit results to specific regions",
                   parameter: .numbered("RegionName"), key: "region-name"),
    ],
    filters: ["endpoint", "region-name"],
    action: .query("DescribeRegions", printer: .regions))
