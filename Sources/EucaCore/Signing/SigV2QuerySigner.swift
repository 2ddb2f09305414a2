import Foundation

/// AWS Query API Signature Version 2, which EC2-era services (and Eucalyptus) accept: the
/// parameters themselves carry the authentication. The caller hands over the request's
/// parameters and gets back the complete signed list, to send as the query string (GET) or as
/// an `application/x-www-form-urlencoded` body (POST); both are signed the same way.
public struct SigV2QuerySigner: Sendable {
    public enum Algorithm: String, Sendable {
        case hmacSHA256 = "HmacSHA256"
        case hmacSHA1 = "HmacSHA1"

        var digest: DigestAlgorithm {
            switch self {
            case .hmacSHA256: .sha256
            case .hmacSHA1: .sha1
            }
        }
    }

    public var credentials: Credentials
    public var algorithm: Algorithm

    public init(credentials: Credentials, algorithm: Algorithm = .hmacSHA256) {
        self.credentials = credentials
        self.algorithm = algorithm
    }

    /// `parameters` followed by `AWSAccessKeyId`, `SignatureVersion`, `SignatureMethod`,
    /// `Timestamp` (from `date`, unless the caller supplied a `Timestamp` or an `Expires`),
    /// `SecurityToken` (with a session token) and `Signature`. Caller-supplied values of the
    /// other authentication parameters are replaced.
    ///
    /// - Parameters:
    ///   - host: the `Host` header value (`HTTPRequest.hostHeader`: the port only when it is
    ///     not the scheme's default); it is signed in lower case.
    ///   - path: the decoded request path; empty means `/`.
    public func sign(_ parameters: [QueryItem], method: String, host: String, path: String,
                     date: Date) -> [QueryItem] {
        var signed = authenticated(parameters, date: date)
        let text = stringToSign(for: signed, method: method, host: host, path: path)
        signed.append(QueryItem("Signature", signature(of: text)))
        return signed
    }

    /// Signs `parameters` for `request`'s method, host and path. `request.query` and
    /// `request.body` are not read: the parameters are what gets signed.
    public func sign(_ parameters: [QueryItem], for request: HTTPRequest,
                     date: Date) -> [QueryItem] {
        sign(parameters, method: request.method, host: request.hostHeader, path: request.path,
             date: date)
    }

    /// The string the signature covers, for a list that already holds every parameter but
    /// `Signature`.
    public func stringToSign(for parameters: [QueryItem], method: String, host: String,
                             path: String) -> String {
        [
            method.uppercased(),
            host.lowercased(),
            PercentEncoding.encode(path.isEmpty ? "/" : path, keepingSlash: true),
            Self.canonicalQuery(parameters),
        ].joined(separator: "\n")
    }

    private func authenticated(_ parameters: [QueryItem], date: Date) -> [QueryItem] {
        let replaced: Set<String> = [
            "AWSAccessKeyId", "SignatureVersion", "SignatureMethod", "SecurityToken", "Signature",
        ]
        var out = parameters.filter { !replaced.contains($0.name) }
        out += [
            QueryItem("AWSAccessKeyId", credentials.accessKeyId),
            QueryItem("SignatureVersion", "2"),
            QueryItem("SignatureMethod", algorithm.rawValue),
        ]
        // The service rejects a request with both; a caller that chose one keeps it.
        if !out.contains(where: { $0.name == "Timestamp" || $0.name == "Expires" }) {
            out.append(QueryItem("Timestamp", SigningDate.iso8601(date)))
        }
        if let token = credentials.sessionToken {
            out.append(QueryItem("SecurityToken", token))
        }
        return out
    }

    /// Sorted by parameter name in byte order of the UTF-8 (the SigV2 spec's "natural byte
    /// ordering" of the names, before encoding), then encoded RFC 3986 style.
    static func canonicalQuery(_ parameters: [QueryItem]) -> String {
        parameters
            .sorted {
                $0.name != $1.name
                    ? $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
                    : $0.value.utf8.lexicographicallyPrecedes($1.value.utf8)
            }
            .map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
            .joined(separator: "&")
    }

    func signature(of stringToSign: String) -> String {
        let mac = HMAC.authenticationCode(algorithm.digest,
                                          key: Array(credentials.secretAccessKey.utf8),
                                          message: Array(stringToSign.utf8))
        return Data(mac).base64EncodedString()
    }
}
