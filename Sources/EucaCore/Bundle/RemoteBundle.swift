import Foundation

/// A bundle in object storage: its manifest fetched and read, its parts fetched one by one and
/// checked, the bundles under a prefix found. Shared by download-bundle, delete-bundle and
/// download-and-unbundle.
public enum RemoteBundle {
    /// Fetches and reads the manifest stored as `location`/`name`.
    public static func fetchManifest(_ s3: S3Client, _ location: BundleLocation,
                                     name: String) async throws -> (manifest: BundleManifest, data: Data) {
        let key = location.key(name)
        let object: S3Object
        do {
            object = try await s3.getObject(location.bucket, key)
        } catch where S3Client.isNotFound(error) {
            if let serviceError = error as? ServiceError, serviceError.code == "NoSuchBucket" {
                throw BundleError("bucket \(location.bucket) does not exist")
            }
            throw BundleError("manifest \(location.bucket)/\(key) does not exist on the server")
        }
        do {
            return (try BundleManifest.parse(object.data), object.data)
        } catch let error as ManifestError {
            throw BundleError("\(location.bucket)/\(key): \(error.message)")
        }
    }

    /// Every object under `prefix`. moto 5.2.1 refuses a correctly signed listing whose prefix
    /// has a `/` (it signs `%2F` wrongly; see Scripts/moto-endpoint.py), and so may a policy
    /// that allows listing only part of a bucket: on a 403 for such a prefix, the listing is
    /// redone for the part before the first `/` and filtered here.
    public static func list(_ s3: S3Client, bucket: String, prefix: String) async throws -> [S3ObjectInfo] {
        do {
            return try await s3.listObjects(bucket, prefix: prefix.isEmpty ? nil : prefix).objects
        } catch let error as ServiceError where error.status == 403 && prefix.contains("/") {
            let head = String(prefix[..<prefix.firstIndex(of: "/")!])
            s3.log("listing \(bucket) under \(prefix) was refused (\(error)); listing under \(head.isEmpty ? "the whole bucket" : head) instead and filtering")
            return try await s3.listObjects(bucket, prefix: head.isEmpty ? nil : head).objects
                .filter { $0.key.hasPrefix(prefix) }
        }
    }

    /// The manifests stored directly under `location` (keys `PREFIX/NAME.manifest.xml`), as
    /// file names, sorted.
    public static func manifestNames(_ s3: S3Client, _ location: BundleLocation) async throws -> [String] {
        let objects = try await list(s3, bucket: location.bucket, prefix: location.prefix)
        return objects.compactMap { location.fileName(ofKey: $0.key) }
            .filter { $0.hasSuffix(".manifest.xml") && !$0.contains("/") && $0 != ".manifest.xml" }
            .sorted()
    }

    /// What a SHA-1 mismatch of a fetched part says, so it can be told from other unreadable
    /// responses once the retries are used up.
    static let sha1Mismatch = "the SHA-1 of the "

    /// Fetches one part whole, checked before it is returned: the body is as long as
    /// `Content-Length` says, its MD5 is the ETag (when the ETag is one) and its SHA-1 is the
    /// manifest's. A body that fails any check is fetched again (the `ServiceClient` retries a
    /// response it cannot use), so a part cut short or damaged on the way costs a retry, not
    /// the download.
    public static func fetchPart(_ s3: S3Client, bucket: String, key: String, sha1: String) async throws -> Data {
        do {
            return try await s3.perform("GET", bucket: bucket, key: key) { response, request throws(ResponseFormatError) in
                let body = response.body
                let host = request.http.hostHeader
                if let announced = response.headers["Content-Length"].flatMap({ Int64($0.trimmed()) }),
                   announced != Int64(body.count) {
                    throw ResponseFormatError(host: host, problem: "got \(body.count) bytes of \(request.resourceName), Content-Length said \(announced)")
                }
                let etag = S3ETag.normalize(response.headers["ETag"] ?? "")
                try s3.checkBody(body, expectedLength: Int64(body.count),
                                       md5Of: S3ETag.isContentMD5(etag, headers: response.headers) ? etag : nil,
                                       request: request)
                let actual = Digest.hash(.sha1, body).hexString
                guard actual == sha1 else {
                    throw ResponseFormatError(host: host, problem: "\(sha1Mismatch)\(body.count) bytes received for \(request.resourceName) is \(actual), the manifest says \(sha1)")
                }
                return body
            }
        } catch let error as ResponseFormatError where error.problem.hasPrefix(sha1Mismatch) {
            throw BundleError("bundle part \(bucket)/\(key) is corrupt: \(error.problem)"
                + (error.attempts > 1 ? " (fetched \(error.attempts) times)" : ""))
        } catch where S3Client.isNotFound(error) {
            throw BundleError("bundle part \(bucket)/\(key) does not exist on the server")
        }
    }

    /// How many parts to hold in memory at once when fetching whole parts: enough to keep a
    /// few requests in flight for ordinary 10 MiB parts, fewer for big ones (about 128 MiB in
    /// all), at least one.
    static func window(for manifest: BundleManifest, limit: Int = S3Transfer.defaultConcurrency) -> Int {
        let partSize = max(manifest.bundledSize / UInt64(max(manifest.parts.count, 1)), 1)
        return max(1, min(limit, Int(min((128 << 20) / partSize, UInt64(limit)))))
    }
}
