import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads the configuration files a `ConfigResolver` needs. The only I/O in configuration.
public struct ConfigLoader: Sendable {
    public static let eucaConfigGlobs = [
        "/etc/euca2ools/euca2ools.ini", "/etc/euca2ools/conf.d/*.ini", "~/.euca/*.ini",
    ]

    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    var home: String { environment["HOME"] ?? NSHomeDirectory() }

    func expand(_ path: String) -> String {
        path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }

    /// The euca2ools ini files in the order they apply, as euca2ools lists them: each glob's
    /// matches sorted, globs in order (`EUCA_CONFIG_PATH`, colon-separated, replaces the list).
    public func eucaConfigPaths() -> [String] {
        let globs = environment["EUCA_CONFIG_PATH"].map { $0.split(separator: ":").map(String.init) }
            ?? ConfigLoader.eucaConfigGlobs
        return globs.flatMap { pattern in ConfigLoader.glob(expand(pattern)).sorted() }
    }

    public func loadEucaConfig() throws(ConfigError) -> EucaConfig {
        var files: [IniFile] = []
        for path in eucaConfigPaths() {
            if let file = try readIni(path) { files.append(file) }
        }
        return EucaConfig(files: files)
    }

    public func loadAWSConfig() throws(ConfigError) -> AWSSharedConfig {
        let credentials = expand(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
        let config = expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config")
        return AWSSharedConfig(credentials: try readIni(credentials), config: try readIni(config))
    }

    /// `AWS_CREDENTIAL_FILE`: it was set on purpose, so a missing file is an error.
    public func loadCredentialFile() throws(ConfigError) -> IniFile? {
        guard let path = environment["AWS_CREDENTIAL_FILE"], !path.isEmpty else { return nil }
        guard let file = try readIni(expand(path)) else {
            throw ConfigError("AWS_CREDENTIAL_FILE names \(quoted(path)), which cannot be read")
        }
        return file
    }

    /// nil when the file does not exist; an error when it exists but cannot be read or parsed.
    func readIni(_ path: String) throws(ConfigError) -> IniFile? {
        guard ConfigLoader.exists(path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("cannot read configuration file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("configuration file \(path) is not UTF-8 text")
        }
        do {
            return try IniFile(path: path, text: text)
        } catch {
            throw ConfigError("configuration file \(error)")
        }
    }

    public func resolver(arguments: ParsedArguments, service: Service?) throws(ConfigError) -> ConfigResolver {
        ConfigResolver(arguments: arguments, environment: environment,
                       eucaConfig: try loadEucaConfig(), awsConfig: try loadAWSConfig(),
                       credentialFile: try loadCredentialFile(), service: service)
    }

    /// `access(2)` rather than FileManager, whose path handling goes through NSString: every
    /// command looks for half a dozen configuration files that are usually absent.
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func glob(_ pattern: String) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else {
            return exists(pattern) ? [pattern] : []
        }
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }
    }
}
