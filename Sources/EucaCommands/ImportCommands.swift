import EucaCore

/// Disk image imports (import-instance, import-volume and their conversion tasks) and euca-bundle-vol.
let importCommands: [CommandEntry] = [
]
