import EucaCore

/// Instances: launching, describing, stopping, their attributes and console output.
let instanceCommands: [CommandEntry] = [
    .init("euca-describe-instance-attribute") { describeInstanceAttribute },
    .init("euca-describe-instance-status") { describeInstanceStatus },
    .init("euca-describe-instance-types") { describeInstanceTypes },
    .init("euca-describe-instances") { describeInstances },
    .init("euca-get-console-output") { getConsoleOutput },
    .init("euca-get-password") { getPassword },
    .init("euca-get-password-data") { getPasswordData },
    .init("euca-modify-instance-attribute") { modifyInstanceAttribute },
    .init("euca-monitor-instances") { monitorInstances },
    .init("euca-reboot-instances") { rebootInstances },
    .init("euca-reset-instance-attribute") { resetInstanceAttribute },
    .init("euca-run-instances") { runInstances },
    .init("euca-start-instances") { startInstances },
    .init("euca-stop-instances") { stopInstances },
    .init("euca-terminate-instances") { terminateInstances },
    .init("euca-unmonitor-instances") { unmonitorInstances },
]
