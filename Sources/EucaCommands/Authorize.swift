import EucaCore

let authorize = Command(
    "euca-authorize",
    summary: "add a rule to a security group that allows traffic to pass",
    details: "The rule allows the protocol and ports given from the address ranges given with -s (0.0.0.0/0 when there is none), or from the members of the group given with -o — and then from that group only. Prints GROUP and the PERMISSION line of the rule sent.",
    service: .ec2,
    options: SecurityGroupRule.commandOptions,
    positionals: [
        Positional("GROUP", type: .nonEmpty, help: "name or ID (sg-…) of the security group to add the rule to"),
    ],
    constraints: SecurityGroupRule.constraints,
    printsResponses: true,
    action: .custom { invocation in try await SecurityGroupRule.run(invocation, authorize: true) })
