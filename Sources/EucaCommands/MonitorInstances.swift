import EucaCore

let monitorInstances = Command(
    "euca-monitor-instances",
    summary: "enable detailed monitoring of one or more instances",
    details: "Prints each instance's ID and its new monitoring state (monitoring-pending, monitoring-enabled).",
    service: .ec2,
    positionals: [
        Positional("INSTANCE", arity: .oneOrMore, type: .nonEmpty, help: "ID of an instance to monitor",
                   parameter: .numbered("InstanceId")),
    ],
    action: .query("MonitorInstances", printer: .instanceMonitoring))
