import Foundation

/// The program's entry point: finds the command from the name the binary was started under
/// (`euca-describe-regions`, or `euca describe-regions`), parses, resolves settings, runs, and
/// turns every failure into one line on stderr with the documented exit status:
/// 0 success, 1 service, transport, configuration or runtime failure, 2 command-line misuse.
public struct CommandLineTool: Sendable {
    public static let version = "0.1.0"
    public static let versionLine = "euca2ools-swift \(version) (compatible with euca2ools 3.4.1)"

    public let entries: [CommandEntry]
    let byName: [String: CommandEntry]

    public init(_ entries: [CommandEntry]) {
        self.entries = entries
        var table: [String: CommandEntry] = [:]
        for entry in entries {
            for name in entry.names {
                precondition(table[name] == nil, "duplicate command name \(name)")
                table[name] = entry
            }
        }
        byName = table
    }

    public init(commands: [Command]) {
        self.init(commands.map(CommandEntry.init))
    }

    /// Every declaration (for listings, man pages and completion, which need them all).
    public var commands: [Command] { entries.map(\.command) }

    public func command(named name: String) -> Command? {
        (byName[name] ?? byName["euca-" + name])?.command
    }

    /// Every name a link should exist for: canonical names and aliases.
    public var allNames: [String] { byName.keys.sorted() }

    public func main() async -> Never {
        StandardStream.ignoreBrokenPipeSignal()
        let status = await run(CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
        exit(status)
    }

    public func run(_ argv: [String], environment: [String: String]) async -> Int32 {
        let invokedAs = (argv.first.map { ($0 as NSString).lastPathComponent }) ?? "euca"
        if let command = command(named: invokedAs), invokedAs.hasPrefix("euca-") {
            return await run(command, programName: invokedAs, arguments: Array(argv.dropFirst()),
                             environment: environment)
        }
        return await runMultiCall(Array(argv.dropFirst()), environment: environment)
    }

    /// `euca NAME ARGS…`, plus the few switches of the multi-call binary itself.
    func runMultiCall(_ arguments: [String], environment: [String: String]) async -> Int32 {
        guard let first = arguments.first else {
            StandardStream.error.write(overview)
            return 2
        }
        switch first {
        case "-h", "--help", "help":
            StandardStream.output.write(overview)
            return 0
        case "--version":
            StandardStream.output.writeLine(CommandLineTool.versionLine)
            return 0
        case "--list-commands":
            StandardStream.output.write(allNames.map { $0 + "\n" }.joined())
            return 0
        case "--man-page":
            guard arguments.count == 2, let page = manPage(arguments[1]) else {
                StandardStream.error.writeLine("euca: error: --man-page needs one command name (or euca)")
                return 2
            }
            StandardStream.output.write(page)
            return 0
        case "--bash-completion":
            StandardStream.output.write(BashCompletion(commands: commands).script)
            return 0
        default:
            guard let command = command(named: first) else {
                StandardStream.error.writeLine("euca: error: unknown command \(quoted(first)); `euca --help` lists them")
                return 2
            }
            let name = first.hasPrefix("euca-") ? first : "euca-" + first
            return await run(command, programName: name, arguments: Array(arguments.dropFirst()),
                             environment: environment)
        }
    }

    /// The man page installed as `NAME.1`: the command's own page, a `.so` redirect for an
    /// alias, or euca(1) for the multi-call binary.
    public func manPage(_ name: String) -> String? {
        if name == "euca" { return ManPageWriter.overview(commands) }
        guard let command = byName[name]?.command else { return nil }
        return command.name == name ? ManPageWriter(command).page : ".so man1/\(command.name).1\n"
    }

    var overview: String {
        var text = "usage: euca COMMAND [ARGS...]   (or run euca-COMMAND directly)\n\n"
        text += "\(CommandLineTool.versionLine)\n\ncommands:\n"
        for command in commands.sorted(by: { $0.name < $1.name }) {
            let name = "  " + command.name
            text += name.padding(toLength: max(name.count + 2, 40), withPad: " ", startingAt: 0)
                + command.summary + "\n"
        }
        text += "\nEach command has --help and a man page (man euca-COMMAND).\n"
        return text
    }

    public func run(_ command: Command, programName: String, arguments: [String],
                    environment: [String: String]) async -> Int32 {
        let help = HelpFormatter(command, programName: programName)
        let request: ArgumentParser.Request
        let parsed: ParsedArguments
        do {
            (request, parsed) = try ArgumentParser(command).parse(arguments)
        } catch {
            StandardStream.error.write("\(help.usage)\n\(programName): error: \(error.message)\n")
            return 2
        }
        switch request {
        case .help:
            StandardStream.output.write(help.help)
            return 0
        case .version:
            StandardStream.output.writeLine(CommandLineTool.versionLine)
            return 0
        case .run:
            break
        }
        let log = DebugLog(enabled: parsed.flag("debug"))
        do {
            var settings: Settings?
            if let service = command.service {
                let resolver = try ConfigLoader(environment: environment)
                    .resolver(arguments: parsed, service: service)
                settings = try resolver.resolve()
                log(settings!.debugLines().joined(separator: "\n"))
            }
            let invocation = Invocation(programName: programName, command: command, arguments: parsed,
                                        environment: environment, settings: settings, log: log)
            try await QueryRunner.run(invocation)
            return 0
        } catch let error as UsageError {
            StandardStream.error.write("\(help.usage)\n\(programName): error: \(error.message)\n")
            return 2
        } catch {
            StandardStream.error.writeLine(log.redact("\(programName): error\(CommandLineTool.describe(error))"))
            return 1
        }
    }

    /// `: message` or ` (Code): message`, so that service errors read `PROG: error (Code): …`.
    static func describe(_ error: Error) -> String {
        switch error {
        case let error as ServiceError where error.code != nil:
            return " " + error.description
        case let error as CustomStringConvertible:
            return ": " + error.description
        default:
            return ": \(error)"
        }
    }
}

/// Runs a command's action: custom actions as they are, query actions by binding parameters,
/// calling the API (every page when paginated) and printing with the command's printer.
enum QueryRunner {
    static func run(_ invocation: Invocation) async throws {
        switch invocation.command.action {
        case .custom(let body):
            try await body(invocation)
        case .query(let action):
            var parameters = invocation.boundParameters
            if let extra = action.extraParameters { parameters += try extra(invocation) }
            guard let service = invocation.command.service else {
                throw CommandFailure("\(invocation.command.name) sends a query but names no service")
            }
            let client = try invocation.query(service)
            let pages = action.paginated
                ? try await client.callAllPages(action.name, parameters)
                : [try await client.call(action.name, parameters)]
            invocation.output(pages.flatMap { action.printer.records($0, invocation.arguments) }, from: pages,
                              pageToken: service.definition.pagination?.element)
        }
    }
}
