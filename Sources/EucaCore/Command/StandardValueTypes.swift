import Foundation

/// The value types shared by many commands. Each is a small pure function (file types read the
/// file system, nothing else); its error names the expected form and the value given.
extension ValueType {
    public static let string = ValueType(expected: "a value") { value throws(ValueError) in
        .scalar(value)
    }

    /// Any text but the empty string (names, ids).
    public static let nonEmpty = ValueType(expected: "a non-empty value") {
        value throws(ValueError) in
        guard !value.isEmpty else { throw ValueError("expected a non-empty value") }
        return .scalar(value)
    }

    public static func integer(_ range: ClosedRange<Int>) -> ValueType {
        let form = range.upperBound == Int.max
            ? "an integer of at least \(range.lowerBound)"
            : "an integer from \(range.lowerBound) to \(range.upperBound)"
        return ValueType(expected: form) { value throws(ValueError) in
            guard let n = Int(value.trimmed()), range.contains(n) else {
                throw .expected(form, got: value)
            }
            return .scalar(String(n))
        }
    }

    /// Seconds, possibly fractional, greater than zero (timeouts).
    public static let seconds = ValueType(expected: "a number of seconds greater than 0") {
        value throws(ValueError) in
        guard let n = Double(value), n > 0, n.isFinite else {
            throw .expected("a number of seconds greater than 0", got: value)
        }
        return .scalar(value)
    }

    public static func choice(_ choices: [String]) -> ValueType {
        let form = "one of " + choices.joined(separator: ", ")
        return ValueType(expected: form, completion: .choices(choices)) {
            value throws(ValueError) in
            guard choices.contains(value) else { throw .expected(form, got: value) }
            return .scalar(value)
        }
    }

    /// `true`/`false` as the API wants them; accepts the usual spellings.
    public static let boolean = ValueType(expected: "true or false",
                                          completion: .choices(["true", "false"])) {
        value throws(ValueError) in
        switch value.lowercased() {
        case "true", "yes", "on", "1": return .scalar("true")
        case "false", "no", "off", "0": return .scalar("false")
        default: throw .expected("true or false", got: value)
        }
    }

    /// A file that must exist and be readable now; the value stays the path.
    public static let readableFile = ValueType(expected: "a readable file", completion: .file) {
        path throws(ValueError) in
        try FileChecks.readableFile(path)
        return .scalar(path)
    }

    /// The contents of a readable file, as UTF-8 text (public keys, policies).
    public static let fileContents = ValueType(expected: "a readable file", completion: .file) {
        path throws(ValueError) in
        try FileChecks.readableFile(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValueError("cannot read \(quoted(path))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValueError("\(quoted(path)) is not a text file")
        }
        return .scalar(text)
    }

    /// An existing directory.
    public static let directory = ValueType(expected: "a directory", completion: .directory) {
        path throws(ValueError) in
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
              isDirectory.boolValue
        else { throw ValueError("\(quoted(path)) is not a directory") }
        return .scalar(path)
    }

    /// A path to create: its directory must exist. (Whether the file may be overwritten is the
    /// command's decision.)
    public static let outputFile = ValueType(expected: "a file name", completion: .file) {
        path throws(ValueError) in
        guard !path.isEmpty else { throw ValueError("expected a file name") }
        let parent = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !parent.isEmpty,
           !(FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory)
             && isDirectory.boolValue) {
            throw ValueError("directory \(quoted(parent)) does not exist")
        }
        return .scalar(path)
    }

    /// An http or https URL with a host.
    public static let url = ValueType(expected: "an http:// or https:// URL") {
        value throws(ValueError) in
        guard let components = URLComponents(string: value),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else { throw .expected("an http:// or https:// URL", got: value) }
        return .scalar(value)
    }

