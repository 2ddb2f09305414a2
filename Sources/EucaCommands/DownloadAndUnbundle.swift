import EucaCore

let downloadAndUnbundle = Command(
    "euca-download-and-unbundle",
    summary: "download and unbundle a bundled image from the cloud",
    details: "Streams the bundle's parts from the cloud straight into the unbundler, without writing them to disk, and prints \"Wrote PATH\". Each part is checked against the manifest's SHA-1 before it is decrypted (a damaged part is fetched again); the image appears only when complete and correct. The key used to unbundle the image must match a certificate that was used to bundle it: yours or the cloud's.",
    service: .s3,
    options: BundleTransferOptions.bundleChoice(action: "unbundle") + [
        Option("-d", "--destination", metavar: "(FILE | DIR)",
               help: "where to place the unbundled image: a directory (the image keeps its name), a file name, or \"-\" for standard output (default: the current directory)"),
        Option("-k", "--privatekey", metavar: "FILE", type: .filePath,
               help: "file containing the private key to decrypt the bundle with; it must match a certificate used when bundling the image (default: EC2_PRIVATE_KEY)"),
    ] + ProgressOptions.options,
    constraints: BundleTransferOptions.bundleChoiceConstraints + ProgressOptions.constraints,
    action: .custom { invocation in try await DownloadAndUnbundleTool.run(invocation) })
