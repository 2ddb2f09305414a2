import EucaCore

let installImage = Command(
    "euca-install-image",
    summary: "bundle, upload and register an image into the cloud",
    details: "Bundles the image as euca-bundle-image does, uploading each part as soon as it is made (and removing it then), uploads the manifest, registers it from BUCKET/PREFIX/NAME.manifest.xml with -n and the architecture of -r, and prints IMAGE and the new image's ID.",
    service: .s3,
    options: [
        Option("-n", "--name", metavar: "NAME", type: .nonEmpty, help: "name of the new image", required: true),
        Option("--description", metavar: "DESCRIPTION", help: "description of the new image"),
        Option("--virtualization-type", metavar: "TYPE", type: .choice(["paravirtual", "hvm"]),
               help: "virtualization type for the new image: paravirtual or hvm"),
        Option("--platform", metavar: "windows", type: .choice(["windows"]),
               help: "[Privileged] the new image's platform (windows)"),
        Option("--ec2-url", metavar: "URL", type: .url,
               help: "compute service endpoint URL to register the image with (default: EC2_URL, config, or the AWS endpoint for the region)"),
        Option.flag("--check-cert",
                    help: "accepted for compatibility; the certificate is not checked (a warning says so)"),
        Option("--iam-url", metavar: "URL", type: .url,
               help: "accepted for compatibility (identity service endpoint URL for --check-cert)"),
        Option("--max-pending-parts", metavar: "N", type: .integer(1...Int.max),
               help: "pause bundling while more than N parts wait on disk to be uploaded (default: two more than the uploads in flight)"),
    ] + bundleCreationOptions + BundleTransferOptions.upload + ProgressOptions.options,
    constraints: BundleTransferOptions.uploadConstraints + ProgressOptions.constraints,
    printsResponses: true,
    action: .custom { invocation in try await BundleAndUploadTool.install(invocation) })
