/// What `euca-generate-environment-config` prints: the settings in effect, as shell code that
/// recreates them with environment variables (`eval $(euca-generate-environment-config)`).
public enum EnvironmentExport {
    public enum Shell: Sendable {
        case sh
        case csh
        case simple
    }

    /// Variable → value (nil: not set), for the settings in effect, sorted by name as
    /// euca2ools prints them. A service URL is printed only when it was configured (flag,
    /// environment or file), as euca2ools does: the AWS default would send a private cloud's
    /// users to AWS for every service their eucarc does not name.
    public static func variables(_ settings: Settings) -> [(String, String?)] {
        let credentials = try? settings.credentials.get().value
        var variables: [(String, String?)] = [
            ("AWS_ACCESS_KEY_ID", credentials?.accessKeyId),
            ("AWS_DEFAULT_REGION", settings.region.value),
            ("AWS_SECRET_ACCESS_KEY", credentials?.secretAccessKey),
            ("AWS_SECURITY_TOKEN", credentials?.sessionToken),
            ("EC2_CERT", settings.userCertificate?.value),
            ("EC2_PRIVATE_KEY", settings.userPrivateKey?.value),
            ("EC2_USER_ID", settings.accountId?.value),
            ("EUCALYPTUS_CERT", settings.cloudCertificate?.value),
        ]
        for service in Service.allCases {
            let endpoint = settings.endpoints[service]!
            variables.append((service.definition.urlVariables[0],
                              endpoint.isDefault ? nil : endpoint.url.value.absoluteString))
        }
        return variables.sorted { $0.0 < $1.0 }
    }

    /// Set variables first and the "not set" comments last, so the output works inside `eval`.
    public static func format(_ variables: [(String, String?)], shell: Shell) -> String {
        var lines: [String] = []
        for (name, value) in variables {
            guard let value else {
                if shell == .simple { lines.append("\(name)=") }
                continue
            }
            switch shell {
            case .sh: lines.append("\(name)=\(shellQuoted(value)); export \(name);")
            case .csh: lines.append("setenv \(name) \(shellQuoted(value));")
            case .simple: lines.append("\(name)=\(value)")
            }
        }
        if shell != .simple {
            for (name, value) in variables where value == nil { lines.append("# \(name) is not set") }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Single-quotes a value unless it is made only of characters no shell treats specially.
    static func shellQuoted(_ value: String) -> String {
        let safe = value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSetLite.alphanumerics(scalar) || "@%+=:,./-_".unicodeScalars.contains(scalar))
        }
        if safe && !value.isEmpty { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

enum CharacterSetLite {
    static func alphanumerics(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
