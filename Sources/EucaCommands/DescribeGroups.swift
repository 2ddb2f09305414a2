import EucaCore

let describeGroups = Command(
    "euca-describe-groups",
    summary: "show information about security groups",
    details: "Filters match literal strings only: --filter ip-permission.from-port=22 does not match a rule for ports 20 to 30.",
    service: .ec2,
    positionals: [
        Positional("GROUP", arity: .zeroOrMore,
                   help: "limit results to specific security groups, by name or by ID (sg-…)",
                   parameter: .groupNamesOrIds(names: "GroupName", ids: "GroupId")),
    ],
    filters: ["description", "egress.ip-permission.cidr", "egress.ip-permission.from-port",
              "egress.ip-permission.group-id", "egress.ip-permission.group-name",
              "egress.ip-permission.protocol", "egress.ip-permission.to-port",
              "egress.ip-permission.user-id", "group-id", "group-name", "ip-permission.cidr",
              "ip-permission.from-port", "ip-permission.group-id", "ip-permission.group-name",
              "ip-permission.protocol", "ip-permission.to-port", "ip-permission.user-id",
              "owner-id", "tag-key", "tag-value", "vpc-id"],
    action: .query("DescribeSecurityGroups", paginated: true, printer: .securityGroups))
