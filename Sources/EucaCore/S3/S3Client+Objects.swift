import Foundation

/// An object's bytes with what the response said about them.
public struct S3Object: Sendable {
    public var info: S3ObjectInfo
    public var data: Data
}

/// What an upload from a file needs to know of its bytes before sending them.
public struct S3FileDigests: Sendable, Equatable {
    public var md5: [UInt8]
    /// nil under SigV2, which signs no payload hash.
    public var sha256: [UInt8]?
}

extension S3Client {
    /// PUT object from memory, with `Content-MD5` (the server rejects a body damaged on the
    /// way) and the returned ETag checked against the same MD5 (a server that stored something
    /// else is caught; the check is a decode failure, so `ServiceClient` retries the upload).
    /// Returns the ETag, unquoted. `md5` may be passed when the caller has it already.
    @discardableResult
    public func putObject(_ bucket: String, _ key: String, data: Data,
                          options: S3PutOptions = S3PutOptions(), md5: [UInt8]? = nil) async throws -> String {
        let md5 = md5 ?? Digest.hash(self.md5, data)
        var headers = HTTPHeaders()
        options.apply(to: &headers)
        headers["Content-MD5"] = S3Client.contentMD5(md5)
        let expected = S3ETag.singlePart(md5: md5)
        return try await perform("PUT", bucket: bucket, key: key, headers: headers,
                                 body: .bytes(data)) { response, request throws(ResponseFormatError) in
            try S3Client.checkETag(response, expected: expected, request: request)
        }
    }

    /// PUT object streamed from a file region, checked as `putObject(_:_:data:)` is. The file
    /// is read once to hash it (`digests`, from `fileDigests(_:)`) and again, in small pieces,
    /// by every attempt to send it, so a request in flight holds one small buffer whatever
    /// the file's size.
    @discardableResult
    public func putObject(_ bucket: String, _ key: String, file: FileRegion, digests: S3FileDigests,
                          options: S3PutOptions = S3PutOptions()) async throws -> String {
        var headers = HTTPHeaders()
        options.apply(to: &headers)
        headers["Content-MD5"] = S3Client.contentMD5(digests.md5)
        let expected = S3ETag.singlePart(md5: digests.md5)
        return try await perform("PUT", bucket: bucket, key: key, headers: headers, body: .file(file),
                                 payloadHash: digests.sha256?.hexString) { response, request throws(ResponseFormatError) in
            try S3Client.checkETag(response, expected: expected, request: request)
        }
    }

    /// The whole of `file`, as a body to stream.
    static func region(of file: URL) throws(S3Error) -> FileRegion {
        do throws(FileRegionError) {
            return try FileRegion.whole(file)
        } catch {
            throw S3Error(error.description)
        }
    }

    /// The MD5 of a file region (for Content-MD5 and the ETag check), and its SHA-256 when the
    /// requests are signed with SigV4 (the signed payload hash), in one pass over the file.
    public func fileDigests(_ file: FileRegion) throws -> S3FileDigests {
        let md5 = Digest(self.md5)
        let sha256 = signatureVersion == .v4 ? Digest(.sha256) : nil
        do {
            try file.forEachChunk(chunkSize: 1 << 20) { (chunk: UnsafeRawBufferPointer) throws(Never) in
                md5.update(chunk)
                sha256?.update(chunk)
            }
        } catch {
            guard case .file(let failure) = error else { fatalError("unreachable") }
            throw S3Error(failure.description)
        }
        return S3FileDigests(md5: md5.finalize(), sha256: sha256?.finalize())
    }

    /// The response's ETag, checked against `expected` when it is a plain MD5 (see `S3ETag`).
    static func checkETag(_ response: HTTPResponse, expected: String,
                          request: S3Request) throws(ResponseFormatError) -> String {
        let etag = S3ETag.normalize(response.headers["ETag"] ?? "")
        if S3ETag.isContentMD5(etag, headers: response.headers), etag != expected {
            throw ResponseFormatError(host: request.http.hostHeader, problem: "the ETag of the stored \(request.resourceName) is \(etag), not the MD5 of the bytes sent (\(expected)); the upload was damaged")
        }
        return etag.isEmpty ? expected : etag
    }

    /// GET object into memory. The body is checked against `Content-Length` and, when the ETag
    /// is the object's MD5, against that; a mismatch is retried. `getObject(_:_:to:)` writes
    /// it to a file that appears only when complete.
    public func getObject(_ bucket: String, _ key: String) async throws -> S3Object {
        try await perform("GET", bucket: bucket, key: key) { response, request throws(ResponseFormatError) in
            let info = try S3Client.checkedInfo(response, request: request)
            try self.checkBody(response.body, expectedLength: info.size,
                                   md5Of: info.etagIsContentMD5 ? info.etag : nil, request: request)
            return S3Object(info: info, data: response.body)
        }
    }

    /// HEAD object: size, ETag, type and metadata. A missing object throws a `ServiceError`
    /// with code `NoSuchKey`.
    public func headObject(_ bucket: String, _ key: String) async throws -> S3ObjectInfo {
        try await perform("HEAD", bucket: bucket, key: key) { response, request throws(ResponseFormatError) in
            try S3Client.checkedInfo(response, request: request)
        }
    }

    /// HEAD object, nil when it does not exist.
    public func objectInfoIfPresent(_ bucket: String, _ key: String) async throws -> S3ObjectInfo? {
        do {
            return try await headObject(bucket, key)
        } catch where S3Client.isNotFound(error) {
            return nil
        }
    }

    /// DELETE object. S3 answers 204 whether or not the key existed.
    public func deleteObject(_ bucket: String, _ key: String) async throws {
        try await perform("DELETE", bucket: bucket, key: key) { _, _ throws(ResponseFormatError) in () }
    }

    static func checkedInfo(_ response: HTTPResponse, request: S3Request) throws(ResponseFormatError) -> S3ObjectInfo {
        guard let info = S3ObjectInfo.from(headers: response.headers, key: request.key ?? "") else {
            throw ResponseFormatError(host: request.http.hostHeader, problem: "no Content-Length for \(request.resourceName)")
        }
        return info
    }

    /// A body that is shorter than announced, or whose MD5 is not the ETag's, was damaged or
    /// cut short on the way.
    func checkBody(_ body: Data, expectedLength: Int64, md5Of etag: String?,
                          request: S3Request) throws(ResponseFormatError) {
        guard Int64(body.count) == expectedLength else {
            throw ResponseFormatError(host: request.http.hostHeader, problem: "got \(body.count) bytes of \(request.resourceName), expected \(expectedLength)")
        }
        if let etag {
            let md5 = Digest.hash(self.md5, body).hexString
            guard md5 == etag else {
                throw ResponseFormatError(host: request.http.hostHeader, problem: "the MD5 of the \(body.count) bytes received for \(request.resourceName) is \(md5), not its ETag \(etag)")
            }
        }
    }
}
