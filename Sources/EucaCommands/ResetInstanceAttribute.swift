import EucaCore

let resetInstanceAttribute = Command(
    "euca-reset-instance-attribute",
    summary: "reset an attribute of an instance to its default value",
    details: "Exactly one attribute is reset at a time. Prints nothing on success.",
    service: .ec2,
    options: [
        .flag("--kernel", help: "reset the kernel image to the one the image specifies"),
        .flag("--ramdisk", help: "reset the ramdisk image to the one the image specifies"),
        .flag("--source-dest-check", help: "[VPC only] turn source/destination checking back on"),
    ],
    positionals: [
        Positional("INSTANCE", type: .nonEmpty, help: "ID of the instance to change", parameter: .flat("InstanceId")),
    ],
    exclusive: [InstanceAttribute.resettable.map(\.key)],
    action: .query("ResetInstanceAttribute", extraParameters: InstanceAttribute.resetParameters,
                   printer: Printer { _ in [] }))
