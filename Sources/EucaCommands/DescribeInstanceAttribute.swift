import EucaCore

let describeInstanceAttribute = Command(
    "euca-describe-instance-attribute",
    summary: "show one of an instance's attributes",
    details: "Exactly one attribute is shown at a time. Prints the attribute's name, the instance ID and the value; block device mappings as BLOCKDEVICE lines, user data decoded on the lines after the first.",
    service: .ec2,
    options: [
        .flag("-b", "--block-device-mapping", help: "show the block device mappings"),
        .flag("--disable-api-termination", help: "show whether API termination is disabled"),
        .flag("--ebs-optimized", help: "show whether the instance is optimized for EBS I/O"),
        .flag("-g", "--group-id", help: "show the security groups the instance is in"),
        .flag("-p", "--product-code", help: "show the product codes"),
        .flag("--instance-initiated-shutdown-behavior",
              help: "show whether the instance stops or terminates when it shuts down"),
        .flag("-t", "--instance-type", help: "show the instance type"),
        .flag("--kernel", help: "show the ID of the kernel image"),
        .flag("--ramdisk", help: "show the ID of the ramdisk image"),
        .flag("--root-device-name", help: "show the name of the root device (e.g. /dev/sda1)"),
        .flag("--source-dest-check", help: "[VPC only] show whether source/destination checking is enabled"),
        .flag("--user-data", help: "show the user data"),
    ],
    positionals: [
        Positional("INSTANCE", type: .nonEmpty, help: "ID of the instance", parameter: .flat("InstanceId")),
    ],
    constraints: [.exactlyOne(InstanceAttribute.describable.map(\.key))],
    printsResponses: true,
    action: .custom { invocation in try await InstanceAttribute.describe(invocation) })
