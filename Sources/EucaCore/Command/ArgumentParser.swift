/// Parses a command line against a command's declaration, with the conventions euca2ools
/// (argparse) users rely on: `-x VALUE`, `-xVALUE`, `--long VALUE`, `--long=VALUE`, unambiguous
/// prefixes of long options, bundled short flags (`-fv`), `--` ending options, and an option's
/// value taken verbatim even when it starts with `-` (`-p -1`).
public struct ArgumentParser {
    public let command: Command
    let options: [Option]
    let bySpelling: [String: Int]
    let longSpellings: [String]

    public init(_ command: Command) {
        self.command = command
        options = command.allOptions
        var table: [String: Int] = [:]
        for (index, option) in options.enumerated() {
            for spelling in option.spellings { table[spelling] = index }
        }
        bySpelling = table
        longSpellings = table.keys.filter { $0.hasPrefix("--") }.sorted()
    }

    /// What the user asked for before anything is validated: `--help` and `--version` win over
    /// any other problem on the line, as they do in argparse.
    public enum Request: Equatable {
        case run
        case help
        case version
    }

    public func parse(_ arguments: [String]) throws(UsageError) -> (Request, ParsedArguments) {
        let beforeDoubleDash = arguments.prefix { $0 != "--" }
        if beforeDoubleDash.contains(where: { $0 == "-h" || $0 == "--help" }) {
            return (.help, ParsedArguments())
        }
        if beforeDoubleDash.contains("--version") { return (.version, ParsedArguments()) }
        var parsed = ParsedArguments()
        var words: [String] = []
        var index = 0
        var optionsEnded = false

        func record(_ option: Option, _ value: String?) throws(UsageError) {
            var fields: [Field] = []
            if let value {
                do {
                    fields = try option.type.convert(value)
                } catch {
                    throw UsageError("\(option.displayName): \(error.problem)")
                }
            }
            parsed.raw[option.key, default: []].append(value ?? "")
            parsed.converted[option.key, default: []].append(fields)
        }

        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                words.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument.hasPrefix("--") {
                let (spelling, inline) = splitLong(argument)
                let option = try resolveLong(spelling)
                if option.takesValue {
                    if let inline {
                        try record(option, inline)
                    } else if let implicit = option.implicitValue {
                        if index < arguments.count, !arguments[index].hasPrefix("-"),
                           (try? option.type.convert(arguments[index])) != nil {
                            try record(option, arguments[index])
                            index += 1
                        } else {
                            try record(option, implicit)
                        }
                    } else {
                        guard index < arguments.count else {
                            throw UsageError("\(option.displayName): expected one argument")
                        }
                        try record(option, arguments[index])
                        index += 1
                    }
                } else {
                    guard inline == nil else {
                        throw UsageError("\(option.displayName): takes no value, got \(quoted(inline!))")
                    }
                    try record(option, nil)
                }
                continue
            }
            // One or more short options: "-k", "-kVALUE", "-fv".
            var rest = Substring(argument.dropFirst())
            while let letter = rest.first {
                rest = rest.dropFirst()
                guard let slot = bySpelling["-\(letter)"] else {
                    throw UsageError("unrecognized option \(shown("-\(letter)"))" + (argument.count > 2 ? " in \(quoted(argument))" : ""))
                }
                let option = options[slot]
                if option.takesValue {
                    if !rest.isEmpty {
                        try record(option, String(rest))
                    } else {
                        guard index < arguments.count else {
                            throw UsageError("\(option.displayName): expected one argument")
                        }
                        try record(option, arguments[index])
                        index += 1
                    }
                    break
                }
                try record(option, nil)
            }
        }

        try assignPositionals(words, into: &parsed)
        try checkRequiredAndConstraints(&parsed)
        return (.run, parsed)
    }

    func splitLong(_ argument: String) -> (String, String?) {
        guard let eq = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<eq]), String(argument[argument.index(after: eq)...]))
    }

    func resolveLong(_ spelling: String) throws(UsageError) -> Option {
        if let exact = bySpelling[spelling] { return options[exact] }
        let candidates = longSpellings.filter { $0.hasPrefix(spelling) }
        let distinct = Set(candidates.compactMap { bySpelling[$0] })
        if distinct.count == 1, let only = distinct.first { return options[only] }
        if candidates.isEmpty {
            throw UsageError("unrecognized option \(shown(spelling))")
        }
        throw UsageError("ambiguous option \(shown(spelling)) could match \(candidates.joined(separator: ", "))")
    }

    /// Hands out words to positionals in order: each gets its minimum, then lists and optionals
    /// take what is left, left to right.
    func assignPositionals(_ words: [String], into parsed: inout ParsedArguments)
        throws(UsageError)
    {
        let positionals = command.positionals
        let required = positionals.reduce(0) { $0 + $1.arity.minimum }
        if words.count < required {
            let missing = positionals.filter { $0.arity.minimum > 0 }
                .dropFirst(max(0, countSatisfied(words.count, positionals)))
                .map(\.metavar)
            throw UsageError("the following arguments are required: \(missing.joined(separator: ", "))")
        }
        var spare = words.count - required
        var cursor = 0
        for positional in positionals {
            var take = positional.arity.minimum
            switch positional.arity {
            case .optional:
                let extra = min(1, spare)
                take += extra
                spare -= extra
            case .oneOrMore, .zeroOrMore:
                take += spare
                spare = 0
            case .one:
                break
            }
            for word in words[cursor..<cursor + take] {
                do {
                    let fields = try positional.type.convert(word)
                    parsed.raw[positional.key, default: []].append(word)
                    parsed.converted[positional.key, default: []].append(fields)
                } catch {
                    throw UsageError("argument \(positional.metavar): \(error.problem)")
                }
            }
            cursor += take
        }
        if cursor < words.count {
            throw UsageError("unrecognized arguments: \(words[cursor...].map(shown).joined(separator: " "))")
        }
    }

    /// How many of the leading required positionals the given word count satisfies.
    func countSatisfied(_ count: Int, _ positionals: [Positional]) -> Int {
        var remaining = count
        var satisfied = 0
        for positional in positionals where positional.arity.minimum > 0 {
            guard remaining >= positional.arity.minimum else { break }
            remaining -= positional.arity.minimum
            satisfied += 1
        }
        return satisfied
    }

    func checkRequiredAndConstraints(_ parsed: inout ParsedArguments) throws(UsageError) {
        let missing = options.filter { $0.isRequired && !parsed.isSet($0.key) }
        if !missing.isEmpty {
            throw UsageError("the following arguments are required: \(missing.map(\.displayName).joined(separator: ", "))")
        }
        for constraint in command.constraints {
            if let problem = constraint.violation(parsed, command.displayName) { throw UsageError(problem) }
        }
        for option in options where !parsed.isSet(option.key) {
            if let value = option.defaultValue {
                parsed.defaults[option.key] = value
                if let fields = try? option.type.convert(value) {
                    parsed.converted[option.key] = [fields]
                }
            }
        }
    }

    /// The API parameters bound from everything given on the command line, in declaration order.
    public static func parameters(for command: Command, _ parsed: ParsedArguments) -> [QueryItem] {
        var items: [QueryItem] = []
        for positional in command.positionals {
            if let binding = positional.parameter, !parsed.fields(positional.key).isEmpty {
                items += binding.bind(parsed.fields(positional.key))
            }
        }
        for option in command.allOptions {
            if let binding = option.parameter, !parsed.fields(option.key).isEmpty {
                items += binding.bind(parsed.fields(option.key))
            }
        }
        return items
    }
}
