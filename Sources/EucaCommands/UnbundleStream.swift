import EucaCore

let unbundleStream = Command(
    "euca-unbundle-stream",
    summary: "recreate an image from a bundle's parts concatenated on standard input",
    details: "Reads the parts (in order, e.g. cat NAME.part.*) from standard input or -i and writes the image to standard output or -o. The key, IV, size and digest come from the manifest (-m, opened with -k or EC2_PRIVATE_KEY) or from --enc-key and --enc-iv (with --image-size and --sha1-digest to check). With -o the file appears only when complete and correct; on standard output a failure is reported after the data written so far.",
    service: .s3, offline: true,
    options: [
        Option("-m", "--manifest", metavar: "FILE", type: .filePath,
               help: "the bundle's manifest file, for its key, size and digest"),
        Option("-k", "--privatekey", metavar: "FILE", type: .filePath,
               help: "the private key to decrypt the bundle's key with (default: EC2_PRIVATE_KEY)"),
        Option("-i", metavar: "FILE", type: .filePath,
               help: "file to read the bundle from (default: standard input)", key: "input"),
        Option("-o", metavar: "FILE", type: .filePath,
               help: "file to write the unbundled image to (default: standard output)", key: "output"),
        Option("--enc-key", metavar: "HEX", type: .hex128,
               help: "the bundle's AES key (32 hex digits), instead of the manifest's"),
        Option("--enc-iv", metavar: "HEX", type: .hex128,
               help: "the bundle's AES IV (32 hex digits), instead of the manifest's"),
        Option("--image-size", metavar: "BYTES", type: .fileSize,
               help: "check that the unbundled image has this size"),
        Option("--sha1-digest", metavar: "HEX", type: .sha1Hex,
               help: "check the image's contents against this SHA-1 digest from its manifest"),
    ] + ProgressOptions.options,
    constraints: ProgressOptions.constraints,
    action: .custom { invocation in try UnbundleTool.unbundleStream(invocation) })
