import EucaCore

let stopInstances = Command(
    "euca-stop-instances",
    summary: "stop one or more running EBS-backed instances",
    details: "Prints INSTANCE, the instance ID, its previous state and its new state for each instance.",
    service: .ec2,
    options: [
        .flag("-f", "--force", help: "stop the instances at once, without letting them shut down cleanly (data may be lost)",
              parameter: .constant("Force", "true")),
    ],
    positionals: [
        Positional("INSTANCE", arity: .oneOrMore, type: .nonEmpty, help: "ID of an instance to stop",
                   parameter: .numbered("InstanceId")),
    ],
    action: .query("StopInstances", printer: .instanceStateChanges))
