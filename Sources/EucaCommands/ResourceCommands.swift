import EucaCore

/// Security groups, volumes, snapshots, addresses, images, tags and account attributes.
let resourceCommands: [Command] = [
]
