import EucaCore

/// Every command of the suite. The binary dispatches on these names, `make` links them, and
/// the man pages and completion are generated from them.
public let allCommands: [Command] = [
    createKeyPair,
    deleteKeyPair,
    describeAvailabilityZones,
    describeKeyPairs,
    describeRegions,
    fingerprintKey,
    generateEnvironmentConfig,
    importKeyPair,
    version,
]
