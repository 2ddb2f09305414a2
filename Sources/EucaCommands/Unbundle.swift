import EucaCore

let unbundle = Command(
    "euca-unbundle",
    summary: "recreate an image from its bundled parts",
    details: "Checks every part's SHA-1, decrypts with your private key (which must match a certificate the bundle was made for: yours or the cloud's), decompresses and unpacks the image, checks its digest and size against the manifest, and prints \"Wrote PATH\". The image appears only when complete and correct; nothing is left behind on failure. When your certificate is known (EC2_CERT) the manifest's signature is checked too, with a warning if it does not verify.",
    service: .s3, offline: true,
    options: [
        Option("-m", "--manifest", metavar: "FILE", type: .filePath,
               help: "the bundle's manifest file", required: true),
        Option("-s", "--source", metavar: "DIR", type: .directoryPath,
               help: "directory containing the bundle's parts (default: the manifest's directory)"),
        Option("-d", "--destination", metavar: "DIR", type: .directoryPath,
               help: "where to place the unbundled image; created if missing (default: the current directory)"),
        Option("-k", "--privatekey", metavar: "FILE", type: .filePath,
               help: "the private key to decrypt the bundle with; it must match a certificate used when bundling the image (default: EC2_PRIVATE_KEY)"),
    ] + ProgressOptions.options,
    constraints: ProgressOptions.constraints,
    action: .custom { invocation in try UnbundleTool.unbundle(invocation) })
