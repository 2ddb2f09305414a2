/// A canned ACL, sent as `x-amz-acl` when an object or bucket is created.
///
/// `ec2-bundle-read` is not an S3 ACL: Eucalyptus defines it for bundle parts (readable by the
/// owner and by the cloud's image service), and euca2ools offers it beside `aws-exec-read` (the
/// AWS equivalent and euca-upload-bundle's default) and `public-read`.
public enum S3CannedACL: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case `private` = "private"
    case publicRead = "public-read"
    case publicReadWrite = "public-read-write"
    case authenticatedRead = "authenticated-read"
    case awsExecRead = "aws-exec-read"
    case bucketOwnerRead = "bucket-owner-read"
    case bucketOwnerFullControl = "bucket-owner-full-control"
    case logDeliveryWrite = "log-delivery-write"
    case ec2BundleRead = "ec2-bundle-read"

    public var description: String { rawValue }
}

/// Optional headers of an object upload.
public struct S3PutOptions: Sendable, Equatable {
    public var acl: S3CannedACL?
    /// Sent as `Content-Type`; `application/octet-stream` when nil. Always sent: SigV2 signs
    /// the Content-Type, and an HTTP stack that adds one of its own after signing (libcurl
    /// adds `application/x-www-form-urlencoded` to POSTs) would break the signature.
    public var contentType: String?
    /// `x-amz-meta-NAME` headers.
    public var metadata: [String: String]

    public init(acl: S3CannedACL? = nil, contentType: String? = nil,
                metadata: [String: String] = [:]) {
        self.acl = acl
        self.contentType = contentType
        self.metadata = metadata
    }

    public static let defaultContentType = "application/octet-stream"

    func apply(to headers: inout HTTPHeaders) {
        headers["Content-Type"] = contentType ?? S3PutOptions.defaultContentType
        if let acl { headers["x-amz-acl"] = acl.rawValue }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers["x-amz-meta-\(name)"] = value
        }
    }
}
