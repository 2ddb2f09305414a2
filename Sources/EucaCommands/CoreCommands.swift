import EucaCore

/// Configuration, regions, zones and key pairs.
let coreCommands: [CommandEntry] = [
    .init("euca-create-keypair", aliases: ["euca-add-keypair"]) { createKeyPair },
    .init("euca-delete-keypair") { deleteKeyPair },
    .init("euca-describe-availability-zones") { describeAvailabilityZones },
    .init("euca-describe-keypairs") { describeKeyPairs },
    .init("euca-describe-regions") { describeRegions },
    .init("euca-fingerprint-key") { fingerprintKey },
    .init("euca-generate-environment-config") { generateEnvironmentConfig },
    .init("euca-import-keypair") { importKeyPair },
    .init("euca-version") { version },
]
