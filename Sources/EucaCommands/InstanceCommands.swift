import EucaCore

/// Instances: launching, describing, stopping, their attributes and console output.
let instanceCommands: [Command] = [
]
