import EucaCore

let resetInstanceAttribute = Command(
    "euca-reset-instance-attribute",
    summary: "reset an attribute of an instance to its default value",
    details: "Exactly one attribute is reset at a time. Prints nothing on success.",
    service: .ec2,
    options: [
        .flag("--kernel", help: "reset the kernel image to the one the image specifies",
              parameter: .constant("Attribute", "kernel")),
        .flag("--ramdisk", help: "reset the ramdisk image to the one the image specifies",
              parameter: .constant("Attribute", "ramdisk")),
        .flag("--source-dest-check", help: "[VPC only] turn source/destination checking back on",
              parameter: .constant("Attribute", "sourceDestCheck")),
    ],
    positionals: [
        Positional("INSTANCE", type: .nonEmpty, help: "ID of the instance to change", parameter: .flat("InstanceId")),
    ],
    constraints: [.exactlyOne(["kernel", "ramdisk", "source-dest-check"])],
    action: .query("ResetInstanceAttribute",
                   printer: Printer { _ in [] }))
