import EucaCore

/// Network ACLs, network interfaces, DHCP options and VPC peering.
let networkCommands: [CommandEntry] = [
]
