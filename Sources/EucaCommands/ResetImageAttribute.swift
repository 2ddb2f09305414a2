import EucaCore

let resetImageAttribute = Command(
    "euca-reset-image-attribute",
    summary: "reset an attribute of an image to its default value",
    details: "Prints launchPermission IMAGE RESET.",
    service: .ec2,
    options: [
        Option("-l", "--launch-permission", help: "reset launch permissions", required: true,
               parameter: .constant("Attribute", "launchPermission")),
    ],
    positionals: [
        Positional("IMAGE", type: .nonEmpty, help: "ID of the image whose attribute to reset",
                   parameter: .flat("ImageId")),
    ],
    action: .query("ResetImageAttribute", printer: Printer(withArguments: { _, arguments in
        [Record("launchPermission", arguments.string("image"), "RESET")]
    })))
