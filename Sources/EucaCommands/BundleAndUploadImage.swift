import EucaCore

/// euca-bundle-image's options, without its 1.x `-b/--batch` (here `-b` is the bucket) and
/// without the progress options (added once, at the end).
let bundleCreationOptions: [Option] = bundleImage.options.filter {
    !["batch", "progress", "no-progress", "porcelain"].contains($0.key)
} + [Option.flag("--batch", help: "accepted for compatibility; has no effect")]

let bundleAndUploadImage = Command(
    "euca-bundle-and-upload-image",
    summary: "prepare and upload an image for use in the cloud",
    details: "Bundles the image as euca-bundle-image does (same options) and uploads each part as soon as it is made, several at a time, then the manifest; prints \"Uploaded BUCKET/PREFIX/NAME.manifest.xml\". The bucket is checked (and created) before bundling starts. Parts are removed once uploaded, and the rest of the bundle at the end, also when the upload fails, unless --preserve-bundle is given (then a failed upload can be resumed with euca-upload-bundle -m).",
    service: .s3,
    options: bundleCreationOptions + BundleTransferOptions.upload + [
        Option.flag("--preserve-bundle", help: "do not delete the bundle's files after uploading them"),
        Option("--max-pending-parts", metavar: "N", type: .integer(1...Int.max),
               help: "pause bundling while more than N parts wait on disk to be uploaded (default: two more than the uploads in flight)"),
    ] + ProgressOptions.options,
    constraints: BundleTransferOptions.uploadConstraints + ProgressOptions.constraints,
    action: .custom { invocation in try await BundleAndUploadTool.run(invocation) })
