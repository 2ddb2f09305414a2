import Foundation

/// The certificates, private key and account ID of the bundling commands: each from its
/// command-line option, else the setting resolved from the environment and configuration
/// (`EC2_CERT`, `EC2_PRIVATE_KEY`, `EUCALYPTUS_CERT`, `EC2_USER_ID`, or the euca2ools ini
/// files), else the node controller's `EUCA_CERT`/`EUCA_PRIVATE_KEY`, as euca2ools looks.
struct BundleCredentials {
    let invocation: Invocation

    /// A file setting: its path and where it came from (for messages).
    struct SourcedPath {
        var path: String
        var source: String
    }

    func option(_ key: String, spelling: String, setting: Sourced<String>?, fallbackVariable: String? = nil) -> SourcedPath? {
        if let value = invocation.arguments.string(key), !value.isEmpty {
            return SourcedPath(path: expand(value), source: spelling)
        }
        if let setting, !setting.value.isEmpty {
            return SourcedPath(path: expand(setting.value), source: setting.source.description)
        }
        if let fallbackVariable, let value = invocation.environment[fallbackVariable], !value.isEmpty {
            return SourcedPath(path: expand(value), source: "environment \(fallbackVariable)")
        }
        return nil
    }

    var userCertificate: SourcedPath? {
        option("cert", spelling: "-c/--cert", setting: invocation.settings?.userCertificate, fallbackVariable: "EUCA_CERT")
    }

    var privateKey: SourcedPath? {
        option("privatekey", spelling: "-k/--privatekey", setting: invocation.settings?.userPrivateKey,
               fallbackVariable: "EUCA_PRIVATE_KEY")
    }

    var cloudCertificate: SourcedPath? {
        option("ec2cert", spelling: "--ec2cert", setting: invocation.settings?.cloudCertificate)
    }

    /// The account ID with dashes removed.
    var accountId: String? {
        let value = invocation.arguments.string("user") ?? invocation.settings?.accountId?.value
        guard let value, !value.isEmpty else { return nil }
        return value.replacingOccurrences(of: "-", with: "")
    }

    func loadCertificate(_ file: SourcedPath, what: String) throws -> RSAPublicKey {
        let text = try readText(file, what: what)
        do {
            return try RSAPublicKey(certificatePEM: text)
        } catch {
            throw BundleError("\(what) \(file.path) (from \(file.source)) is not usable: \(error)")
        }
    }

    func loadPrivateKey(_ file: SourcedPath) throws -> RSAPrivateKey {
        let text = try readText(file, what: "private key")
        do {
            return try RSAPrivateKey(pem: text)
        } catch {
            throw BundleError("private key \(file.path) (from \(file.source)) is not usable: \(error)")
        }
    }

    func readText(_ file: SourcedPath, what: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) else {
            throw UsageError("\(what) file \(quoted(file.path)) (from \(file.source)) does not exist")
        }
        guard !isDirectory.boolValue else {
            throw UsageError("\(what) file \(quoted(file.path)) (from \(file.source)) is not a file")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw BundleError("cannot read the \(what) \(file.path) (from \(file.source))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `~` and `$VARIABLE` expansion, as euca2ools applies to these paths.
    func expand(_ path: String) -> String {
        var result = path
        if result == "~" || result.hasPrefix("~/"), let home = invocation.environment["HOME"] {
            result = home + result.dropFirst()
        }
        guard result.contains("$") else { return result }
        var out = ""
        var index = result.startIndex
        while index < result.endIndex {
            let character = result[index]
            guard character == "$" else {
                out.append(character)
                index = result.index(after: index)
                continue
            }
            var nameStart = result.index(after: index)
            var braced = false
            if nameStart < result.endIndex, result[nameStart] == "{" {
                braced = true
                nameStart = result.index(after: nameStart)
            }
            var nameEnd = nameStart
            while nameEnd < result.endIndex, result[nameEnd].isLetter || result[nameEnd].isNumber || result[nameEnd] == "_" {
                nameEnd = result.index(after: nameEnd)
            }
            let name = String(result[nameStart..<nameEnd])
            var next = nameEnd
            if braced {
                guard nameEnd < result.endIndex, result[nameEnd] == "}" else {
                    out.append(character)
                    index = result.index(after: index)
                    continue
                }
                next = result.index(after: nameEnd)
            }
            if !name.isEmpty, let value = invocation.environment[name] {
                out += value
            } else {
                out += result[index..<next]
            }
            index = next
        }
        return out
    }
}

/// `DIR/NAME` as Python's os.path.join writes it (what euca2ools prints).
func joinPath(_ directory: String, _ name: String) -> String {
    if directory.isEmpty { return name }
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
}
