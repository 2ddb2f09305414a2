/// What a value on the command line converts to: one or more `Field`s. Most values are a single
/// field with an empty suffix; structured ones (a port range, a block-device mapping) produce
/// several, each suffix naming the API sub-parameter it fills (`FromPort`, `Ebs.VolumeSize`).
public struct Field: Sendable, Equatable, Hashable {
    public var suffix: String
    public var value: String

    public init(_ suffix: String, _ value: String) {
        self.suffix = suffix
        self.value = value
    }

}

extension Array where Element == Field {
    /// A single unstructured value.
    public static func scalar(_ value: String) -> [Field] { [Field("", value)] }
}

/// A conversion failure, phrased so that the parser can prefix the option's spellings:
/// `-p/--port-range: expected PORT or FROM-TO, got "22:80"`.
public struct ValueError: Error, Equatable, CustomStringConvertible {
    public var problem: String
    public init(_ problem: String) { self.problem = problem }

    /// The standard message: the expected form, then what was given.
    public static func expected(_ form: String, got value: String) -> ValueError {
        ValueError("expected \(form), got \(quoted(value))")
    }

    public var description: String { problem }
}

/// Quotes a user-supplied value for an error message, showing control characters escaped so a
/// message always stays on one line.
public func quoted(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// User text inside a message: as typed when it is plain, quoted with escapes visible when it
/// is empty or has spaces or control characters (a message must stay on one line).
public func shown(_ value: String) -> String {
    let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && $0 != "\"" }
    return plain ? value : quoted(value)
}

/// How shell completion should offer values for an option or positional.
public enum CompletionHint: Sendable, Equatable {
    case none
    case file
    case directory
    case choices([String])
}

/// A value type: a pure conversion from the text typed to the fields it means, plus the words
/// help and man pages use to describe the expected form.
public struct ValueType: Sendable {
    /// The expected form, as shown in error messages ("PORT or FROM-TO").
    public var expected: String
    public var completion: CompletionHint
    public var convert: @Sendable (String) throws(ValueError) -> [Field]

    public init(expected: String, completion: CompletionHint = .none,
                convert: @escaping @Sendable (String) throws(ValueError) -> [Field]) {
        self.expected = expected
        self.completion = completion
        self.convert = convert
    }
}
