import Foundation

/// The S3 REST API, as much of it as image bundles need: buckets, objects and listings (the
/// operations live in the `S3Client+…` files). Requests go through the
/// shared `ServiceClient`, so they get its retries, retry quota, clock-skew correction and
/// redirect detection; this type adds S3 addressing, signing, integrity checks and following a
/// bucket's region.
///
/// Payload signing: SigV4 requests sign the real SHA-256 of the body (`x-amz-content-sha256`),
/// computed once per request, not per attempt. `UNSIGNED-PAYLOAD` would save little: SHA-256
/// runs at ~1.9 GB/s on this class of machine (SHA-NI), ~5 ms for a 10 MiB bundle part, less
/// than half of the MD5 that `Content-MD5` needs anyway, and the hashing happens in the
/// upload tasks, in parallel. In exchange the signature covers the body itself, which matters
/// on plain-HTTP endpoints (Eucalyptus's `http://…:8773`), and there is no S3 extension for a
/// server to lack.
public struct S3Client: Sendable {
    let service: ServiceClient
    public let endpoint: S3Endpoint
    /// The region requests are signed for (SigV4), unless a bucket's redirect says otherwise.
    public let region: String
    let credentials: Credentials
    public let signatureVersion: SignatureVersion
    let routes: S3BucketRoutes
    /// Content-MD5 and the ETag checks need MD5, which a FIPS-only OpenSSL lacks: checked when
    /// the client is made, so that is one clear error before any request.
    let md5: AvailableDigest

    public init(client: ServiceClient, endpoint: URL, region: String, credentials: Credentials,
                signatureVersion: SignatureVersion = .v4, addressingStyle: S3AddressingStyle = .auto) throws(CryptoError) {
        md5 = try DigestAlgorithm.md5.available()
        service = client
        self.endpoint = S3Endpoint(url: endpoint, style: addressingStyle)
        self.region = region
        self.credentials = credentials
        self.signatureVersion = signatureVersion
        routes = S3BucketRoutes()
    }

    /// The debug log of the underlying client (`--debug`).
    public var log: DebugLog { service.log }

    /// Hex SHA-256 of the empty body, the payload hash of every bodiless request.
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Sends one request, signed for the bucket's route, and decodes a 2xx response. A redirect
    /// or region error that names where the bucket lives is followed once (re-signed for that
    /// region) and remembered for the bucket's later requests. The body's SHA-256 is computed
    /// here once, not on every attempt.
    func perform<T: Sendable>(
        _ method: String, bucket: String? = nil, key: String? = nil, query: [QueryItem] = [],
        headers: HTTPHeaders = [:], body: HTTPBody = .empty, payloadHash: String? = nil,
        decode: @escaping @Sendable (HTTPResponse, S3Request) throws(ResponseFormatError) -> T
    ) async throws -> T {
        let payload: String
        if signatureVersion == .v2 {
            payload = ""  // SigV2 signs Content-MD5 instead
        } else {
            payload = payloadHash ?? (body.isEmpty ? S3Client.emptyPayloadHash : SigV4Signer.sha256Hex(body.inMemory))
        }
        var route = bucket.flatMap(routes.route(for:)) ?? S3BucketRoute(endpoint: endpoint, region: region)
        var followedRedirect = false
        while true {
            var request = try route.endpoint.request(method: method, bucket: bucket, key: key, query: query)
            request.http.headers = headers
            request.http.body = body
            let signer = S3RequestSigner(credentials: credentials, region: route.region,
                                         signatureVersion: signatureVersion)
            let prepared = request
            do {
                return try await service.send(
                    request.http,
                    sign: { http, date in
                        var attempt = prepared
                        attempt.http = http
                        return signer.sign(attempt, date: date, payloadHash: payload)
                    },
                    decode: { response throws(ResponseFormatError) in try decode(response, prepared) })
            } catch {
                if !followedRedirect, let bucket, let next = route.redirected(by: error, bucket: bucket) {
                    log("bucket \(bucket) is served by \(next.endpoint.url.absoluteString) in region \(next.region); retrying there")
                    routes.remember(next, for: bucket)
                    route = next
                    followedRedirect = true
                    continue
                }
                throw S3Client.clarify(error, request: prepared)
            }
        }
    }

    /// Gives bodiless error responses a code and a message. HEAD responses have no body, so a
    /// missing bucket or object arrives as a bare 404 (and bad credentials as a bare 403); say
    /// what that means instead of "empty body". `NoSuchKey`/`NoSuchBucket` messages get the
    /// name of what is missing.
    static func clarify(_ error: Error, request: S3Request) -> Error {
        guard var serviceError = error as? ServiceError else { return error }
        let name = request.resourceName
        if serviceError.code == nil, request.http.method == "HEAD" {
            switch (serviceError.status, request.key) {
            case (404, nil) where request.bucket != nil:
                serviceError.code = "NoSuchBucket"
                serviceError.message = "The bucket \(name) does not exist"
            case (404, _?):
                serviceError.code = "NoSuchKey"
                serviceError.message = "The object \(name) does not exist (or its bucket \(request.bucket ?? "") does not)"
            case (400, nil) where request.bucket != nil:
                serviceError.code = "BadRequest"
                serviceError.message = "\(serviceError.host) refused HEAD \(name) (HTTP 400); on AWS this means the bucket is in another region than the one signed for (--region)"
            case (403, _):
                serviceError.code = "AccessDenied"
                serviceError.message = "\(serviceError.host) refused HEAD \(name) (HTTP 403): wrong secret key, no permission, or a clock far off; a HEAD response carries no error document to say which"
            default:
                break
            }
        } else if ["NoSuchKey", "NoSuchBucket"].contains(serviceError.code), !serviceError.message.contains(name) {
            serviceError.message += " (\(name))"
        }
        return serviceError
    }

    /// Whether `error` says the bucket or object does not exist.
    public static func isNotFound(_ error: Error) -> Bool {
        guard let serviceError = error as? ServiceError else { return false }
        if let code = serviceError.code { return ["NoSuchKey", "NoSuchBucket", "NotFound"].contains(code) }
        return serviceError.status == 404
    }

    /// The MD5 of `data`, base64, as `Content-MD5` carries it.
    static func contentMD5(_ md5: [UInt8]) -> String { Data(md5).base64EncodedString() }
}
