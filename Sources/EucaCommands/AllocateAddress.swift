import EucaCore

let allocateAddress = Command(
    "euca-allocate-address",
    summary: "allocate a public IP address",
    details: "Prints ADDRESS, the address, its domain (standard or vpc) and, for a VPC address, its allocation ID.",
    service: .ec2,
    options: [
        Option("-d", "--domain", metavar: "vpc", type: .choice(["vpc", "standard"]),
               help: "[VPC only] \"vpc\" to allocate the address for use in a VPC",
               parameter: .flat("Domain")),
    ],
    action: .query("AllocateAddress", printer: .allocatedAddress))
