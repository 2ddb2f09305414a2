import EucaCore

let deregister = Command(
    "euca-deregister",
    summary: "de-register an image",
    details: "A de-registered image can no longer be used to launch instances. On Eucalyptus 3 you may need to run this twice to remove the image's registration completely. Prints IMAGE and the image's ID.",
    service: .ec2,
    positionals: [
        Positional("IMAGE", type: .nonEmpty, help: "ID of the image to de-register", parameter: .flat("ImageId")),
    ],
    action: .query("DeregisterImage", printer: .echo("IMAGE", argument: "image")))
