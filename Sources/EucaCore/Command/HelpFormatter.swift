/// `--help` text and the usage line, laid out as argparse lays them out so that operators used
/// to euca2ools find things where they expect them.
public struct HelpFormatter {
    public let command: Command
    public let programName: String
    let width = 79

    public init(_ command: Command, programName: String? = nil) {
        self.command = command
        self.programName = programName ?? command.name
    }

    /// `usage: euca-create-keypair [-f FILE] [-t TYPE] [common options] KEYPAIR`, wrapped.
    public var usage: String {
        var parts: [String] = []
        for option in command.options where !option.isHidden {
            parts.append(usagePart(option))
        }
        if command.filters != nil { parts.append("[--filter NAME=VALUE]") }
        parts.append("[common options]")
        for positional in command.positionals {
            parts.append(usagePart(positional))
        }
        return wrap(prefix: "usage: \(programName) ", parts: parts)
    }

    func usagePart(_ option: Option) -> String {
        let spelling = option.spellings[0]
        let body = option.metavar.map { option.implicitValue == nil ? "\(spelling) \($0)" : "\(spelling) [\($0)]" } ?? spelling
        if option.isRequired { return body }
        return option.isRepeatable && option.takesValue ? "[\(body) ...]" : "[\(body)]"
    }

    func usagePart(_ positional: Positional) -> String {
        switch positional.arity {
        case .one: return positional.metavar
        case .optional: return "[\(positional.metavar)]"
        case .oneOrMore: return "\(positional.metavar) [\(positional.metavar) ...]"
        case .zeroOrMore: return "[\(positional.metavar) ...]"
        }
    }

    func wrap(prefix: String, parts: [String]) -> String {
        var lines: [String] = []
        var line = prefix
        let indent = String(repeating: " ", count: min(prefix.count, 30))
        for part in parts {
            if line.count + part.count > width, line != prefix, line != indent {
                lines.append(String(line.dropLast()))
                line = indent
            }
            line += part + " "
        }
        lines.append(String(line.dropLast()))
        return lines.joined(separator: "\n")
    }

    public var help: String {
        var out = usage + "\n\n" + command.summary.prefix(1).uppercased() + command.summary.dropFirst() + "\n"
        if let details = command.details {
            out += "\n" + fill(details, indent: "") + "\n"
        }
        if !command.positionals.isEmpty {
            out += "\npositional arguments:\n"
            for positional in command.positionals {
                out += entry(positional.metavar, positional.help)
            }
        }
        let all = command.allOptions.filter { !$0.isHidden }
        let common = command.commonKeys
        let own = all.filter { !common.contains($0.key) }
        if !own.isEmpty {
            out += "\noptions:\n"
            for option in own { out += entry(invocation(option), describe(option)) }
        }
        if !command.constraints.isEmpty {
            out += "\nconstraints:\n"
            for constraint in command.constraints {
                out += fill(constraint.summary(command.displayName), indent: "  ") + "\n"
            }
        }
        if let filters = command.filters {
            out += "\nfilters (--filter NAME=VALUE; tag:KEY is always accepted):\n"
            out += fill(filters.joined(separator: "  "), indent: "  ") + "\n"
        }
        out += "\ncommon options:\n"
        for option in all where common.contains(option.key) {
            out += entry(invocation(option), describe(option))
        }
        return out
    }

    /// `-f FILE, --filename FILE` — every spelling, each with its metavar.
    func invocation(_ option: Option) -> String {
        option.spellings.map { spelling in
            option.metavar.map { option.implicitValue == nil ? "\(spelling) \($0)" : "\(spelling) [\($0)]" } ?? spelling
        }.joined(separator: ", ")
    }

    func describe(_ option: Option) -> String {
        var text = option.help
        if let value = option.defaultValue { text += " (default: \(value))" }
        if option.isRequired { text += " (required)" }
        if option.isRepeatable && option.takesValue && !text.contains("repeatable") { text += " (repeatable)" }
        return text
    }

    /// One help entry: the name column is 24 wide; long names put the help on the next line.
    func entry(_ name: String, _ help: String) -> String {
        let column = 24
        let head = "  " + name
        let body = fill(help, indent: String(repeating: " ", count: column))
        if head.count <= column - 2 {
            let padded = head.padding(toLength: column, withPad: " ", startingAt: 0)
            return padded + body.dropFirst(column) + "\n"
        }
        return head + "\n" + body + "\n"
    }

    func fill(_ text: String, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.count + word.count + 1 > width, line != indent {
                lines.append(line)
                line = indent
            }
            line += (line == indent ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
