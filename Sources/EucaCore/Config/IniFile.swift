import Foundation

/// An ini file as euca2ools (Python ConfigParser) and the AWS CLI read them: `[section]`
/// headers, `key = value` or `key: value`, `#`/`;` comment lines, and indented continuation
/// lines. Keys are lower-cased. Lines before the first header belong to the section "" (the
/// `AWS_CREDENTIAL_FILE` format is only that: `AWSAccessKeyId=…` lines).
public struct IniFile: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        public var name: String
        public var values: [String: String]
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var problem: String
        public var description: String { "\(path), line \(line): \(problem)" }
    }

    public var path: String
    public var sections: [Section]

    public subscript(section: String) -> [String: String]? {
        sections.last { $0.name == section }?.values
    }

    public init(path: String, text: String) throws(ParseError) {
        self.path = path
        var sections = [Section(name: "", values: [:])]
        var lastKey: String?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmed()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") {
                continue
            }
            if line.first == " " || line.first == "\t", let key = lastKey {
                // Continuation of the previous value (ConfigParser's multi-line values).
                let index = sections.count - 1
                sections[index].values[key, default: ""] += "\n" + trimmed
                continue
            }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw ParseError(path: path, line: offset + 1, problem: "malformed section header \(quoted(trimmed))")
                }
                let name = trimmed.dropFirst().dropLast().trimmed()
                sections.append(Section(name: name, values: [:]))
                lastKey = nil
                continue
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ParseError(path: path, line: offset + 1, problem: "expected KEY = VALUE, got \(quoted(trimmed))")
            }
            let key = trimmed[..<separator].trimmed().lowercased()
            guard !key.isEmpty else {
                throw ParseError(path: path, line: offset + 1, problem: "missing key before \(quoted(String(trimmed[separator])))")
            }
            let value = trimmed[trimmed.index(after: separator)...].trimmed()
            sections[sections.count - 1].values[key] = value
            lastKey = key
        }
        self.sections = sections
    }
}
