import EucaCore

let createImage = Command(
    "euca-create-image",
    summary: "create an EBS image from a running or stopped EBS instance",
    details: "Prints IMAGE and the new image's ID.",
    service: .ec2,
    options: [
        Option("-n", "--name", metavar: "NAME", type: .nonEmpty, help: "name for the new image",
               required: true, parameter: .flat("Name")),
        Option("-d", "--description", metavar: "DESC", help: "description for the new image",
               parameter: .flat("Description")),
        Option.flag("--no-reboot",
                    help: "do not shut down the instance before creating the image; the image's file systems may be inconsistent",
                    parameter: .constant("NoReboot", "true")),
        Option("-b", "--block-device-mapping", metavar: "DEVICE=MAPPED", type: .blockDeviceMapping,
               help: "define a block device mapping for the image: DEVICE=none, DEVICE=ephemeralN, or DEVICE=[SNAP-ID]:[SIZE]:[true|false]:[TYPE[:IOPS]] (repeatable)",
               repeatable: true, parameter: .numbered("BlockDeviceMapping")),
    ],
    positionals: [
        Positional("INSTANCE", type: .nonEmpty, help: "ID of the instance to create the image from",
                   parameter: .flat("InstanceId")),
    ],
    action: .query("CreateImage", printer: .imageId))
