import Foundation

/// TLS settings we can honour. FoundationNetworking on Linux always verifies server
/// certificates against the system trust store that libcurl was built with, and exposes no way
/// to pass another CA file or to switch verification off. Rather than pretend, a setting that
/// asks for either fails with instructions — unless it changes nothing (a plain http://
/// endpoint, or a "CA bundle" that *is* the system store, as many machines set AWS_CA_BUNDLE).
public enum TLSPolicy {
    static let systemTrustStores: Set<String> = [
        "/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs", "/etc/ssl/cert.pem",
        "/etc/pki/tls/certs/ca-bundle.crt", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    ]

    static let advice = "this build's HTTP stack (FoundationNetworking on Linux) verifies every certificate against the system trust store; add your cloud's CA there instead (copy it to /usr/local/share/ca-certificates/NAME.crt and run update-ca-certificates)"

    public static func check(_ settings: Settings, endpoint: URL) throws(ConfigError) {
        guard endpoint.scheme?.lowercased() == "https" else { return }
        if !settings.verifyTLS.value {
            throw ConfigError("cannot turn TLS verification off (\(settings.verifyTLS.source)): \(advice)")
        }
        if let bundle = settings.caBundle, !systemTrustStores.contains(bundle.value) {
            throw ConfigError("cannot use CA bundle \(bundle.value) (\(bundle.source)): \(advice)")
        }
    }
}
