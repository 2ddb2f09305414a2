import EucaCore

let describeKeyPairs = Command(
    "euca-describe-keypairs",
    summary: "display information about available key pairs",
    service: .ec2,
    positionals: [
        Positional("KEYPAIR", arity: .zeroOrMore, help: "limit results to specific key pairs",
                   parameter: .numbered("KeyName")),
    ],
    filters: ["fingerprint", "key-name", "key-pair-id"],
    action: .query("DescribeKeyPairs", printer: .keyPairs))
