import EucaCore

/// VPCs, subnets, route tables, internet and NAT gateways.
let vpcCommands: [CommandEntry] = [
]
