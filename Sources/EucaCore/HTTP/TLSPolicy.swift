import Foundation

/// Checks the TLS settings for an endpoint before anything is sent: a CA bundle that cannot be
/// read is a configuration error named with its source, and switching verification off is
/// allowed but said out loud on every run (scripts hide it otherwise).
public enum TLSPolicy {
    public static func check(_ settings: Settings, endpoint: URL, warn: (String) -> Void) throws(ConfigError) {
        guard endpoint.scheme?.lowercased() == "https" else { return }
        if !settings.verifyTLS.value {
            warn("TLS certificate verification is off (\(settings.verifyTLS.source)): the endpoint \(endpoint.host ?? "") is not authenticated")
            return
        }
        if let bundle = settings.caBundle, !FileManager.default.isReadableFile(atPath: bundle.value) {
            throw ConfigError("cannot read CA bundle \(bundle.value) (\(bundle.source)): expected a PEM file or a directory of hashed certificates")
        }
    }
}
