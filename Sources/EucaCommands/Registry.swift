import EucaCore

/// Every command of the suite. The binary dispatches on these names, `make` links them, and
/// the man pages and completion are generated from them. Each group lists its commands in
/// its own file (CoreCommands.swift, …) so that adding a command touches one short list.
public let allCommands: [Command] = coreCommands + instanceCommands + resourceCommands + bundleCommands
