import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), by header (`sign`) or by query string
/// (`presign`). A pure function of the request, the credentials and the date given: no clock,
/// no I/O.
///
/// What is signed: `host` (from `HTTPRequest.hostHeader`, the value the transport will send,
/// never a `Host` entry in `headers`), and every header present in the request except the
/// few that clients, proxies or the transport add, drop or rewrite on the way (see
/// `unsignedHeaders`). That matches all the suites' vectors, which sign every header they
/// show, including `Content-Length` and `Content-Type`.
public struct SigV4Signer: Sendable {
    /// How the path enters the canonical request. The two service families really differ:
    /// S3 signs the path exactly as sent (encoded once, `//` and `..` kept, since they can be
    /// part of a key); every other service removes dot segments and empty segments and then
    /// URI-encodes the already-encoded path a second time (so `%3D` is signed as `%253D`).
    public struct PathRules: Sendable, Equatable {
        public var normalizesPath: Bool
        public var encodesPathTwice: Bool

        public init(normalizesPath: Bool, encodesPathTwice: Bool) {
            self.normalizesPath = normalizesPath
            self.encodesPathTwice = encodesPathTwice
        }

        public static let s3 = PathRules(normalizesPath: false, encodesPathTwice: false)
        public static let standard = PathRules(normalizesPath: true, encodesPathTwice: true)

        public static func forService(_ service: String) -> PathRules {
            service == "s3" ? .s3 : .standard
        }
    }

    /// Everything one signature involves, for callers that need more than the signed request
    /// (tests, `--debug` output).
    public struct Signed: Sendable {
        public var request: HTTPRequest
        public var canonicalRequest: String
        public var stringToSign: String
        public var signedHeaders: String
        public var signature: String
    }

    public static let algorithm = "AWS4-HMAC-SHA256"
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Headers never signed. `authorization` carries the signature; `host` is signed from
    /// `hostHeader` instead. HTTP stacks and proxies add or rewrite `user-agent`, `expect`,
    /// `transfer-encoding` and `x-amzn-trace-id` after signing (botocore leaves the same four
    /// unsigned), and `connection` is hop-by-hop, so a proxy may drop it.
    static let unsignedHeaders: Set<String> = [
        "authorization", "user-agent", "expect", "transfer-encoding", "connection",
        "x-amzn-trace-id", "host",
    ]

    public var credentials: Credentials
    public var region: String
    public var service: String
    public var rules: PathRules
    /// Whether header signing adds (and signs) `x-amz-content-sha256` with the payload hash.
    /// S3 requires it; other services accept it. aws-c-auth calls this `sign_body`.
    public var addsContentSHA256Header: Bool