    /// A service endpoint: a URL, optionally prefixed with the region it is signed for
    /// (`lab::https://cloud.example.com:8773/services/compute`), as euca2ools accepts.
    public static let endpoint = ValueType(expected: "an http:// or https:// URL, or REGION::URL") {
        value throws(ValueError) in
        var url = value
        if let separator = value.range(of: "::") {
            let prefix = value[..<separator.lowerBound]
            if !prefix.isEmpty, !prefix.contains("/"), !prefix.contains("[") {
                url = String(value[separator.upperBound...])
            }
        }
        guard let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else { throw .expected("an http:// or https:// URL, or REGION::URL", got: value) }
        return .scalar(value)
    }

    /// `PORT` or `FROM-TO`, each -1…65535 (-1 means "all" to EC2). Fields: FromPort, ToPort.
    public static let portRange = ValueType(expected: "PORT or FROM-TO") {
        value throws(ValueError) in
        let (from, to) = try PortRange.parse(value)
        return [Field("FromPort", String(from)), Field("ToPort", String(to))]
    }

    /// `TYPE:CODE` for ICMP, each -1…255. Fields: FromPort (type), ToPort (code), as EC2 wants.
    public static let icmpTypeCode = ValueType(expected: "TYPE:CODE") {
        value throws(ValueError) in
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let type = Int(parts[0]), let code = Int(parts[1]),
              (-1...255).contains(type), (-1...255).contains(code)
        else { throw .expected("TYPE:CODE with each from -1 to 255", got: value) }
        return [Field("FromPort", String(type)), Field("ToPort", String(code))]
    }

    /// An IPv4 CIDR block `A.B.C.D/N`.
    public static let cidr = ValueType(expected: "an IPv4 CIDR block like 10.0.0.0/8") {
        value throws(ValueError) in
        guard CIDR.isValidIPv4(value) else {
            throw .expected("an IPv4 CIDR block like 10.0.0.0/8", got: value)
        }
        return .scalar(value)
    }
}

/// File checks shared by the file value types.
enum FileChecks {
    static func readableFile(_ path: String) throws(ValueError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValueError("file \(quoted(path)) does not exist")
        }
        guard !isDirectory.boolValue else { throw ValueError("\(quoted(path)) is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ValueError("file \(quoted(path)) is not readable")
        }
    }
}

public enum PortRange {
    /// Parses `22`, `80-81`, `-1`; a colon gets its own hint because `22:80` is the classic typo.
    public static func parse(_ value: String) throws(ValueError) -> (Int, Int) {
        let form = "PORT or FROM-TO"
        if value.contains(":") {
            throw ValueError("expected \(form) (a range is separated by \"-\", not \":\"), got \(quoted(value))")
        }
        if let single = Int(value) {
            guard (-1...65535).contains(single) else {
                throw ValueError("port \(single) is out of range -1 to 65535")
            }
            return (single, single)
        }
        // Split on the dash that is not a leading minus sign ("-1--1" is legal if odd).
        let body = value.hasPrefix("-") ? String(value.dropFirst()) : value
        guard let dash = body.firstIndex(of: "-") else { throw .expected(form, got: value) }
        let fromText = (value.hasPrefix("-") ? "-" : "") + body[..<dash]
        let toText = String(body[body.index(after: dash)...])
        guard let from = Int(fromText), let to = Int(toText) else {
            throw .expected(form, got: value)
        }
        for port in [from, to] where !(-1...65535).contains(port) {
            throw ValueError("port \(port) is out of range -1 to 65535")
        }
        guard from <= to || to == -1 else {
            throw ValueError("port range \(quoted(value)) starts after it ends")
        }
        return (from, to)
    }
}

public enum CIDR {
    public static func isValidIPv4(_ value: String) -> Bool {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix),
              parts[1].allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        return isValidIPv4Address(String(parts[0]))
    }

    public static func isValidIPv4Address(_ value: String) -> Bool {
        let octets = value.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy({ $0.isASCII && $0.isNumber })
                && Int(octet).map { $0 <= 255 } == true
        }
    }
}

extension ValueType {
    /// A readable file whose bytes are sent base64-encoded (public keys, user data files).
    public static let base64FileContents = ValueType(expected: "a readable file", completion: .file) {
        path throws(ValueError) in
        try FileChecks.readableFile(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValueError("cannot read \(quoted(path))")
        }
        return .scalar(data.base64EncodedString())
    }
}
