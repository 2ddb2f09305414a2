import EucaCore

/// Options shared by the commands that upload, download and delete bundles.
enum BundleTransferOptions {
    /// `-b BUCKET[/PREFIX]`, for uploading.
    static let uploadBucket = Option(
        "-b", "--bucket", metavar: "BUCKET[/PREFIX]", type: .nonEmpty,
        help: "bucket to upload the bundle to, with an optional key prefix; created if it does not exist",
        required: true)

    /// The upload options of euca-upload-bundle, euca-bundle-and-upload-image and
    /// euca-install-image (euca2ools 3.4's BundleUploadingMixin, plus 1.x spellings).
    static let upload: [Option] = [uploadBucket] + uploadSettings

    /// The upload options without `-b`.
    static let uploadSettings: [Option] = [
        Option("--acl", metavar: "ACL", type: .choice(S3CannedACL.allCases.map(\.rawValue)),
               help: "canned ACL policy to apply to the bundle: aws-exec-read, public-read, ec2-bundle-read or another canned ACL",
               default: "aws-exec-read"),
        Option("--location", metavar: "REGION",
               help: "location constraint (region) of the bucket when it has to be created (default: s3-location-constraint in the region's configuration, or none)"),
        Option("--upload-policy", metavar: "POLICY",
               help: "upload policy (a JSON document, or its base64 encoding) to authorize the upload with, instead of signing it: the parts and the manifest are sent as POST Object form uploads (needs --upload-policy-signature and -I/--access-key-id; no resume, and the bucket must exist)"),
        Option("--upload-policy-file", metavar: "FILE", type: .readableFile,
               help: "file containing an upload policy to use for authorization"),
        Option("--upload-policy-signature", metavar: "SIGNATURE", type: .nonEmpty,
               help: "signature for the upload policy (required when an upload policy is used)"),
        Option.flag("--retry",
                    help: "accepted for compatibility: every request is retried anyway (see --max-attempts)"),
    ]

    static let uploadConstraints: [Constraint] = [
        .atMostOne(["upload-policy", "upload-policy-file"]),
        .requires("upload-policy", "upload-policy-signature"),
        .requires("upload-policy-file", "upload-policy-signature"),
        .requires("upload-policy-signature", anyOf: ["upload-policy", "upload-policy-file"]),
    ]

    /// `-b BUCKET[/PREFIX]` and the choice of bundle, for downloading and deleting.
    static func bundleChoice(action: String) -> [Option] {
        [
            Option("-b", "--bucket", metavar: "BUCKET[/PREFIX]", type: .nonEmpty,
                   help: "the bucket that contains the bundle, with an optional key prefix", required: true),
            Option("-p", "--prefix", metavar: "NAME", type: .nonEmpty,
                   help: "\(action) the bundle whose manifest is NAME.manifest.xml (e.g. \"fry\" for \"fry.manifest.xml\")"),
            Option("-m", "--manifest", metavar: "MANIFEST", type: .nonEmpty,
                   help: "\(action) the bundle with this manifest: a local manifest file if one exists at that path (euca2ools 1.x), else the manifest's file name in BUCKET[/PREFIX]"),
            Option("--local-manifest", metavar: "FILE", type: .filePath,
                   help: "use this manifest on disk, ignoring any on the server"),
        ]
    }

    static let bundleChoiceConstraints: [Constraint] = [.atMostOne(["prefix", "manifest", "local-manifest"])]
}
