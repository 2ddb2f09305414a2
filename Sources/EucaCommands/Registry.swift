import EucaCore

/// Every command of the suite. The binary dispatches on these names, `make` links them, and
/// the man pages and completion are generated from them. Each group lists its commands in
/// its own file (CoreCommands.swift, …) so that adding a command touches one short list.
public let commandRegistry: [CommandEntry] = coreCommands + instanceCommands + resourceCommands + bundleCommands
    + vpcCommands + networkCommands + vpnCommands + importCommands

/// Every declaration, built (for tests and tools that need them all).
public var allCommands: [Command] { commandRegistry.map(\.command) }
