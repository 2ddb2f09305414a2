/// A command, declared once: everything the parser, `--help`, the man page and shell completion
/// need, and what running it means.
public struct Command: Sendable {
    /// The canonical name, as installed: `euca-describe-regions`.
    public var name: String
    /// Other names the command answers to (euca2ools 1.x names such as `euca-add-group`).
    public var aliases: [String]
    /// One line, lower-case start, no period: shown in listings and as the man page NAME.
    public var summary: String
    /// Optional longer description for `--help` and the man page.
    public var details: String?
    /// The service whose settings the command resolves (nil: none at all).
    public var service: Service?
    /// Resolves the service's settings (certificates, account, `--region`'s config sections)
    /// but sends nothing: no endpoint, credential, retry or TLS options are offered.
    public var offline: Bool
    public var options: [Option]
    public var positionals: [Positional]
    /// Names accepted by `--filter NAME=VALUE` (nil: the command takes no filters). `tag:KEY`
    /// is always accepted in addition.
    public var filters: [String]?
    /// Rules between options and positionals, checked before the command runs.
    public var constraints: [Constraint]
    /// Whether the command prints records made from service responses, and so offers
    /// `--output json` (the documents themselves). True for every query action.
    public var printsResponses: Bool
    public var action: Action

    public init(_ name: String, aliases: [String] = [], summary: String, details: String? = nil,
                service: Service?, offline: Bool = false, options: [Option] = [], positionals: [Positional] = [],
                filters: [String]? = nil, constraints: [Constraint] = [], printsResponses: Bool? = nil,
                action: Action) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.details = details
        self.service = service
        self.offline = offline
        self.options = options
        self.positionals = positionals
        self.filters = filters
        self.constraints = constraints
        if case .query = action { self.printsResponses = printsResponses ?? true } else {
            self.printsResponses = printsResponses ?? false
        }
        self.action = action
    }

    /// The command's own options, `--filter` when it takes filters, then the common options
    /// whose spellings the command does not use itself. A command's own spelling always wins:
    /// euca2ools 1.x credential flags such as `-s` exist only where a command has no `-s`.
    public var allOptions: [Option] {
        var result = options
        if let filters { result.append(FilterOption.make(filters)) }
        let taken = Set(result.flatMap(\.spellings))
        let takenKeys = Set(result.map(\.key))
        for var common in CommonOptions.for(service, offline: offline, printsResponses: printsResponses) where !takenKeys.contains(common.key) {
            common.spellings.removeAll { taken.contains($0) }
            if !common.spellings.isEmpty { result.append(common) }
        }
        return result
    }

    /// How messages and help name an option or positional: `-a/--allocation-id`, `ADDRESS`.
    public func displayName(_ key: String) -> String {
        if let option = allOptions.first(where: { $0.key == key }) { return option.displayName }
        if let positional = positionals.first(where: { $0.key == key }) { return positional.metavar }
        return key
    }

    /// The spellings of the common options this command accepts, for grouping in help.
    var commonKeys: Set<String> {
        Set(CommonOptions.for(service, offline: offline, printsResponses: printsResponses).map(\.key))
            .subtracting(options.map(\.key))
    }
}

/// What running a command does.
public enum Action: Sendable {
    /// Send one EC2 Query API action with the parameters bound from the command line, and print
    /// the response with a shared printer.
    case query(QueryAction)
    /// Anything else: a short function over EucaCore.
    case custom(@Sendable (Invocation) async throws -> Void)

    public static func query(_ name: String, paginated: Bool = false,
                             extraParameters: (@Sendable (Invocation) throws -> [QueryItem])? = nil,
                             printer: Printer) -> Action {
        .query(QueryAction(name: name, paginated: paginated, extraParameters: extraParameters,
                           printer: printer))
    }
}

public struct QueryAction: Sendable {
    public var name: String
    /// Follow `NextToken` and print every page.
    public var paginated: Bool
    /// Parameters that need more than one option to compute (e.g. a generated client token).
    public var extraParameters: (@Sendable (Invocation) throws -> [QueryItem])?
    public var printer: Printer
}

/// Turns a response into records. Printers are shared between commands that print the same
/// records (run-instances and describe-instances print identical blocks).
public struct Printer: Sendable {
    public var print: @Sendable (XML.Element, ParsedArguments) -> [Record]

    public init(_ records: @escaping @Sendable (XML.Element) -> [Record]) {
        print = { response, _ in records(response) }
    }

    /// A printer that also needs what was typed (e.g. to echo a name the response omits).
    public init(withArguments print: @escaping @Sendable (XML.Element, ParsedArguments) -> [Record]) {
        self.print = print
    }

    public func records(_ response: XML.Element, _ arguments: ParsedArguments = ParsedArguments()) -> [Record] {
        print(response, arguments)
    }
}
