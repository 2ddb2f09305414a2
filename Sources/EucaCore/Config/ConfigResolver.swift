import Foundation

/// Resolves every setting by one precedence rule — command-line flag, then environment, then
/// configuration files (euca2ools ini before the AWS shared files), then a built-in default —
/// and records where each value came from. Pure: the files are read beforehand by `ConfigLoader`.
public struct ConfigResolver: Sendable {
    public var arguments: ParsedArguments
    public var environment: [String: String]
    public var eucaConfig: EucaConfig
    public var awsConfig: AWSSharedConfig
    /// The parsed `AWS_CREDENTIAL_FILE` (`AWSAccessKeyId=`/`AWSSecretKey=` lines), if set.
    public var credentialFile: IniFile?
    /// The service whose endpoint `-U/--url` names.
    public var service: Service?

    public init(arguments: ParsedArguments, environment: [String: String],
                eucaConfig: EucaConfig = EucaConfig(), awsConfig: AWSSharedConfig = AWSSharedConfig(),
                credentialFile: IniFile? = nil, service: Service?) {
        self.arguments = arguments
        self.environment = environment
        self.eucaConfig = eucaConfig
        self.awsConfig = awsConfig
        self.credentialFile = credentialFile
        self.service = service
    }

    func flag(_ key: String, _ spelling: String) -> Sourced<String>? {
        arguments.string(key).map { Sourced($0, .flag(spelling)) }
    }

    func env(_ names: String...) -> Sourced<String>? {
        for name in names {
            if let value = environment[name], !value.isEmpty { return Sourced(value, .environment(name)) }
        }
        return nil
    }

    func first(_ candidates: Sourced<String>?...) -> Sourced<String>? {
        candidates.first { $0 != nil } ?? nil
    }

    public var profile: String {
        arguments.string("profile") ?? env("AWS_PROFILE", "AWS_DEFAULT_PROFILE")?.value ?? "default"
    }

    /// `USER@REGION` (or `REGION`) from the flag, environment or config.
    var regionSpec: Sourced<String>? {
        first(flag("region", "--region"),
              env("EUCA_DEFAULT_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"),
              eucaConfig.global("default-region"),
              awsConfig.configValue(profile: profile, "region"))
    }

    var regionPart: Sourced<String>? {
        guard let spec = regionSpec else { return nil }
        guard let at = spec.value.firstIndex(of: "@") else { return spec }
        let region = String(spec.value[spec.value.index(after: at)...])
        return region.isEmpty ? nil : Sourced(region, spec.source)
    }

    var userPart: Sourced<String>? {
        if let spec = regionSpec, let at = spec.value.firstIndex(of: "@") {
            let user = String(spec.value[..<at])
            if !user.isEmpty { return Sourced(user, spec.source) }
        }
        if let region = regionPart?.value,
           let user = first(eucaConfig.region(region, "user"), eucaConfig.region(region, "default-user")) {
            return user
        }
        return eucaConfig.global("default-user")
    }

    func configRegionValue(_ key: String) -> Sourced<String>? {
        guard let region = regionPart?.value else { return nil }
        return eucaConfig.region(region, key)
    }

    func configUserValue(_ key: String) -> Sourced<String>? {
        guard let user = userPart?.value else { return nil }
        return eucaConfig.user(user, key)
    }

    /// The endpoint the user configured for a service, if any (no default applied): `-U/--url`
    /// (the command's own service only), the service's environment variables, then
    /// `AWS_ENDPOINT_URL`, the region section's `NAME-url`, the AWS config's `endpoint_url`.
    func configuredEndpoint(_ service: Service) -> ConfiguredEndpoint? {
        if service == self.service, let text = flag("url", "-U/--url") { return ConfiguredEndpoint(text) }
        for name in service.definition.urlVariables + ["AWS_ENDPOINT_URL"] {
            if let text = env(name) { return ConfiguredEndpoint(text) }
        }
        if let region = regionPart?.value, let found = eucaConfig.regionValue(region, service.urlKey) {
            return ConfiguredEndpoint(found.value, sectionRegion: found.signingRegion)
        }
        return awsConfig.configValue(profile: profile, "endpoint_url").map { ConfiguredEndpoint($0) }
    }

