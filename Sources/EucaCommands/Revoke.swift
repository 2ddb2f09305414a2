import EucaCore

let revoke = Command(
    "euca-revoke",
    summary: "remove a rule from a security group",
    details: "Give the rule as it was given to euca-authorize. Prints GROUP and the PERMISSION line of the rule sent.",
    service: .ec2,
    options: SecurityGroupRule.commandOptions,
    positionals: [
        Positional("GROUP", type: .nonEmpty, help: "name or ID (sg-…) of the security group to remove the rule from"),
    ],
    constraints: SecurityGroupRule.constraints,
    printsResponses: true,
    action: .custom { invocation in try await SecurityGroupRule.run(invocation, authorize: false) })
