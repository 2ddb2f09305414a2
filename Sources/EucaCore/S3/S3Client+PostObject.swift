import Foundation

/// An upload policy and its signature, as a cloud hands them out so that someone without the
/// account's secret key may upload (Eucalyptus' BundleInstance and euca2ools'
/// `--upload-policy`). See "POST Object" in the S3 API reference: the request is an HTML form
/// (multipart/form-data) whose `Policy` field is the base64 JSON policy and whose `Signature`
/// is its HMAC-SHA1 by the secret key of `AWSAccessKeyId` (the signature version 2 form, the
/// one Eucalyptus and euca2ools use). The request itself carries no Authorization header.
public struct S3UploadPolicy: Sendable, Equatable {
    public var accessKeyId: String
    /// Base64 of the JSON policy document.
    public var policy: String
    public var signature: String
    public var securityToken: String?

    public init(accessKeyId: String, policy: String, signature: String, securityToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.policy = policy
        self.signature = signature
        self.securityToken = securityToken
    }

    /// The policy as given on the command line: a JSON document (`{...}`, base64-encoded here,
    /// as euca2ools does with `--upload-policy`), or one already in base64 (what a cloud hands
    /// out), which is checked to decode.
    public static func encodedPolicy(_ text: String) throws(ValueError) -> String {
        let trimmed = text.trimmed()
        if trimmed.hasPrefix("{") { return Data(trimmed.utf8).base64EncodedString() }
        guard !trimmed.isEmpty, Data(base64Encoded: trimmed) != nil else {
            throw ValueError("expected a JSON policy document or its base64 encoding")
        }
        return trimmed
    }
}

extension S3Client {
    /// POST Object: uploads `data` as `bucket`/`key` with an HTML form authorized by `policy`
    /// instead of a signature of ours. The form has the fields euca2ools' PostObject sends —
    /// `key`, `acl`, `AWSAccessKeyId`, `Policy`, `Signature`, `x-amz-security-token`,
    /// `Content-Type` — and the file last, as S3 requires. The success status (204 by default)
    /// carries an ETag on S3; when it does it is checked against the MD5 of `data`, and a
    /// mismatch is retried like any unusable response. Returns the ETag, unquoted (the MD5
    /// when the server sent none).
    @discardableResult
    public func postObject(_ bucket: String, _ key: String, data: Data, policy: S3UploadPolicy,
                           acl: S3CannedACL? = nil, contentType: String? = nil) async throws -> String {
        var request = try endpoint.request(method: "POST", bucket: bucket)
        let boundary = "euca-\(UUID().uuidString.lowercased())"
        var fields: [(String, String)] = [("key", key)]
        if let acl { fields.append(("acl", acl.rawValue)) }
        fields += [("AWSAccessKeyId", policy.accessKeyId), ("Policy", policy.policy),
                   ("Signature", policy.signature)]
        if let token = policy.securityToken { fields.append(("x-amz-security-token", token)) }
        fields.append(("Content-Type", contentType ?? S3PutOptions.defaultContentType))
        request.http.body = .bytes(S3Client.formData(fields, file: data, filename: (key as NSString).lastPathComponent,
                                              boundary: boundary))
        request.http.headers["Content-Type"] = "multipart/form-data; boundary=\(boundary)"
        let md5 = Digest.hash(self.md5, data)
        let expected = S3ETag.singlePart(md5: md5)
        let prepared = request
        log.addSecret(policy.signature)
        do {
            return try await service.send(prepared.http, sign: { http, _ in http }) { response throws(ResponseFormatError) in
                try S3Client.checkETag(response, expected: expected, request: prepared)
            }
        } catch {
            throw S3Client.clarify(error, request: prepared)
        }
    }

    /// A multipart/form-data body: the text fields, then the file.
    static func formData(_ fields: [(String, String)], file: Data, filename: String, boundary: String) -> Data {
        var body = Data()
        func add(_ text: String) { body.append(Data(text.utf8)) }
        for (name, value) in fields {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        let safeName = filename.replacingOccurrences(of: "\"", with: "_").replacingOccurrences(of: "\r", with: "_")
            .replacingOccurrences(of: "\n", with: "_")
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(safeName)\"\r\n")
        add("Content-Type: application/octet-stream\r\n\r\n")
        body.append(file)
        add("\r\n--\(boundary)--\r\n")
        return body
    }
}
