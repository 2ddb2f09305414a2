/// Whom to trust: `caBundle` (a PEM file or a hashed directory) or the system store, and
/// whether to check at all (`--no-verify-ssl`).
public struct TLSSettings: Sendable, Equatable {
    public var caBundle: String?
    public var verify: Bool

    public init(caBundle: String? = nil, verify: Bool = true) {
        self.caBundle = caBundle
        self.verify = verify
    }
}
