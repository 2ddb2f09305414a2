import EucaCore

/// Configuration, regions, zones and key pairs.
let coreCommands: [Command] = [
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
