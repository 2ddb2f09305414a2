import EucaCore

let describeInstanceStatus = Command(
    "euca-describe-instance-status",
    summary: "show the status checks and scheduled events of instances",
    details: "Prints INSTANCE (ID, zone, state, state code, instance status, system status, retirement status and date), then SYSTEMSTATUS, INSTANCESTATUS and EVENT lines. Only running instances are shown unless --include-all-instances is given.",
    service: .ec2,
    options: [
        .flag("--hide-healthy", help: "leave out instances whose status checks all pass"),
        .flag("--include-all-instances", help: "show all instances, not only running ones",
              parameter: .constant("IncludeAllInstances", "true")),
    ],
    positionals: [
        Positional("INSTANCE", arity: .zeroOrMore, type: .nonEmpty, help: "limit results to specific instances",
                   parameter: .numbered("InstanceId")),
    ],
    filters: [
        "availability-zone", "event.code", "event.description", "event.instance-event-id",
        "event.not-after", "event.not-before", "event.not-before-deadline", "instance-state-code",
        "instance-state-name", "instance-status.reachability", "instance-status.status",
        "system-status.reachability", "system-status.status",
    ],
    action: .query("DescribeInstanceStatus", paginated: true, printer: .instanceStatuses))
