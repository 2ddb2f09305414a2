/// `~/.aws/credentials` and `~/.aws/config` (or `AWS_SHARED_CREDENTIALS_FILE` /
/// `AWS_CONFIG_FILE`) as the AWS CLI reads them: the credentials file names profiles
/// `[NAME]`, the config file `[default]` and `[profile NAME]`.
public struct AWSSharedConfig: Sendable, Equatable {
    public var credentials: IniFile?
    public var config: IniFile?

    public init(credentials: IniFile? = nil, config: IniFile? = nil) {
        self.credentials = credentials
        self.config = config
    }

    public func credentialsValue(profile: String, _ key: String) -> Sourced<String>? {
        guard let file = credentials, let value = file[profile]?[key], !value.isEmpty else {
            return nil
        }
        return Sourced(value, .file(path: file.path, section: profile))
    }

    public func configValue(profile: String, _ key: String) -> Sourced<String>? {
        guard let file = config else { return nil }
        let section = profile == "default" ? "default" : "profile \(profile)"
        guard let value = file[section]?[key] ?? (profile == "default" ? file["profile default"]?[key] : nil),
              !value.isEmpty
        else { return nil }
        return Sourced(value, .file(path: file.path, section: section))
    }

    /// Whether the profile exists in either file (to reject a mistyped `--profile`).
    public func hasProfile(_ profile: String) -> Bool {
        credentials?[profile] != nil
            || config?[profile == "default" ? "default" : "profile \(profile)"] != nil
    }
}
