/// Writes a command's man page (roff, `man 1`) from its declaration. The output is
/// deterministic — no dates — so a test can compare it with the page checked in under `Man/`.
public struct ManPageWriter {
    public let command: Command

    public init(_ command: Command) {
        self.command = command
    }

    public var page: String {
        var out = ".TH \(command.name.uppercased()) 1 \"\" \"euca2ools-swift \(CommandLineTool.version)\" \"euca2ools-swift\"\n"
        out += ".SH NAME\n\(escape(command.name)) \\- \(escape(command.summary))\n"
        out += ".SH SYNOPSIS\n" + synopsis + "\n"
        out += ".SH DESCRIPTION\n" + escape(sentence(command.summary)) + "\n"
        if let details = command.details { out += ".PP\n" + escape(details) + "\n" }
        if !command.aliases.isEmpty {
            out += ".PP\nAlso installed as " + command.aliases.map { "\\fB\(escape($0))\\fR" }.joined(separator: ", ") + ".\n"
        }
        if !command.positionals.isEmpty {
            out += ".SH ARGUMENTS\n"
            for positional in command.positionals {
                out += ".TP\n\\fI\(escape(positional.metavar))\\fR\n\(escape(positional.help))\n"
            }
        }
        let common = command.commonKeys
        let all = command.allOptions.filter { !$0.isHidden }
        let own = all.filter { !common.contains($0.key) }
        if !own.isEmpty {
            out += ".SH OPTIONS\n"
            for option in own { out += entry(option) }
        }
        if !command.constraints.isEmpty {
            out += ".SH CONSTRAINTS\n"
            out += command.constraints.map { escape(sentence($0.summary(command.displayName))) }
                .joined(separator: "\n.br\n") + "\n"
        }
        if let filters = command.filters {
            out += ".SH FILTERS\nUse \\fB\\-\\-filter\\fR \\fINAME\\fR=\\fIVALUE\\fR (repeatable; values of the same name are alternatives). Accepted names: "
            out += filters.map { "\\fB\(escape($0))\\fR" }.joined(separator: ", ")
            out += ", and \\fBtag:\\fR\\fIKEY\\fR.\n"
        }
        out += ".SH COMMON OPTIONS\n"
        for option in all where common.contains(option.key) { out += entry(option) }
        if command.service != nil {
            out += ".SH ENVIRONMENT\n" + ManPageWriter.environment
        }
        out += ".SH EXIT STATUS\n.TP\n0\nsuccess\n.TP\n1\nthe service returned an error, the endpoint could not be reached, or the configuration or a file was unusable\n.TP\n2\nthe command line was wrong (unknown option, missing or malformed value)\n"
        out += ".SH SEE ALSO\n\\fBeuca\\fR(1)\n"
        return out
    }

    var synopsis: String {
        var parts = [".B \(escape(command.name))"]
        for option in command.options where !option.isHidden {
            var text = "\\fB\(escape(option.spellings[0]))\\fR"
            if let metavar = option.metavar { text += metavarText(metavar, option) }
            parts.append(option.isRequired ? text : "[\(text)]")
        }
        if command.filters != nil { parts.append("[\\fB\\-\\-filter\\fR \\fINAME\\fR=\\fIVALUE\\fR]") }
        parts.append("[\\fIcommon options\\fR]")
        for positional in command.positionals {
            let name = "\\fI\(escape(positional.metavar))\\fR"
            switch positional.arity {
            case .one: parts.append(name)
            case .optional: parts.append("[\(name)]")
            case .oneOrMore: parts.append("\(name) [\(name) ...]")
            case .zeroOrMore: parts.append("[\(name) ...]")
            }
        }
        return parts.joined(separator: "\n")
    }

    func entry(_ option: Option) -> String {
        let names = option.spellings.map { spelling -> String in
            var text = "\\fB\(escape(spelling))\\fR"
            if let metavar = option.metavar { text += metavarText(metavar, option) }
            return text
        }.joined(separator: ", ")
        var help = option.help
        if let value = option.defaultValue { help += " (default: \(value))" }
        if option.isRequired { help += " (required)" }
        if option.isRepeatable && option.takesValue && !help.contains("repeatable") { help += " (repeatable)" }
        return ".TP\n\(names)\n\(escape(help))\n"
    }

    /// ` VALUE`, or ` [VALUE]` when the value may be left out.
    func metavarText(_ metavar: String, _ option: Option) -> String {
        let name = "\\fI\(escape(metavar))\\fR"
        return option.implicitValue == nil ? " " + name : " [" + name + "]"
    }

    func sentence(_ text: String) -> String {
        (text.prefix(1).uppercased() + text.dropFirst()) + (text.hasSuffix(".") ? "" : ".")
    }

