import EucaCore

let unmonitorInstances = Command(
    "euca-unmonitor-instances",
    summary: "disable detailed monitoring of one or more instances",
    details: "Prints each instance's ID and its new monitoring state (monitoring-disabling, monitoring-disabled).",
    service: .ec2,
    positionals: [
        Positional("INSTANCE", arity: .oneOrMore, type: .nonEmpty, help: "ID of an instance to stop monitoring",
                   parameter: .numbered("InstanceId")),
    ],
    action: .query("UnmonitorInstances", printer: .instanceMonitoring))
