import Foundation

/// euca2ools 3.4.1's real output (Fixtures/golden) and the normalisation that makes it
/// comparable with a fresh run: ids, times, addresses and created-key fingerprints vary from
/// run to run; every other byte — field order, tabs, trailing empty fields — must match.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    static func text(_ command: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("\(command).txt"), encoding: .utf8)) ?? "<missing golden file \(command).txt>"
    }

    private static let rules: [(NSRegularExpression, String)] = [
        // Resource ids: prefix, dash, 8 or 17 hex digits.
        (#"\b(i|r|vol|snap|ami|aki|ari|emi|eki|eri|sg|vpc|subnet|eni-attach|eni|eipalloc|eipassoc|igw|rtb|acl|dopt|pcx|vgw|cgw|vpn|sir|bun|import|export)-[0-9a-f]{8,17}\b"#, "$1-ID"),
        (#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, "TIME"),
        (#"\bec2-\d+-\d+-\d+-\d+\.compute-1\.amazonaws\.com"#, "ec2-IP.compute-1.amazonaws.com"),
        (#"\bip-\d+-\d+-\d+-\d+\.ec2\.internal"#, "ip-IP.ec2.internal"),
        // Addresses, but not CIDR blocks (10.0.0.0/8 is part of the rule being printed).
        (#"(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d/])"#, "IP"),
        // SHA-1 fingerprints of keys EC2 created (imported keys' MD5 fingerprints are stable).
        (#"\b([0-9a-f]{2}:){19}[0-9a-f]{2}\b"#, "FINGERPRINT"),
        // Private key material between its armour lines.
        (#"(-----BEGIN RSA PRIVATE KEY-----\n)[A-Za-z0-9+/=\n]+(-----END RSA PRIVATE KEY-----)"#, "$1KEY\n$2"),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    static func normalize(_ text: String) -> String {
        rules.reduce(text) { text, rule in
            rule.0.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                            withTemplate: rule.1)
        }
    }
}

/// A key from Fixtures/keys.
enum TestKeys {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/keys")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}
