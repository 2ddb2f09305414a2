/// The resource type EC2 tools show for an id, from its prefix (`i-` instance, `vol-`
/// volume, …; Eucalyptus' `emi-`/`eki-`/`eri-` are images like `ami-`).
public enum ResourceType {
    static let byPrefix: [String: String] = [
        "eipalloc": "allocation-id", "bun": "bundle", "import": "conversion-task",
        "cgw": "customer-gateway", "dopt": "dhcp-options", "export": "export-task",
        "aki": "image", "ami": "image", "ari": "image", "eki": "image", "emi": "image", "eri": "image",
        "i": "instance", "igw": "internet-gateway", "acl": "network-acl", "eni": "network-interface",
        "rtb": "route-table", "sg": "security-group", "snap": "snapshot",
        "sir": "spot-instances-request", "subnet": "subnet", "vol": "volume", "vpc": "vpc",
        "pcx": "vpc-peering-connection", "vpn": "vpn-connection", "vgw": "vpn-gateway",
    ]

    public static func of(_ id: String) -> String? {
        guard let dash = id.firstIndex(of: "-") else { return nil }
        return byPrefix[String(id[..<dash])]
    }
}
