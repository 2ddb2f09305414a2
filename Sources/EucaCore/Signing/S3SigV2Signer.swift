import Foundation

/// The S3 REST "Signature Version 2" (HMAC-SHA1) scheme that Walrus/OSG and older S3-compatible
/// servers speak: `Authorization: AWS <key>:<base64 signature>`, or the same signature in a
/// query string (presigned URL).
///
/// The bucket is a parameter rather than read off the host: with virtual-host addressing the
/// signed resource is `/bucket/key` although the path is `/key`, and only the caller knows
/// whether `images.example.com` is a bucket name (a CNAME) or the service endpoint.
public struct S3SigV2Signer: Sendable {
    public struct Signed: Sendable {
        public var request: HTTPRequest
        public var stringToSign: String
        public var signature: String
    }

    /// Query parameters that name a sub-resource or override a response header, and so are part
    /// of the signed resource; every other parameter (`prefix`, `max-keys`, …) is not.
    static let signedSubresources: Set<String> = [
        "acl", "cors", "delete", "lifecycle", "location", "logging", "notification",
        "partNumber", "policy", "requestPayment", "tagging", "torrent", "uploadId", "uploads",
        "versionId", "versioning", "versions", "website",
        "response-cache-control", "response-content-disposition", "response-content-encoding",
        "response-content-language", "response-content-type", "response-expires",
    ]

    public var credentials: Credentials

    public init(credentials: Credentials) {
        self.credentials = credentials
    }

    // MARK: Header signing

    /// `request` with `Date` (RFC 1123, from `date`, unless already present),
    /// `x-amz-security-token` (with a session token; it is signed) and `Authorization`.
    /// `bucket` is the bucket for virtual-host-style requests (the path then being the key);
    /// nil for path-style requests, whose path already starts with the bucket.
    public func sign(_ request: HTTPRequest, bucket: String?, date: Date) -> HTTPRequest {
        signed(request, bucket: bucket, date: date).request
    }

    public func signed(_ request: HTTPRequest, bucket: String?, date: Date) -> Signed {
        var request = request
        request.headers.remove("Authorization")
        if request.headers["Date"] == nil {
            request.headers["Date"] = SigningDate.rfc1123(date)
        }
        if let token = credentials.sessionToken {
            request.headers["x-amz-security-token"] = token
        }
        // AWS: "if you include x-amz-date, use the empty string for the Date" — the x-amz-date
        // line among the amz headers then carries the time. (One published example prints the
        // x-amz-date value in the Date slot instead; boto and this rule agree on the empty slot.)
        let dateSlot = request.headers["x-amz-date"] == nil ? request.headers["Date"]! : ""
        let text = stringToSign(for: request, bucket: bucket, dateSlot: dateSlot)
        let signature = signature(of: text)
        request.headers["Authorization"] = "AWS \(credentials.accessKeyId):\(signature)"
        return Signed(request: request, stringToSign: text, signature: signature)
    }

    // MARK: Query-string signing (presigned URLs)

    /// `request` with `AWSAccessKeyId`, `Signature`, `Expires` (whole seconds since 1970 of
    /// `expires`) and, with a session token, `x-amz-security-token` added to its query. The
    /// token is signed as an amz header and sent in the query, as S3 and botocore do. Other
    /// `x-amz-*` headers of the request stay headers that the user of the URL must send.
    public func presign(_ request: HTTPRequest, bucket: String?, expires: Date) -> HTTPRequest {
        presigned(request, bucket: bucket, expires: expires).request
    }

    public func presigned(_ request: HTTPRequest, bucket: String?, expires: Date) -> Signed {
        let authNames: Set<String> = [
            "AWSAccessKeyId", "Signature", "Expires", "x-amz-security-token",
        ]
        var request = request
        request.query.removeAll { authNames.contains($0.name) }
        var signedRequest = request
        if let token = credentials.sessionToken {
            signedRequest.headers["x-amz-security-token"] = token
        }
        let expiresText = SigningDate.epochSeconds(expires)
        let text = stringToSign(for: signedRequest, bucket: bucket, dateSlot: expiresText)
        let signature = signature(of: text)
        request.query += [
            QueryItem("AWSAccessKeyId", credentials.accessKeyId),
            QueryItem("Signature", signature),
            QueryItem("Expires", expiresText),
        ]
        if let token = credentials.sessionToken {
            request.query.append(QueryItem("x-amz-security-token", token))
        }
        return Signed(request: request, stringToSign: text, signature: signature)
    }

    // MARK: String to sign

    /// `METHOD\nContent-MD5\nContent-Type\n<date slot>\n<amz headers><resource>`.
    func stringToSign(for request: HTTPRequest, bucket: String?, dateSlot: String) -> String {
        [
            request.method.uppercased(),
            request.headers["Content-MD5"] ?? "",
            request.headers["Content-Type"] ?? "",
            dateSlot,
        ].joined(separator: "\n") + "\n"
            + Self.canonicalizedAmzHeaders(request.headers)
            + Self.canonicalizedResource(request, bucket: bucket)
    }

    /// Every `x-amz-*` header as `name:value\n`, names lower-cased and sorted, values trimmed,
    /// a repeated header's values joined with `,` in request order.
    static func canonicalizedAmzHeaders(_ headers: HTTPHeaders) -> String {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let name = name.lowercased()
            guard name.hasPrefix("x-amz-") else { continue }
            values[name, default: []].append(value.trimmed())
        }
        return values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { "\($0):\(values[$0]!.joined(separator: ","))\n" }
            .joined()
    }

    /// `/bucket` (virtual-host style) + the path as sent (percent-encoded) + the signed
    /// sub-resources, sorted, with their values *decoded* (`?uploadId=a+b/c`, not `a%2Bb%2Fc`):
    /// S3 compares against the decoded parameters.
    static func canonicalizedResource(_ request: HTTPRequest, bucket: String?) -> String {
        let prefix = bucket.map { "/" + $0 } ?? ""
        let subresources = request.query
            .filter { signedSubresources.contains($0.name) }
            .sorted {
                $0.name != $1.name
                    ? $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
                    : $0.value.utf8.lexicographicallyPrecedes($1.value.utf8)
            }
            .map { $0.value.isEmpty ? $0.name : "\($0.name)=\($0.value)" }
        let query = subresources.isEmpty ? "" : "?" + subresources.joined(separator: "&")
        return prefix + request.encodedPath + query
    }

    func signature(of stringToSign: String) -> String {
        let mac = HMAC.authenticationCode(.sha1, key: Array(credentials.secretAccessKey.utf8),
                                          message: Array(stringToSign.utf8))
        return Data(mac).base64EncodedString()
    }
}
