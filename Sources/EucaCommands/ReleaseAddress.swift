import EucaCore

let releaseAddress = Command(
    "euca-release-address",
    summary: "release an elastic IP address",
    details: "Give a classic address by its IP, a VPC address by its allocation ID (-a, or eipalloc-… in place of the IP). Prints ADDRESS, the IP and the allocation ID as given.",
    service: .ec2,
    options: [
        Option("-a", "--allocation-id", metavar: "ALLOCATION", type: .nonEmpty,
               help: "[VPC only] allocation ID of the address to release", parameter: .flat("AllocationId")),
    ],
    positionals: [
        Positional("ADDRESS", arity: .optional,
                   help: "the elastic IP address to release (classic), or its allocation ID",
                   parameter: Addresses.addressOrId("eipalloc-", "AllocationId")),
    ],
    constraints: [.exactlyOne(["allocation-id", "address"])],
    action: .query("ReleaseAddress",
                   printer: Printer(withArguments: { _, arguments in
        [Record("ADDRESS", arguments.string("address"), arguments.string("allocation-id"))]
    })))
