import Foundation

/// Which retry behaviour to use (`AWS_RETRY_MODE`). `legacy` is read as `standard`: there is
/// no older behaviour worth keeping here.
public enum RetryMode: String, Sendable, Equatable {
    case standard
    case adaptive
}

public enum SignatureVersion: String, Sendable, Equatable, CustomStringConvertible {
    case v2 = "2"
    case v4 = "4"

    public var description: String { rawValue }
}

/// Everything a command needs to reach a service, each value with its source. Produced by
/// `ConfigResolver` from flags, environment and files; nothing here does I/O.
public struct Settings: Sendable {
    /// `--region USER@REGION` as resolved: the user part selects a `[user]` section.
    public var user: Sourced<String>?
    /// The euca2ools `[region]` section in use, if any.
    public var configRegion: String?
    public var region: Sourced<String>
    public var endpoints: [Service: ServiceEndpoint]
    public var credentials: Result<Sourced<Credentials>, ConfigError>
    public var signatureVersions: [Service: Sourced<SignatureVersion>]
    public var userCertificate: Sourced<String>?
    public var userPrivateKey: Sourced<String>?
    public var cloudCertificate: Sourced<String>?
    public var accountId: Sourced<String>?
    public var maxAttempts: Sourced<Int>
    public var retryMode: Sourced<RetryMode>
    public var connectTimeout: Sourced<Double>
    public var readTimeout: Sourced<Double>
    public var caBundle: Sourced<String>?
    public var verifyTLS: Sourced<Bool>
    /// Forward proxies (`https_proxy`, `http_proxy`, `no_proxy`); environment only.
    public var proxies: ProxySettings
    /// `EUCA_S3_ADDRESSING_STYLE`, else the region's `s3-addressing-style`, else auto. A bad
    /// value fails only the commands that use S3, like missing credentials.
    public var s3AddressingStyle: Result<Sourced<S3AddressingStyle>, ConfigError>
    /// The region's `s3-location-constraint`: where a bucket made for a bundle goes.
    public var s3LocationConstraint: Sourced<String>?
    /// The region's `ec2-default-keypair`: run-instances' key pair when -k is not given.
    public var ec2DefaultKeyPair: Sourced<String>?
    public var tuning: Tuning

    /// Trust and verification for the transport, from `caBundle` and `verifyTLS`.
    public var tls: TLSSettings { TLSSettings(caBundle: caBundle?.value, verify: verifyTLS.value) }

    public func endpoint(_ service: Service) -> Sourced<URL> { endpoints[service]!.url }
    public func signingRegion(_ service: Service) -> Sourced<String> { endpoints[service]!.signingRegion }
    public func signatureVersion(_ service: Service) -> Sourced<SignatureVersion> {
        signatureVersions[service]!
    }

    public func requireCredentials() throws(ConfigError) -> Credentials {
        switch credentials {
        case .success(let sourced): return sourced.value
        case .failure(let error): throw error
        }
    }

    /// `--debug` lines: each setting, its value (secrets shown only as the key id) and source.
    public func debugLines() -> [String] {
        var lines: [String] = []
        func add<T>(_ name: String, _ setting: Sourced<T>?) {
            guard let setting else { return }
            lines.append("\(name) = \(setting.value) (from \(setting.source))")
        }
        add("region", region)
        add("user", user)
        for service in Service.allCases {
            // One line per service: eight services, three settings each.
            let endpoint = endpoints[service]!
            let version = signatureVersion(service)
            lines.append("\(service.rawValue) endpoint = \(endpoint.url.value) (from \(endpoint.url.source)), signing region = \(endpoint.signingRegion.value) (from \(endpoint.signingRegion.source)), signature version = \(version.value) (from \(version.source))")
        }
        switch credentials {
        case .success(let sourced):
            lines.append("access key id = \(sourced.value.accessKeyId), secret key = <redacted>"
                + (sourced.value.sessionToken == nil ? "" : ", session token = <redacted>")
                + " (from \(sourced.source))")
        case .failure:
            lines.append("credentials = none found")
        }
        add("user certificate", userCertificate)
        add("user private key", userPrivateKey)
        add("cloud certificate", cloudCertificate)
        add("account id", accountId)
        add("max attempts", maxAttempts)
        add("retry mode", retryMode)
        add("connect timeout", connectTimeout)
        add("read timeout", readTimeout)
        add("CA bundle", caBundle)
        add("verify TLS", verifyTLS)
        switch s3AddressingStyle {
        case .success(let style): add("s3 addressing style", style)
        case .failure(let error): lines.append("s3 addressing style = invalid (\(error.message))")
        }
        add("s3 location constraint", s3LocationConstraint)
        add("ec2 default key pair", ec2DefaultKeyPair)
        lines += tuning.debugLines
        if let proxy = proxies.https { lines.append("https proxy = \(proxy.host):\(proxy.port) (from environment)") }
        if let proxy = proxies.http { lines.append("http proxy = \(proxy.host):\(proxy.port) (from environment)") }
        if !proxies.bypass.isEmpty { lines.append("no proxy for = \(proxies.bypass.joined(separator: ",")) (from environment)") }
        return lines
    }
}
