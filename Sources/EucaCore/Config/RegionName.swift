/// Signing-region helpers: a region named by the user may carry a euca2ools namespace
/// (`aws:us-east-1`), and an AWS endpoint host names its own region.
public enum RegionName {
    /// `aws:us-east-1` → `us-east-1`; plain names unchanged.
    public static func signingName(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    /// The region an AWS endpoint host belongs to, or nil for any host that does not say
    /// (a private cloud, an IP address): we never invent a name from a non-AWS host.
    /// `ec2.eu-west-1.amazonaws.com` → eu-west-1, `s3-us-west-2.amazonaws.com` → us-west-2,
    /// `ec2.amazonaws.com` and `s3.amazonaws.com` → us-east-1.
    public static func fromEndpointHost(_ host: String) -> String? {
        let lower = host.lowercased()
        guard lower.hasSuffix(".amazonaws.com") || lower.hasSuffix(".amazonaws.com.cn") else {
            return nil
        }
        let labels = lower.split(separator: ".").map(String.init)
        for label in labels {
            if isRegion(label) { return label }
            for prefix in ["s3-", "ec2-"] where label.hasPrefix(prefix) {
                let rest = String(label.dropFirst(prefix.count))
                if isRegion(rest) { return rest }
            }
        }
        if labels.first == "ec2" || labels.contains("s3") || labels.first == "s3-external-1" {
            return "us-east-1"
        }
        return nil
    }

    /// Whether a name can be a signing region and part of a host name. Anything else would
    /// make an unusable credential scope or default endpoint URL.
    public static func isWellFormed(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSetLite.alphanumerics(scalar) || "-_.".unicodeScalars.contains(scalar))
        }
    }

    /// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-4`, `cn-north-1`, …
    static func isRegion(_ label: String) -> Bool {
        let parts = label.split(separator: "-")
        guard parts.count >= 3, let last = parts.last, last.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return false
        }
        return parts.dropLast().allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isLetter }
        } && parts[0].count == 2
    }
}
