import EucaCore

let describeAddresses = Command(
    "euca-describe-addresses",
    summary: "show information about elastic IP addresses",
    details: "Prints an ADDRESS line per address: IP, instance, domain (standard or vpc), allocation ID, association ID, network interface, private address.",
    service: .ec2,
    positionals: [
        Positional("ADDRESS", arity: .zeroOrMore,
                   help: "limit results to specific elastic IP addresses or allocation IDs (eipalloc-…)",
                   parameter: Addresses.describeBinding),
    ],
    filters: ["allocation-id", "association-id", "domain", "instance-id", "network-interface-id",
              "network-interface-owner-id", "private-ip-address", "public-ip"],
    action: .query("DescribeAddresses", printer: .addresses))
