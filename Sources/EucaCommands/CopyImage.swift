import EucaCore

let copyImage = Command(
    "euca-copy-image",
    summary: "copy an image from another region",
    details: "Run this command against the destination region, not the source region. Prints IMAGE and the new image's ID.",
    service: .ec2,
    options: [
        Option("-r", "--source-region", metavar: "REGION", type: .nonEmpty,
               help: "name of the region to copy the image from", required: true,
               parameter: .flat("SourceRegion")),
        Option("-s", "--source-ami-id", "--source-image-id", metavar: "IMAGE", type: .nonEmpty,
               help: "ID of the image to copy", required: true, parameter: .flat("SourceImageId"),
               key: "source-ami-id"),
        Option("-n", "--name", metavar: "NAME", help: "name to give the copy", parameter: .flat("Name")),
        Option("-d", "--description", metavar: "DESC", help: "description to give the copy",
               parameter: .flat("Description")),
        Option("-c", "--client-token", metavar: "TOKEN", type: .nonEmpty,
               help: "unique identifier that makes a retried request copy only once",
               parameter: .flat("ClientToken")),
    ],
    action: .query("CopyImage", printer: .imageId))
