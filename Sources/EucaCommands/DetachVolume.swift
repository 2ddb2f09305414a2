import EucaCore

let detachVolume = Command(
    "euca-detach-volume",
    summary: "detach a volume from an instance",
    details: "Prints the ATTACHMENT line: volume, instance, device, status and attach time.",
    service: .ec2,
    options: [
        Option("-i", "--instance", "--instance-id", metavar: "INSTANCE", type: .nonEmpty,
               help: "instance to detach from", parameter: .flat("InstanceId"), key: "instance"),
        Option("-d", "--device", metavar: "DEVICE", type: .nonEmpty, help: "device name",
               parameter: .flat("Device")),
        Option.flag("-f", "--force",
                    help: "detach without waiting for the instance; data may be lost",
                    parameter: .constant("Force", "true")),
    ],
    positionals: [
        Positional("VOLUME", type: .nonEmpty, help: "ID of the volume to detach", parameter: .flat("VolumeId")),
    ],
    action: .query("DetachVolume", printer: .volumeAttachment))
