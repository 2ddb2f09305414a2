/// The options every command accepts. Service commands add endpoint, credential, retry and TLS
/// options; offline commands that read a service's settings only `--region`; local commands
/// (no service) only the first three. The euca2ools 1.x credential
/// spellings `-a/--access-key` and `-s` are listed here too and silently drop out of any command
/// that uses those letters itself (see `Command.allOptions`).
public enum CommonOptions {
    static let help = Option.flag("-h", "--help", help: "show this help message and exit")
    static let version = Option.flag("--version", help: "show the program's version and exit")
    static let debug = Option.flag(
        "--debug",
        help: "show where each setting came from and the HTTP exchange on stderr (secrets redacted)")

    static let region = Option("--region", metavar: "USER@REGION", type: .nonEmpty,
                               help: "region (and optionally user) to use: selects [region]/[user] sections of the euca2ools config and the SigV4 signing region")

    static let output = Option("--output", metavar: "FORMAT", type: .choice(["text", "json"]),
                               help: "text (default): euca2ools' tab-separated records; json: the service's response as JSON for jq (pages merged, request metadata dropped, values as strings)")

    static func `for`(_ service: Service?, offline: Bool = false, printsResponses: Bool = false) -> [Option] {
        guard let service else { return [debug, help, version] }
        if offline { return [region, debug, help, version] }
        return (printsResponses ? [output] : []) + [
            Option("-U", "--url", metavar: "URL", type: .endpoint,
                   help: "\(service.definition.endpointHelp), optionally REGION::URL to name its signing region (default: \(service.definition.urlVariables[0]), config, or the AWS endpoint for the region)"),
            region,
            Option("-I", "--access-key-id", "-a", "--access-key", metavar: "KEY_ID", type: .nonEmpty,
                   help: "access key ID (needs -S/--secret-key)", key: "access-key-id"),
            Option("-S", "--secret-key", "-s", metavar: "SECRET_KEY", type: .nonEmpty,
                   help: "secret access key (needs -I/--access-key-id)", key: "secret-key"),
            Option("--security-token", metavar: "TOKEN", type: .nonEmpty,
                   help: "session token for temporary credentials"),
            Option("--profile", metavar: "PROFILE", type: .nonEmpty,
                   help: "profile of ~/.aws/credentials and ~/.aws/config to use"),
            Option("--signature-version", metavar: "VERSION", type: .choice(["2", "4"]),
                   help: "request signature version: 4 (default) or 2 for old Eucalyptus clouds"),
            Option("--max-attempts", metavar: "N", type: .integer(1...20),
                   help: "attempts per request, including the first (default: 3)"),
            Option("--connect-timeout", metavar: "SECONDS", type: .seconds,
                   help: "give up connecting after this long (default: \(formatSeconds(TransportDefaults.connectTimeout)))"),
            Option("--read-timeout", metavar: "SECONDS", type: .seconds,
                   help: "give up when the server sends nothing for this long (default: \(formatSeconds(TransportDefaults.readTimeout)))"),
            Option("--ca-bundle", metavar: "FILE", type: .readableFile,
                   help: "trust the CA certificates in FILE (PEM) instead of the system store, for a cloud with its own CA"),
            Option.flag("--no-verify-ssl", help: "do not verify the server's TLS certificate (insecure; a warning is printed on each run)"),
            Option.flag("--show-empty-fields", help: "show empty fields as \"(nil)\""),
            debug, help, version,
        ]
    }

    static func formatSeconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
