/// The result of parsing: for each option or positional key, the raw values as typed (one per
/// occurrence; a flag occurrence is the empty string) and their converted fields.
public struct ParsedArguments: Sendable {
    public internal(set) var raw: [String: [String]] = [:]
    public internal(set) var converted: [String: [[Field]]] = [:]
    /// Defaults that applied because the option was absent (kept apart so `isSet` stays honest).
    public internal(set) var defaults: [String: String] = [:]

    public init() {}

    public func isSet(_ key: String) -> Bool { raw[key] != nil }

    /// The last value given (argparse semantics), else the declared default.
    public func string(_ key: String) -> String? {
        raw[key]?.last ?? defaults[key]
    }

    /// Every value given, in order (repeatable options, list positionals).
    public func strings(_ key: String) -> [String] {
        raw[key] ?? defaults[key].map { [$0] } ?? []
    }

    public func flag(_ key: String) -> Bool { isSet(key) }

    /// The value of an option the declaration makes present (`required: true`, a positional of
    /// arity one, or a constraint): a missing one is a bug in the declaration, reported as a
    /// failure instead of a crash.
    public func required(_ key: String) throws(CommandFailure) -> String {
        guard let value = string(key) else {
            throw CommandFailure("internal error: \(key) should have been required by the command's declaration")
        }
        return value
    }

    public func int(_ key: String) -> Int? { string(key).flatMap { Int($0) } }

    public func double(_ key: String) -> Double? { string(key).flatMap { Double($0) } }

    /// The converted fields of every occurrence (what parameter bindings consume).
    public func fields(_ key: String) -> [[Field]] { converted[key] ?? [] }
}
