import EucaCore

let describeAccountAttributes = Command(
    "euca-describe-account-attributes",
    summary: "show information about your account",
    details: "Prints ACCOUNTATTRIBUTE and the attribute's name, then a VALUE line for each of its values.",
    service: .ec2,
    positionals: [
        Positional("ATTRIBUTE", arity: .zeroOrMore,
                   help: "limit results to specific account attributes (e.g. supported-platforms, default-vpc)",
                   parameter: .numbered("AttributeName")),
    ],
    action: .query("DescribeAccountAttributes", printer: .accountAttributes))
