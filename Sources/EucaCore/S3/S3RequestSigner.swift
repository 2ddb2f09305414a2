import Foundation

/// Signs S3 requests with SigV4 (service `s3`) or, for old Walrus, the S3 REST SigV2 scheme.
///
/// SigV4 signs the path exactly as sent, service prefix included. SigV2 signs the resource
/// *without* the endpoint's path prefix: `/bucket/key`, not `/services/objectstorage/bucket/key`.
/// That is what euca2ools (requestbuilder's HmacV1Auth strips the service path) and boto send,
/// and Eucalyptus's objectstorage accepts both forms, so the euca2ools form is the safe one.
struct S3RequestSigner: Sendable {
    var credentials: Credentials
    var region: String
    var signatureVersion: SignatureVersion

    /// `payloadHash` is the hex SHA-256 of the body (SigV4 only; SigV2 signs `Content-MD5`).
    func sign(_ request: S3Request, date: Date, payloadHash: String) -> HTTPRequest {
        switch signatureVersion {
        case .v4:
            return SigV4Signer(credentials: credentials, region: region, service: "s3")
                .sign(request.http, date: date, payloadHash: payloadHash)
        case .v2:
            var unprefixed = request.http
            unprefixed.path = Self.sigV2Path(request)
            var signed = S3SigV2Signer(credentials: credentials)
                .sign(unprefixed, bucket: request.virtualHostBucket, date: date)
            signed.path = request.http.path
            return signed
        }
    }

    /// The request path with the service prefix removed, as SigV2 signs it.
    static func sigV2Path(_ request: S3Request) -> String {
        let path = request.http.path
        let prefix = request.servicePathPrefix
        guard !prefix.isEmpty, path.hasPrefix(prefix) else { return path }
        let rest = String(path.dropFirst(prefix.count))
        return rest.isEmpty ? "/" : rest
    }
}
