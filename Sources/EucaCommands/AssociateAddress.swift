import EucaCore

let associateAddress = Command(
    "euca-associate-address",
    summary: "associate an elastic IP address with an instance or network interface",
    details: "Give a classic address by its IP, a VPC address by its allocation ID (-a, or eipalloc-… in place of the IP). Prints ADDRESS IP INSTANCE for a classic address, ADDRESS INSTANCE ALLOCATION ASSOCIATION PRIVATE-IP for a VPC one.",
    service: .ec2,
    options: [
        Option("-a", "--allocation-id", metavar: "ALLOCATION", type: .nonEmpty,
               help: "[VPC only] allocation ID of the address", parameter: .flat("AllocationId")),
        Option("-i", "--instance-id", "--instance", metavar: "INSTANCE", type: .nonEmpty,
               help: "ID of the instance to associate the address with",
               parameter: .flat("InstanceId"), key: "instance-id"),
        Option("-n", "--network-interface", metavar: "INTERFACE", type: .nonEmpty,
               help: "[VPC only] network interface to associate the address with",
               parameter: .flat("NetworkInterfaceId")),
        Option("-p", "--private-ip-address", metavar: "ADDRESS", type: .nonEmpty,
               help: "[VPC only] private address to associate the address with (default: the primary private address)",
               parameter: .flat("PrivateIpAddress")),
        Option.flag("--allow-reassociation",
                    help: "[VPC only] allow the address to be associated even if it is already associated",
                    parameter: .constant("AllowReassociation", "true")),
        Option.flag("--no-allow-reassociation",
                    help: "[VPC only] fail if the address is already associated",
                    parameter: .constant("AllowReassociation", "false")),
    ],
    positionals: [
        Positional("ADDRESS", arity: .optional,
                   help: "the elastic IP address to associate (classic), or its allocation ID",
                   parameter: Addresses.addressOrId("eipalloc-", "AllocationId")),
    ],
    exclusive: [["instance-id", "network-interface"], ["allow-reassociation", "no-allow-reassociation"]],
    action: .query("AssociateAddress", extraParameters: Addresses.checkAssociate,
                   printer: .associatedAddress))
