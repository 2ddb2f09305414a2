import EucaCore

let uploadBundle = Command(
    "euca-upload-bundle",
    summary: "upload a bundle prepared by euca-bundle-image to the cloud",
    details: "Uploads the parts the manifest lists, several at a time, then the manifest, as BUCKET/PREFIX/NAME; prints \"Uploaded BUCKET/PREFIX/NAME.manifest.xml\" (and every part under --debug). The manifest goes last, so a bundle whose upload failed has no manifest and cannot be registered; running the command again sends only what is missing or different (parts already stored with the same size and MD5 are skipped).",
    service: .s3,
    options: [
        BundleTransferOptions.uploadBucket,
        Option("-m", "--manifest", metavar: "FILE", type: .filePath,
               help: "manifest of the bundle to upload", required: true),
        Option("-d", "--directory", metavar: "DIR", type: .directoryPath,
               help: "directory that contains the bundle's parts (default: the manifest's directory)"),
        Option("--part", metavar: "N", type: .integer(0...Int.max),
               help: "begin uploading with part number N (default: 0)"),
        Option.flag("--skipmanifest", help: "do not upload the manifest"),
    ] + BundleTransferOptions.uploadSettings + [
        Option("--ec2cert", metavar: "FILE", type: .filePath,
               help: "accepted for compatibility with euca2ools 1.x; has no effect"),
    ] + ProgressOptions.options,
    constraints: BundleTransferOptions.uploadConstraints + ProgressOptions.constraints,
    action: .custom { invocation in try await BundleUploadTool.run(invocation) })
