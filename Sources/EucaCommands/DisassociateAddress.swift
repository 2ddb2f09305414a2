import EucaCore

let disassociateAddress = Command(
    "euca-disassociate-address",
    summary: "disassociate an elastic IP address from an instance",
    details: "Give a classic address by its IP, a VPC address by its association ID (-a, or eipassoc-… in place of the IP). Prints ADDRESS and what was given.",
    service: .ec2,
    options: [
        Option("-a", "--association-id", metavar: "ASSOCIATION", type: .nonEmpty,
               help: "[VPC only] the address's association ID", parameter: .flat("AssociationId")),
    ],
    positionals: [
        Positional("ADDRESS", arity: .optional,
                   help: "the elastic IP address to disassociate (classic), or its association ID",
                   parameter: Addresses.addressOrId("eipassoc-", "AssociationId")),
    ],
    constraints: [.exactlyOne(["association-id", "address"])],
    action: .query("DisassociateAddress",
                   printer: Printer(withArguments: { _, arguments in
        [Record("ADDRESS", arguments.string("address") ?? arguments.string("association-id"))]
    })))