    public func resolve() throws(ConfigError) -> Settings {
        if arguments.isSet("profile"), !awsConfig.hasProfile(profile) {
            throw ConfigError("--profile \(shown(profile)): no such profile in ~/.aws/credentials or ~/.aws/config")
        }
        if let user = userPart, regionSpec?.value.contains("@") == true, !eucaConfig.hasUser(user.value) {
            throw ConfigError("--region \(shown(regionSpec!.value)): no [user \(shown(user.value))] section in the euca2ools configuration files")
        }

        var configured: [Service: ConfiguredEndpoint.Parsed] = [:]
        for service in Service.allCases {
            configured[service] = try configuredEndpoint(service)?.parsed()
        }
        let region = resolveRegion(configured.mapValues(\.url))
        try checkRegionName(region)
        var endpoints: [Service: ServiceEndpoint] = [:]
        for service in Service.allCases {
            if let endpoint = configured[service] {
                // A region the endpoint names (REGION::URL, or the config section it was found
                // in) outranks the region in use; an AWS host names its own region only when
                // no region was configured at all.
                let host = endpoint.url.value.host ?? ""
                let signing = endpoint.namedRegion
                    ?? regionPart.map { Sourced(RegionName.signingName($0.value), $0.source) }
                    ?? RegionName.fromEndpointHost(host).map { Sourced($0, .derived("endpoint host \(host)")) }
                    ?? region
                try checkRegionName(signing)
                endpoints[service] = ServiceEndpoint(url: endpoint.url, signingRegion: signing)
            } else {
                let aws = service.definition.awsEndpoint.resolve(region: region.value)
                let how: ConfigSource = .derived("AWS endpoint for region \(region.value)")
                endpoints[service] = ServiceEndpoint(
                    url: Sourced(aws.url, how),
                    signingRegion: aws.signingRegion == region.value ? region : Sourced(aws.signingRegion, how),
                    isDefault: true)
            }
        }

        var versions: [Service: Sourced<SignatureVersion>] = [:]
        for service in Service.allCases {
            let text = first(flag("signature-version", "--signature-version").flatMap { service == self.service ? $0 : nil },
                             configRegionValue("\(service.rawValue)-signature-version"))
            guard let text else {
                versions[service] = Sourced(.v4, .builtInDefault)
                continue
            }
            guard let version = SignatureVersion(rawValue: text.value) else {
                throw ConfigError("\(text.source): signature version must be 2 or 4, got \(quoted(text.value))")
            }
            versions[service] = Sourced(version, text.source)
        }

        return Settings(
            user: userPart,
            configRegion: regionPart.flatMap { eucaConfig.hasRegion($0.value) ? $0.value : nil },
            region: region,
            endpoints: endpoints,
            credentials: Result { () throws(ConfigError) in try resolveCredentials() },
            signatureVersions: versions,
            userCertificate: first(env("EC2_CERT"), configUserValue("certificate")),
            userPrivateKey: first(env("EC2_PRIVATE_KEY"), configUserValue("private-key")),
            cloudCertificate: first(env("EUCALYPTUS_CERT"), configRegionValue("certificate")),
            accountId: first(env("EC2_USER_ID", "EC2_ACCOUNT_NUMBER"), configUserValue("account-id")),
            maxAttempts: try resolveMaxAttempts(),
            retryMode: try resolveRetryMode(),
            connectTimeout: seconds("connect-timeout", TransportDefaults.connectTimeout),
            readTimeout: seconds("read-timeout", TransportDefaults.readTimeout),
            caBundle: first(flag("ca-bundle", "--ca-bundle"), env("AWS_CA_BUNDLE"),
                            configRegionValue("ca-bundle"),
                            awsConfig.configValue(profile: profile, "ca_bundle")),
            verifyTLS: try resolveVerifyTLS(),
            proxies: try ProxySettings.from(environment: environment),
            s3AddressingStyle: Result { () throws(ConfigError) in try resolveAddressingStyle() },
            s3LocationConstraint: configRegionValue("s3-location-constraint"),
            ec2DefaultKeyPair: configRegionValue("ec2-default-keypair"),
            tuning: try Tuning.resolve { name in env(name) })
    }

