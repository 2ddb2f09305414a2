/// Where a setting came from, for `--debug` and for error messages that tell the user which
/// file or variable to fix.
public enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    case flag(String)
    case environment(String)
    case file(path: String, section: String?)
    case derived(String)
    case builtInDefault

    public var description: String {
        switch self {
        case .flag(let name): return "command line \(name)"
        case .environment(let name): return "environment \(name)"
        case .file(let path, let section):
            return section.map { "\(path) [\($0)]" } ?? path
        case .derived(let how): return how
        case .builtInDefault: return "built-in default"
        }
    }
}

/// A setting's value together with its source.
public struct Sourced<Value: Sendable>: Sendable {
    public var value: Value
    public var source: ConfigSource
    public init(_ value: Value, _ source: ConfigSource) {
        self.value = value
        self.source = source
    }
}

extension Sourced: Equatable where Value: Equatable {}

/// A configuration problem the user must fix (exit status 1), phrased to say how.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
