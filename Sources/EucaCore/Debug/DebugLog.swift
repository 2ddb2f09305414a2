import Foundation

/// `--debug` output on stderr. Every line passes through the redactor, which knows the secrets
/// of this run (secret key, session token, signing keys) and replaces any occurrence with
/// `<redacted>` — a last line of defence behind the formatters that leave secrets out anyway.
public final class DebugLog: Sendable {
    public let isEnabled: Bool
    private let secrets = LockedValue<[String]>([])

    public init(enabled: Bool) {
        isEnabled = enabled
    }

    /// Registers a value that must never be printed.
    public func addSecret(_ secret: String) {
        guard secret.count >= 4 else { return }
        secrets.withLock { if !$0.contains(secret) { $0.append(secret) } }
    }

    public func redact(_ text: String) -> String {
        secrets.withLock { list in
            list.reduce(text) { $0.replacingAll($1, with: "<redacted>") }
        }
    }

    public func callAsFunction(_ message: @autoclosure () -> String) {
        guard isEnabled else { return }
        for line in message().split(separator: "\n", omittingEmptySubsequences: false) {
            StandardStream.error.writeLine("debug: " + redact(String(line)))
        }
    }

    /// Headers with signatures and tokens masked.
    public static func describe(_ headers: HTTPHeaders) -> String {
        headers.map { name, value in
            switch name.lowercased() {
            case "authorization":
                return "\(name): " + maskSignature(value)
            case "x-amz-security-token", "x-amz-server-side-encryption-customer-key":
                return "\(name): <redacted>"
            default:
                return "\(name): \(value)"
            }
        }.joined(separator: "\n")
    }

    /// `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=abc` → `Signature=<redacted>`;
    /// `AWS KEY:sig` → `AWS KEY:<redacted>`.
    static func maskSignature(_ value: String) -> String {
        if let range = value.range(of: "Signature=") {
            return value[..<range.upperBound] + "<redacted>"
        }
        if value.hasPrefix("AWS "), let colon = value.lastIndex(of: ":") {
            return value[...colon] + "<redacted>"
        }
        return "<redacted>"
    }

    /// Query/form parameters with sensitive values masked (user data can carry passwords).
    static let sensitiveParameters = ["UserData", "Password", "Secret", "Signature", "SecurityToken",
                                      "X-Amz-Signature", "X-Amz-Security-Token", "PrivateKey"]

    public static func describe(_ items: [QueryItem]) -> String {
        items.map { item in
            let hidden = sensitiveParameters.contains { item.name.contains($0) }
            return "  \(item.name)=\(hidden ? "<redacted>" : item.value)"
        }.joined(separator: "\n")
    }
}