    func checkRegionName(_ region: Sourced<String>) throws(ConfigError) {
        guard RegionName.isWellFormed(region.value) else {
            throw ConfigError("\(region.source): \(quoted(region.value)) is not a region name (letters, digits, '-', '_' and '.' only)")
        }
    }

    /// The region in use: as configured, else named by a configured endpoint's AWS host (the
    /// command's own service first), else us-east-1.
    func resolveRegion(_ endpoints: [Service: Sourced<URL>]) -> Sourced<String> {
        if let part = regionPart {
            return Sourced(RegionName.signingName(part.value), part.source)
        }
        let services = [service ?? .ec2] + Service.allCases
        for service in services {
            if let endpoint = endpoints[service], let host = endpoint.value.host,
               let region = RegionName.fromEndpointHost(host) {
                return Sourced(region, .derived("endpoint host \(host)"))
            }
        }
        return Sourced("us-east-1", .builtInDefault)
    }

    /// `EUCA_S3_ADDRESSING_STYLE`, then the region section's `s3-addressing-style`.
    func resolveAddressingStyle() throws(ConfigError) -> Sourced<S3AddressingStyle> {
        guard let text = first(env(S3AddressingStyle.environmentVariable),
                               configRegionValue(S3AddressingStyle.configKey))
        else { return Sourced(.auto, .builtInDefault) }
        return try S3AddressingStyle.parse(text)
    }

    /// The access key pair from the first source that has any part of one. A source with only
    /// half a pair is an error rather than a reason to mix sources.
    func resolveCredentials() throws(ConfigError) -> Sourced<Credentials> {
        let flagToken = arguments.string("security-token")
        typealias Candidate = (id: Sourced<String>?, secret: Sourced<String>?, token: String?, idName: String, secretName: String)
        var candidates: [Candidate] = [
            (flag("access-key-id", "-I"), flag("secret-key", "-S"), flagToken,
             "-I/--access-key-id", "-S/--secret-key"),
        ]
        let sessionToken = env("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")?.value
        let profileCandidates: [Candidate] = [
            (awsConfig.credentialsValue(profile: profile, "aws_access_key_id"),
             awsConfig.credentialsValue(profile: profile, "aws_secret_access_key"),
             awsConfig.credentialsValue(profile: profile, "aws_session_token")?.value,
             "aws_access_key_id", "aws_secret_access_key"),
            (awsConfig.configValue(profile: profile, "aws_access_key_id"),
             awsConfig.configValue(profile: profile, "aws_secret_access_key"),
             awsConfig.configValue(profile: profile, "aws_session_token")?.value,
             "aws_access_key_id", "aws_secret_access_key"),
        ]
        // An explicit --profile outranks credentials in the environment, as with the AWS CLI.
        if arguments.isSet("profile") { candidates += profileCandidates }
        candidates += [
            (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), sessionToken,
             "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
            (env("EC2_ACCESS_KEY"), env("EC2_SECRET_KEY"), nil, "EC2_ACCESS_KEY", "EC2_SECRET_KEY"),
            (env("AWS_ACCESS_KEY"), env("AWS_SECRET_KEY"), nil, "AWS_ACCESS_KEY", "AWS_SECRET_KEY"),
        ]
        if let file = credentialFile {
            func value(_ key: String) -> Sourced<String>? {
                file[""]?[key].flatMap { $0.isEmpty ? nil : Sourced($0, .file(path: file.path, section: nil)) }
            }
            candidates.append((value("awsaccesskeyid"), value("awssecretkey"), nil,
                               "AWSAccessKeyId", "AWSSecretKey"))
        }
        candidates.append((configUserValue("key-id"), configUserValue("secret-key"), nil,
                           "key-id", "secret-key"))
        if !arguments.isSet("profile") { candidates += profileCandidates }

        for candidate in candidates where candidate.id != nil || candidate.secret != nil {
            guard let id = candidate.id else {
                throw ConfigError("\(candidate.secret!.source) gives \(candidate.secretName) but not \(candidate.idName); set both, or neither")
            }
            guard let secret = candidate.secret else {
                throw ConfigError("\(id.source) gives \(candidate.idName) but not \(candidate.secretName); set both, or neither")
            }
            let token = flagToken ?? candidate.token
            let source: ConfigSource
            switch id.source {
            case .environment: source = .environment("\(candidate.idName)/\(candidate.secretName)")
            case .flag: source = .flag("-I/-S")
            default: source = id.source
            }
            return Sourced(Credentials(accessKeyId: id.value, secretAccessKey: secret.value,
                                       sessionToken: token), source)
        }
        throw ConfigError(ConfigResolver.missingCredentialsMessage)
    }

