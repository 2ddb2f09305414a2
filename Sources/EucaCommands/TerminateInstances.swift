import EucaCore

let terminateInstances = Command(
    "euca-terminate-instances",
    summary: "terminate one or more instances",
    details: "Prints INSTANCE, the instance ID, its previous state and its new state for each instance.",
    service: .ec2,
    positionals: [
        Positional("INSTANCE", arity: .oneOrMore, type: .nonEmpty, help: "ID of an instance to terminate",
                   parameter: .numbered("InstanceId")),
    ],
    action: .query("TerminateInstances", printer: .instanceStateChanges))
