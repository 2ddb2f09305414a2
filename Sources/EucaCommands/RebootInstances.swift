import EucaCore

let rebootInstances = Command(
    "euca-reboot-instances",
    summary: "reboot one or more instances",
    details: "Prints nothing when the request is accepted.",
    service: .ec2,
    positionals: [
        Positional("INSTANCE", arity: .oneOrMore, type: .nonEmpty, help: "ID of an instance to reboot",
                   parameter: .numbered("InstanceId")),
    ],
    action: .query("RebootInstances", printer: Printer { _ in [] }))
