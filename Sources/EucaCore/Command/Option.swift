/// How the values of an option or positional become API request parameters.
/// `values` holds one `[Field]` per occurrence on the command line (flags: an empty list each).
public struct ParameterBinding: Sendable {
    public var bind: @Sendable (_ values: [[Field]]) -> [QueryItem]

    public init(_ bind: @escaping @Sendable (_ values: [[Field]]) -> [QueryItem]) {
        self.bind = bind
    }

    static func join(_ name: String, _ suffix: String) -> String {
        if suffix.isEmpty { return name }
        if name.isEmpty { return suffix }
        return name + "." + suffix
    }

    /// `KeyName=value`; structured values fill `Name.Suffix`. The last occurrence wins, as in
    /// euca2ools (argparse) when a non-repeatable option is given twice.
    public static func flat(_ name: String) -> ParameterBinding {
        ParameterBinding { values in
            (values.last ?? []).map { QueryItem(join(name, $0.suffix), $0.value) }
        }
    }

    /// `Prefix.1=…`, `Prefix.2=…`, one index per occurrence (`SecurityGroup.N`,
    /// `BlockDeviceMapping.N.DeviceName`).
    public static func numbered(_ prefix: String) -> ParameterBinding {
        ParameterBinding { values in
            values.enumerated().flatMap { index, fields in
                fields.map { QueryItem(join("\(prefix).\(index + 1)", $0.suffix), $0.value) }
            }
        }
    }

    /// A fixed parameter sent when a flag is present (`--monitor` → `Monitoring.Enabled=true`).
    public static func constant(_ name: String, _ value: String) -> ParameterBinding {
        ParameterBinding { values in values.isEmpty ? [] : [QueryItem(name, value)] }
    }
}

/// Whether a positional takes one word, an optional one, or a list.
public enum Arity: Sendable, Equatable {
    case one
    case optional
    case oneOrMore
    case zeroOrMore

    var minimum: Int { self == .one || self == .oneOrMore ? 1 : 0 }
    var isList: Bool { self == .oneOrMore || self == .zeroOrMore }
}

/// A command-line option, declared once and used for parsing, help, man pages and completion.
public struct Option: Sendable {
    /// Every accepted spelling, short ones first: `["-k", "--key"]`. Historical spellings
    /// (`--ec2cert_path`, euca2ools 1.x long names) are simply more entries here.
    public var spellings: [String]
    /// The placeholder for the value (`KEYPAIR`); nil for a flag that takes no value.
    public var metavar: String?
    public var help: String
    public var type: ValueType
    public var isRequired: Bool
    public var isRepeatable: Bool
    public var defaultValue: String?
    public var parameter: ParameterBinding?
    /// The name code uses to read the value back (`arguments.string("key")`).
    public var key: String
    /// Hidden options are accepted but left out of help (used only for internal switches).
    public var isHidden: Bool
    /// For an option whose value may be left out (euca2ools 3.0–3.3 had some as plain flags,
    /// 3.4 gave them a value): what it means alone. The next word is taken as the value only
    /// when it converts with the option's type, so `--opt IMAGE` still leaves IMAGE alone.
    public var implicitValue: String?

    public init(_ spellings: String..., metavar: String? = nil, type: ValueType = .string,
                help: String, required: Bool = false, repeatable: Bool = false,
                default defaultValue: String? = nil, parameter: ParameterBinding? = nil,
                key: String? = nil, hidden: Bool = false, implicitValue: String? = nil) {
        self.init(spellings: spellings, metavar: metavar, type: type, help: help,
                  required: required, repeatable: repeatable, defaultValue: defaultValue,
                  parameter: parameter, key: key, hidden: hidden)
        self.implicitValue = implicitValue
    }

    init(spellings: [String], metavar: String?, type: ValueType, help: String, required: Bool,
         repeatable: Bool, defaultValue: String?, parameter: ParameterBinding?, key: String?,
         hidden: Bool) {
        precondition(!spellings.isEmpty && spellings.allSatisfy { $0.hasPrefix("-") })
        self.spellings = spellings
        self.metavar = metavar
        self.help = help
        self.type = type
        self.isRequired = required
        self.isRepeatable = repeatable
        self.defaultValue = defaultValue
        self.parameter = parameter
        self.key = key ?? Option.defaultKey(spellings)
        self.isHidden = hidden
    }

    /// A flag: present or not, no value. Repeating a flag is harmless.
    public static func flag(_ spellings: String..., help: String,
                            parameter: ParameterBinding? = nil, key: String? = nil,
                            hidden: Bool = false) -> Option {
        Option(spellings: spellings, metavar: nil, type: .string, help: help, required: false,
               repeatable: true, defaultValue: nil, parameter: parameter, key: key,
               hidden: hidden)
    }

    public var takesValue: Bool { metavar != nil }

    /// `-k/--key` — how errors name the option (the first short and the first long spelling).
    public var displayName: String {
        let short = spellings.first { !$0.hasPrefix("--") }
        let long = spellings.first { $0.hasPrefix("--") }
        return [short, long].compactMap { $0 }.joined(separator: "/")
    }

    static func defaultKey(_ spellings: [String]) -> String {
        let long = spellings.first { $0.hasPrefix("--") } ?? spellings[0]
        return String(long.drop { $0 == "-" })
    }
}

/// A positional argument.
public struct Positional: Sendable {
    public var metavar: String
    public var help: String
    public var arity: Arity
    public var type: ValueType
    public var parameter: ParameterBinding?
    public var key: String

    public init(_ metavar: String, arity: Arity = .one, type: ValueType = .string, help: String,
                parameter: ParameterBinding? = nil, key: String? = nil) {
        self.metavar = metavar
        self.help = help
        self.arity = arity
        self.type = type
        self.parameter = parameter
        self.key = key ?? metavar.lowercased()
    }
}