    public init(credentials: Credentials, region: String, service: String,
                rules: PathRules? = nil, addsContentSHA256Header: Bool? = nil) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.rules = rules ?? .forService(service)
        self.addsContentSHA256Header = addsContentSHA256Header ?? (service == "s3")
    }

    // MARK: Header signing

    /// `request` with `X-Amz-Date`, `X-Amz-Security-Token` (when the credentials have a session
    /// token; it is signed), `x-amz-content-sha256` (see `addsContentSHA256Header`) and
    /// `Authorization`. `payloadHash` is the lower-case hex SHA-256 of the body, or a marker
    /// such as `UNSIGNED-PAYLOAD`; nil hashes `request.body`, which must then be in memory (a
    /// signer reads no files: callers streaming a file give its hash).
    public func sign(_ request: HTTPRequest, date: Date,
                     payloadHash: String? = nil) -> HTTPRequest {
        signed(request, date: date, payloadHash: payloadHash).request
    }

    public func signed(_ request: HTTPRequest, date: Date, payloadHash: String? = nil) -> Signed {
        let payload = payloadHash ?? Self.sha256Hex(request.body.inMemory)
        var request = request
        request.headers.remove("Authorization")
        request.headers["X-Amz-Date"] = SigningDate.amzDate(date)
        if let token = credentials.sessionToken {
            request.headers["X-Amz-Security-Token"] = token
        }
        if addsContentSHA256Header {
            request.headers["x-amz-content-sha256"] = payload
        }
        var signed = compute(request, date: date, payload: payload)
        signed.request.headers["Authorization"] = "\(Self.algorithm) Credential="
            + "\(credentials.accessKeyId)/\(scope(date)), SignedHeaders=\(signed.signedHeaders), "
            + "Signature=\(signed.signature)"
        return signed
    }

    public func canonicalRequest(for request: HTTPRequest, date: Date,
                                 payloadHash: String? = nil) -> String {
        signed(request, date: date, payloadHash: payloadHash).canonicalRequest
    }

    public func stringToSign(for request: HTTPRequest, date: Date,
                             payloadHash: String? = nil) -> String {
        signed(request, date: date, payloadHash: payloadHash).stringToSign
    }

    // MARK: Query-string signing (presigned URLs)

    /// `request` with the signature in its query string, valid for `expires` seconds after
    /// `date`. The session token is part of the signed query. S3 signs `UNSIGNED-PAYLOAD`
    /// unless given `payloadHash`; other services sign the body's hash as usual.
    public func presign(_ request: HTTPRequest, date: Date, expires: Int,
                        payloadHash: String? = nil) -> HTTPRequest {
        presigned(request, date: date, expires: expires, payloadHash: payloadHash).request
    }

    public func presigned(_ request: HTTPRequest, date: Date, expires: Int,
                          payloadHash: String? = nil) -> Signed {
        let payload = payloadHash
            ?? (service == "s3" ? Self.unsignedPayload : Self.sha256Hex(request.body.inMemory))
        var request = request
        request.headers.remove("Authorization")
        let authNames: Set<String> = [
            "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
            "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature",
        ]
        request.query.removeAll { authNames.contains($0.name) }
        request.query += [
            QueryItem("X-Amz-Algorithm", Self.algorithm),
            QueryItem("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope(date))"),
            QueryItem("X-Amz-Date", SigningDate.amzDate(date)),
            QueryItem("X-Amz-Expires", String(expires)),
            QueryItem("X-Amz-SignedHeaders", signedHeaderNames(request.headers)),
        ]
        if let token = credentials.sessionToken {
            request.query.append(QueryItem("X-Amz-Security-Token", token))
        }
        var signed = compute(request, date: date, payload: payload)
        signed.request.query.append(QueryItem("X-Amz-Signature", signed.signature))
        return signed
    }

    // MARK: Signing key

    /// `kSigning` = HMAC chain over date, region, service and `aws4_request`, seeded with
    /// `"AWS4" + secret`.
    public func signingKey(date: Date) -> [UInt8] {
        var key = Array("AWS4\(credentials.secretAccessKey)".utf8)
        for part in [SigningDate.dateStamp(date), region, service, "aws4_request"] {
            key = HMAC.authenticationCode(.sha256, key: key, message: Array(part.utf8))
        }
        return key
    }

    // MARK: Canonicalization

    private func compute(_ request: HTTPRequest, date: Date, payload: String) -> Signed {
        let signedHeaders = signedHeaderNames(request.headers)
        let canonicalRequest = [
            request.method.uppercased(),
            canonicalPath(request.path),
            Self.canonicalQuery(request.query),
            canonicalHeaders(request),
            signedHeaders,
            payload,
        ].joined(separator: "\n")
        let stringToSign = [
            Self.algorithm,
            SigningDate.amzDate(date),
            scope(date),
            Self.sha256Hex(Data(canonicalRequest.utf8)),
        ].joined(separator: "\n")
        let signature = HMAC.authenticationCode(.sha256, key: signingKey(date: date),
                                                message: Array(stringToSign.utf8)).hexString
        return Signed(request: request, canonicalRequest: canonicalRequest,
                      stringToSign: stringToSign, signedHeaders: signedHeaders,
                      signature: signature)
    }

    private func scope(_ date: Date) -> String {
        "\(SigningDate.dateStamp(date))/\(region)/\(service)/aws4_request"
    }

    func canonicalPath(_ path: String) -> String {
        let path = path.isEmpty ? "/" : path
        let normalized = rules.normalizesPath ? Self.removingDotAndEmptySegments(path) : path
        let once = PercentEncoding.encode(normalized, keepingSlash: true)
        return rules.encodesPathTwice ? PercentEncoding.encode(once, keepingSlash: true) : once
    }

    /// RFC 3986 dot-segment removal, plus AWS's own rule that empty segments (`//`) go too.
    /// A trailing slash survives unless nothing else does (`/a/..` is `/`, not `//`).
    static func removingDotAndEmptySegments(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return "/" + segments.joined(separator: "/") + trailing
    }

    /// Names and values percent-encoded, then sorted by encoded name and, for repeated names,
    /// by encoded value. A name without a value is `name=`.
    static func canonicalQuery(_ query: [QueryItem]) -> String {
        query.map { (PercentEncoding.encode($0.name), PercentEncoding.encode($0.value)) }
            .sorted { $0.0 != $1.0 ? Self.precedes($0.0, $1.0) : Self.precedes($0.1, $1.1) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// `name:value` lines, sorted by name, each ending in a newline (so the canonical request
    /// has the blank line the spec shows before the signed-header list).
    private func canonicalHeaders(_ request: HTTPRequest) -> String {
        Self.groupedHeaders(request.headers, host: request.hostHeader)
            .map { "\($0.name):\($0.value)\n" }
            .joined()
    }

    private func signedHeaderNames(_ headers: HTTPHeaders) -> String {
        Self.groupedHeaders(headers, host: "").map(\.name).joined(separator: ";")
    }

    /// Signed headers with lower-case names, sorted; the values of a repeated header joined
    /// with `,` in request order, each trimmed and with inner whitespace runs (including
    /// folded continuation lines) collapsed to one space.
    private static func groupedHeaders(_ headers: HTTPHeaders,
                                       host: String) -> [(name: String, value: String)] {
        var values: [String: [String]] = ["host": [host]]
        for (name, value) in headers {
            let name = name.lowercased()
            guard !unsignedHeaders.contains(name) else { continue }
            values[name, default: []].append(collapsingWhitespace(value))
        }
        return values.keys.sorted(by: precedes).map { ($0, values[$0]!.joined(separator: ",")) }
    }

    static func collapsingWhitespace(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            .joined(separator: " ")
    }

    /// Byte order of the UTF-8, which is what the spec's "sort" means. Swift's `<` on String
    /// compares normalized Unicode scalars, which can order differently.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func sha256Hex(_ data: Data) -> String {
        Digest.hash(.sha256, data).hexString
    }
}