    public static let missingCredentialsMessage =
        "no credentials found: use -I KEY_ID -S SECRET_KEY, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or EC2_ACCESS_KEY and EC2_SECRET_KEY), source your cloud's eucarc, set AWS_CREDENTIAL_FILE, add key-id and secret-key to a [user] section in ~/.euca/*.ini, or add a profile to ~/.aws/credentials"

    func resolveMaxAttempts() throws(ConfigError) -> Sourced<Int> {
        if let value = arguments.int("max-attempts") { return Sourced(value, .flag("--max-attempts")) }
        guard let text = first(env("AWS_MAX_ATTEMPTS"), awsConfig.configValue(profile: profile, "max_attempts")) else {
            return Sourced(TransportDefaults.maxAttempts, .builtInDefault)
        }
        guard let value = Int(text.value), (1...20).contains(value) else {
            throw ConfigError("\(text.source): expected an integer from 1 to 20, got \(quoted(text.value))")
        }
        return Sourced(value, text.source)
    }

    func resolveRetryMode() throws(ConfigError) -> Sourced<RetryMode> {
        guard let text = first(env("AWS_RETRY_MODE"), awsConfig.configValue(profile: profile, "retry_mode")) else {
            return Sourced(.standard, .builtInDefault)
        }
        switch text.value.lowercased() {
        case "standard", "legacy": return Sourced(.standard, text.source)
        case "adaptive": return Sourced(.adaptive, text.source)
        default:
            throw ConfigError("\(text.source): expected standard, adaptive or legacy, got \(quoted(text.value))")
        }
    }

    func seconds(_ key: String, _ fallback: Double) -> Sourced<Double> {
        arguments.double(key).map { Sourced($0, .flag("--\(key)")) } ?? Sourced(fallback, .builtInDefault)
    }

    func resolveVerifyTLS() throws(ConfigError) -> Sourced<Bool> {
        if arguments.flag("no-verify-ssl") { return Sourced(false, .flag("--no-verify-ssl")) }
        guard let text = configRegionValue("verify-ssl") else { return Sourced(true, .builtInDefault) }
        switch text.value.lowercased() {
        case "true", "yes", "on", "1": return Sourced(true, text.source)
        case "false", "no", "off", "0": return Sourced(false, text.source)
        default: throw ConfigError("\(text.source): verify-ssl must be true or false, got \(quoted(text.value))")
        }
    }
}

/// Defaults for the transport, in one place for the resolver, help text and docs.
public enum TransportDefaults {
    public static let maxAttempts = 3
    public static let connectTimeout: Double = 10
    public static let readTimeout: Double = 60
}
