import EucaCore

/// Instances: launching, describing, stopping, their attributes and console output.
let instanceCommands: [Command] = [
    describeInstanceAttribute,
    describeInstanceStatus,
    describeInstanceTypes,
    describeInstances,
    getConsoleOutput,
    getPassword,
    getPasswordData,
    modifyInstanceAttribute,
    monitorInstances,
    rebootInstances,
    resetInstanceAttribute,
    runInstances,
    startInstances,
    stopInstances,
    terminateInstances,
    unmonitorInstances,
]
