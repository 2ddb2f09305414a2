import Foundation

extension S3Client {
    /// HEAD bucket: succeeds when the bucket exists and these credentials may use it. A missing
    /// bucket throws a `ServiceError` with code `NoSuchBucket`.
    public func headBucket(_ bucket: String) async throws {
        try await perform("HEAD", bucket: bucket) { _, _ throws(ResponseFormatError) in () }
    }

    /// Whether the bucket exists (false only for "no such bucket"; other failures throw).
    public func bucketExists(_ bucket: String) async throws -> Bool {
        do {
            try await headBucket(bucket)
            return true
        } catch where S3Client.isNotFound(error) {
            return false
        }
    }

    /// PUT bucket. `location` is the region to create it in (`--location`); nil, empty or
    /// `us-east-1` sends no body, as S3 wants for its default region (it rejects an explicit
    /// `us-east-1` constraint). Returns false when the bucket already existed and was ours
    /// (`BucketAlreadyOwnedByYou`, which AWS returns outside us-east-1), so creating is
    /// idempotent as euca-upload-bundle needs.
    @discardableResult
    public func createBucket(_ bucket: String, location: String? = nil,
                             acl: S3CannedACL? = nil) async throws -> Bool {
        var headers = HTTPHeaders()
        let body = S3Client.createBucketBody(location: location)
        if let acl { headers["x-amz-acl"] = acl.rawValue }
        if !body.isEmpty {
            headers["Content-Type"] = "application/xml"
            headers["Content-MD5"] = S3Client.contentMD5(Digest.hash(md5, body))
        }
        do {
            try await perform("PUT", bucket: bucket, headers: headers, body: .bytes(body)) { _, _ throws(ResponseFormatError) in () }
            return true
        } catch let error as ServiceError where error.code == "BucketAlreadyOwnedByYou" {
            return false
        }
    }

    /// `<CreateBucketConfiguration>` naming the region, or nothing for the default region.
    static func createBucketBody(location: String?) -> Data {
        guard let location, !location.isEmpty, location != "us-east-1" else { return Data() }
        return Data(("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<LocationConstraint>\(xmlEscaped(location))</LocationConstraint>"
            + "</CreateBucketConfiguration>").utf8)
    }

    /// DELETE bucket (it must be empty).
    public func deleteBucket(_ bucket: String) async throws {
        try await perform("DELETE", bucket: bucket) { _, _ throws(ResponseFormatError) in () }
    }

    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
