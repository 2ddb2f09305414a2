import EucaCore

let attachVolume = Command(
    "euca-attach-volume",
    summary: "attach a volume to an instance",
    details: "Prints the ATTACHMENT line: volume, instance, device, status and attach time.",
    service: .ec2,
    options: [
        Option("-i", "--instance", "--instance-id", metavar: "INSTANCE", type: .nonEmpty,
               help: "instance to attach the volume to", required: true,
               parameter: .flat("InstanceId"), key: "instance"),
        Option("-d", "--device", metavar: "DEVICE", type: .nonEmpty,
               help: "device name exposed to the instance (e.g. /dev/sdf)", required: true,
               parameter: .flat("Device")),
    ],
    positionals: [
        Positional("VOLUME", type: .nonEmpty, help: "ID of the volume to attach", parameter: .flat("VolumeId")),
    ],
    action: .query("AttachVolume", printer: .volumeAttachment))
