import EucaCore

/// VPN gateways, customer gateways and VPN connections; bundle tasks; product instances and instance types.
let vpnCommands: [CommandEntry] = [
]