    /// roff escaping: backslashes, hyphens (so they print as ASCII minus), and a leading dot
    /// or quote that would otherwise start a request.
    func escape(_ text: String) -> String {
        var out = text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out.replacingOccurrences(of: "\n.", with: "\n\\&.")
    }

    static let environment = """
    Settings are taken from the command line first, then the environment, then configuration files (\\fI~/.euca/*.ini\\fR, \\fI/etc/euca2ools/\\fR, \\fI~/.aws/credentials\\fR and \\fI~/.aws/config\\fR), then built-in defaults; \\fB\\-\\-debug\\fR shows which source supplied each value.
    .TP
    \\fBEC2_URL\\fR, \\fBS3_URL\\fR, \\fBAWS_ENDPOINT_URL_EC2\\fR, \\fBAWS_ENDPOINT_URL_S3\\fR, \\fBAWS_ENDPOINT_URL\\fR
    service endpoints
    .TP
    \\fBAWS_ACCESS_KEY_ID\\fR/\\fBAWS_SECRET_ACCESS_KEY\\fR, \\fBEC2_ACCESS_KEY\\fR/\\fBEC2_SECRET_KEY\\fR, \\fBAWS_ACCESS_KEY\\fR/\\fBAWS_SECRET_KEY\\fR, \\fBAWS_SESSION_TOKEN\\fR, \\fBAWS_CREDENTIAL_FILE\\fR
    credentials; a key ID and its secret always come from the same source
    .TP
    \\fBEUCA_DEFAULT_REGION\\fR, \\fBAWS_REGION\\fR, \\fBAWS_DEFAULT_REGION\\fR, \\fBAWS_PROFILE\\fR
    region (and euca2ools configuration region) and AWS profile
    .TP
    \\fBEC2_CERT\\fR, \\fBEC2_PRIVATE_KEY\\fR, \\fBEUCALYPTUS_CERT\\fR, \\fBEC2_USER_ID\\fR
    certificates, key and account used for image bundles
    .TP
    \\fBAWS_MAX_ATTEMPTS\\fR, \\fBAWS_RETRY_MODE\\fR, \\fBAWS_CA_BUNDLE\\fR, \\fBhttps_proxy\\fR, \\fBno_proxy\\fR
    retries, TLS trust and proxies

    """
}

extension ManPageWriter {
    /// euca(1): the suite, how configuration works, and every command.
    public static func overview(_ commands: [Command]) -> String {
        let writer = ManPageWriter(commands[0])
        var out = ".TH EUCA 1 \"\" \"euca2ools-swift \(CommandLineTool.version)\" \"euca2ools-swift\"\n"
        out += ".SH NAME\neuca \\- command-line tools for EC2- and S3-compatible clouds\n"
        out += ".SH SYNOPSIS\n.B euca\n\\fICOMMAND\\fR [\\fIARGS\\fR ...]\n.br\n.B euca\\-\\fICOMMAND\\fR [\\fIARGS\\fR ...]\n"
        out += ".SH DESCRIPTION\nA re\\-implementation of the euca2ools commands with the same names, options, environment variables and output. One binary provides every command: it runs the command named by the name it was started under (\\fBeuca\\-describe\\-regions\\fR) or by its first argument (\\fBeuca describe\\-regions\\fR). Every command has \\fB\\-\\-help\\fR and its own manual page.\n"
        out += ".SH COMMANDS\n"
        for command in commands.sorted(by: { $0.name < $1.name }) {
            out += ".TP\n\\fB\(writer.escape(command.name))\\fR(1)\n\(writer.escape(command.summary))\n"
        }
        out += ".SH CONFIGURATION\n" + environment
        out += ".SH FILES\n.TP\n\\fI/etc/euca2ools/euca2ools.ini\\fR, \\fI/etc/euca2ools/conf.d/*.ini\\fR, \\fI~/.euca/*.ini\\fR\neuca2ools configuration: \\fB[global]\\fR, \\fB[region\\fR \\fINAME\\fR\\fB]\\fR (ec2\\-url, s3\\-url, user, certificate, verify\\-ssl, ec2\\-signature\\-version) and \\fB[user\\fR \\fINAME\\fR\\fB]\\fR (key\\-id, secret\\-key, account\\-id, certificate, private\\-key) sections; \\fBEUCA_CONFIG_PATH\\fR replaces the list\n.TP\n\\fI~/.aws/credentials\\fR, \\fI~/.aws/config\\fR\nAWS shared credentials and configuration profiles\n"
        out += ".SH EXIT STATUS\n.TP\n0\nsuccess\n.TP\n1\nthe service returned an error, the endpoint could not be reached, or the configuration or a file was unusable\n.TP\n2\nthe command line was wrong\n"
        return out
    }
}
