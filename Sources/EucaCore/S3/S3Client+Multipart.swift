import Foundation

/// A part uploaded to a multipart upload: what CompleteMultipartUpload needs, and its MD5 for
/// checking the final ETag.
public struct S3UploadedPart: Sendable, Equatable {
    public var partNumber: Int
    /// Unquoted.
    public var etag: String
    public var md5: [UInt8]
    public var size: Int64
}

extension S3Client {
    /// S3's limits: at most 10,000 parts, each at least 5 MiB except the last.
    public static let maximumPartCount = 10_000
    public static let minimumPartSize = 5 * 1024 * 1024

    /// POST `?uploads`: starts a multipart upload and returns its upload ID.
    public func createMultipartUpload(_ bucket: String, _ key: String,
                                      options: S3PutOptions = S3PutOptions()) async throws -> String {
        var headers = HTTPHeaders()
        // Always an explicit Content-Type: libcurl adds `application/x-www-form-urlencoded` to a
        // bodiless POST after signing, which breaks SigV2 (it signs Content-Type).
        options.apply(to: &headers)
        return try await perform("POST", bucket: bucket, key: key, query: [QueryItem("uploads", "")],
                                 headers: headers) { response, request throws(ResponseFormatError) in
            let document = try S3Client.parseXML(response, request: request, root: "InitiateMultipartUploadResult")
            guard let uploadId = document.value("UploadId") else {
                throw ResponseFormatError(host: request.http.hostHeader, problem: "no UploadId in the InitiateMultipartUploadResult")
            }
            return uploadId
        }
    }

    /// PUT `?partNumber=N&uploadId=…`, with `Content-MD5`; the part's ETag is checked against
    /// the MD5 like a single PUT's.
    public func uploadPart(_ bucket: String, _ key: String, uploadId: String, partNumber: Int,
                           data: Data, md5: [UInt8]? = nil) async throws -> S3UploadedPart {
        let md5 = md5 ?? Digest.hash(.md5, data)
        var headers = HTTPHeaders()
        headers["Content-Type"] = S3PutOptions.defaultContentType
        headers["Content-MD5"] = S3Client.contentMD5(md5)
        let expected = S3ETag.singlePart(md5: md5)
        let etag = try await perform(
            "PUT", bucket: bucket, key: key,
            query: [QueryItem("partNumber", String(partNumber)), QueryItem("uploadId", uploadId)],
            headers: headers, body: data
        ) { response, request throws(ResponseFormatError) in
            try S3Client.checkETag(response, expected: expected, request: request)
        }
        return S3UploadedPart(partNumber: partNumber, etag: etag, md5: md5, size: Int64(data.count))
    }

    /// POST `?uploadId=…` with the part list. The result's ETag is checked against the one the
    /// part MD5s predict when the server uses that scheme. AWS may answer 200 and still fail
    /// (an `<Error>` document in the body, after it has kept the connection alive with
    /// whitespace); that is a decode failure, so it is retried, as AWS recommends.
    @discardableResult
    public func completeMultipartUpload(_ bucket: String, _ key: String, uploadId: String,
                                        parts: [S3UploadedPart]) async throws -> String {
        let sorted = parts.sorted { $0.partNumber < $1.partNumber }
        let body = S3Client.completeMultipartBody(sorted)
        var headers = HTTPHeaders()
        headers["Content-Type"] = "application/xml"
        headers["Content-MD5"] = S3Client.contentMD5(Digest.hash(.md5, body))
        let expected = sorted.allSatisfy { !$0.md5.isEmpty } ? S3ETag.multipart(partMD5s: sorted.map(\.md5)) : nil
        do {
            return try await sendComplete(bucket, key, uploadId: uploadId, headers: headers, body: body,
                                          partCount: sorted.count, expected: expected)
        } catch let error as ServiceError where error.code == "NoSuchUpload" {
            // A retry after a completion whose answer was lost finds the upload gone. If the
            // object is there with the predicted ETag, that completion was ours.
            if let expected, let info = try? await headObject(bucket, key), info.etag == expected {
                return expected
            }
            throw error
        }
    }

