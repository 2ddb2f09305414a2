import EucaCore

let startInstances = Command(
    "euca-start-instances",
    summary: "start one or more stopped instances",
    details: "Prints INSTANCE, the instance ID, its previous state and its new state for each instance.",
    service: .ec2,
    positionals: [
        Positional("INSTANCE", arity: .oneOrMore, type: .nonEmpty, help: "ID of an instance to start",
                   parameter: .numbered("InstanceId")),
    ],
    action: .query("StartInstances", printer: .instanceStateChanges))
