/// A command in the registry: its names, and its declaration built only when asked for. A run
/// of `euca-describe-regions` builds one declaration, not all 300 (options, help strings and
/// closures for every command cost a process more than the dispatch itself). The names repeat
/// the declaration's; a test checks that they agree.
public struct CommandEntry: Sendable {
    /// The canonical name, then the aliases.
    public let names: [String]
    let declaration: @Sendable () -> Command

    public init(_ name: String, aliases: [String] = [], _ declaration: @escaping @Sendable () -> Command) {
        names = [name] + aliases
        self.declaration = declaration
    }

    /// An entry for a declaration already at hand (tests, small tools).
    public init(_ command: Command) {
        names = [command.name] + command.aliases
        declaration = { command }
    }

    public var command: Command { declaration() }
}
