/// A rule between options (and positionals) of one command, declared with it and checked by
/// the parser before anything is sent. Keys are option or positional keys. Messages and the
/// help/man text are generated from the spellings, so no command spells option names by hand.
public enum Constraint: Sendable, Equatable {
    /// No two of these may be given together.
    case atMostOne([String])
    /// Exactly one of these must be given.
    case exactlyOne([String])
    /// At least one of these must be given.
    case atLeastOne([String])
    /// When the first is given, at least one of the others must be too.
    case requires(String, anyOf: [String])
    /// When the first is given, the second may not be — or, with a value, may not have that
    /// value (`-i/--iops` is not allowed with `-t/--type standard`).
    case notWith(String, String, value: String? = nil)

    public static func requires(_ key: String, _ other: String) -> Constraint {
        .requires(key, anyOf: [other])
    }

    /// Every key the rule names (a test checks each is declared by the command).
    public var keys: [String] {
        switch self {
        case .atMostOne(let keys), .exactlyOne(let keys), .atLeastOne(let keys): return keys
        case .requires(let key, let others): return [key] + others
        case .notWith(let key, let other, _): return [key, other]
        }
    }

    /// The problem with what was given, as a usage error message; nil when the rule holds.
    func violation(_ parsed: ParsedArguments, _ name: (String) -> String) -> String? {
        switch self {
        case .atMostOne(let keys):
            return tooMany(keys, parsed, name)
        case .exactlyOne(let keys):
            return tooMany(keys, parsed, name) ?? missing(keys, parsed, name)
        case .atLeastOne(let keys):
            return missing(keys, parsed, name)
        case .requires(let key, let others):
            guard parsed.isSet(key), !others.contains(where: parsed.isSet) else { return nil }
            return "\(name(key)) requires \(Constraint.alternatives(others.map(name)))"
        case .notWith(let key, let other, let value):
            guard parsed.isSet(key), parsed.isSet(other) else { return nil }
            if let value {
                guard parsed.strings(other).last == value else { return nil }
                return "\(name(key)) cannot be used with \(name(other)) \(value)"
            }
            return "\(name(key)) cannot be used with \(name(other))"
        }
    }

    func tooMany(_ keys: [String], _ parsed: ParsedArguments, _ name: (String) -> String) -> String? {
        let given = keys.filter(parsed.isSet)
        guard given.count > 1 else { return nil }
        return "\(Constraint.list(given.map(name), "and")) cannot be used together"
    }

    func missing(_ keys: [String], _ parsed: ParsedArguments, _ name: (String) -> String) -> String? {
        guard !keys.contains(where: parsed.isSet) else { return nil }
        return keys.count == 1 ? "\(name(keys[0])) is required"
            : "one of \(Constraint.alternatives(keys.map(name))) is required"
    }

    /// How `--help` and the man page state the rule.
    func summary(_ name: (String) -> String) -> String {
        switch self {
        case .atMostOne(let keys): return "at most one of \(Constraint.alternatives(keys.map(name)))"
        case .exactlyOne(let keys): return "exactly one of \(Constraint.alternatives(keys.map(name)))"
        case .atLeastOne(let keys): return "at least one of \(Constraint.alternatives(keys.map(name)))"
        case .requires(let key, let others): return "\(name(key)) requires \(Constraint.alternatives(others.map(name)))"
        case .notWith(let key, let other, let value):
            return "\(name(key)) cannot be used with \(name(other))" + (value.map { " \($0)" } ?? "")
        }
    }

    /// `A`, `A or B`, `A, B or C`.
    static func alternatives(_ names: [String]) -> String { list(names, "or") }

    static func list(_ names: [String], _ conjunction: String) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " \(conjunction) " + names.last!
    }
}