    private func sendComplete(_ bucket: String, _ key: String, uploadId: String, headers: HTTPHeaders,
                              body: Data, partCount: Int, expected: String?) async throws -> String {
        try await perform("POST", bucket: bucket, key: key, query: [QueryItem("uploadId", uploadId)],
                          headers: headers, body: body) { response, request throws(ResponseFormatError) in
            // moto (5.x) names the root CompleteMultipartUploadResponse; S3's documented one is
            // CompleteMultipartUploadResult.
            let document = try S3Client.parseXML(response, request: request, root: "CompleteMultipartUploadResult",
                                                 alternatives: ["CompleteMultipartUploadResponse"])
            if document.name == "Error" {
                throw ResponseFormatError(host: request.http.hostHeader, problem: "completing the upload of \(request.resourceName) failed: (\(document.value("Code") ?? "?")): \(document.value("Message") ?? "")")
            }
            let etag = S3ETag.normalize(document.value("ETag") ?? "")
            if let expected, etag.hasSuffix("-\(partCount)"), etag != expected {
                throw ResponseFormatError(host: request.http.hostHeader, problem: "the ETag of the assembled \(request.resourceName) is \(etag), but its parts' MD5s give \(expected)")
            }
            return etag
        }
    }

    /// DELETE `?uploadId=…`: discards the parts uploaded so far.
    public func abortMultipartUpload(_ bucket: String, _ key: String, uploadId: String) async throws {
        try await perform("DELETE", bucket: bucket, key: key, query: [QueryItem("uploadId", uploadId)]) {
            _, _ throws(ResponseFormatError) in ()
        }
    }

    /// A complete multipart upload of `partCount` parts, uploaded `concurrency` at a time:
    /// `part(n)` supplies the bytes of part n (1-based) when it is about to be sent, so memory
    /// holds at most `concurrency` parts. Any failure aborts the upload (so no parts linger
    /// and bill) and rethrows. Returns the object's ETag (`…-N`).
    @discardableResult
    public func putObjectMultipart(
        _ bucket: String, _ key: String, partCount: Int, options: S3PutOptions = S3PutOptions(),
        concurrency: Int = 1, progress: (@Sendable (Int64) -> Void)? = nil,
        part: @escaping @Sendable (Int) async throws -> Data
    ) async throws -> String {
        guard (1...S3Client.maximumPartCount).contains(partCount) else {
            throw S3Error("a multipart upload has 1 to \(S3Client.maximumPartCount) parts, not \(partCount)")
        }
        let uploadId = try await createMultipartUpload(bucket, key, options: options)
        do {
            let counter = S3ProgressCounter(progress)
            let parts = try await S3Parallel.map(Array(1...partCount), concurrency: concurrency) { number in
                let data = try await part(number)
                let uploaded = try await uploadPart(bucket, key, uploadId: uploadId, partNumber: number, data: data)
                counter.add(uploaded.size)
                return uploaded
            }
            return try await completeMultipartUpload(bucket, key, uploadId: uploadId, parts: parts)
        } catch {
            // In a task of its own, so that the abort is still sent when the failure is this
            // task's cancellation (a cancelled task's requests are cancelled at once).
            let abort = Task { [self] in try await abortMultipartUpload(bucket, key, uploadId: uploadId) }
            do {
                try await abort.value
            } catch let abortError {
                log("could not abort multipart upload \(uploadId) of \(bucket)/\(key): \(abortError)")
            }
            throw error
        }
    }

    static func completeMultipartBody(_ parts: [S3UploadedPart]) -> Data {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml += "<Part><PartNumber>\(part.partNumber)</PartNumber><ETag>\"\(xmlEscaped(part.etag))\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        return Data(xml.utf8)
    }

    /// The `root` document — or an `<Error>`, which S3 may send with status 200 while
    /// completing an upload (the caller reports it).
    static func parseXML(_ response: HTTPResponse, request: S3Request, root: String,
                         alternatives: [String] = []) throws(ResponseFormatError) -> XML.Element {
        if let document = try? XML.parse(response.body), document.name == "Error" { return document }
        return try ServiceDocument.parse(response, root: root, alternatives: alternatives, host: request.http.hostHeader)
    }
}
