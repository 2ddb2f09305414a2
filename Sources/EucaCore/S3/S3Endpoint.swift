import Foundation

/// An S3 service endpoint and the rule for putting a bucket and key into a request against it.
/// Pure: builds requests, sends nothing.
///
/// The endpoint URL's path is a prefix that every request keeps in front of `/bucket/key`:
/// Eucalyptus serves object storage under `/services/objectstorage` (and the older Walrus under
/// `/services/Walrus`) on port 8773, so `http://osg:8773/services/objectstorage` addresses the
/// key `k` of bucket `b` as `/services/objectstorage/b/k`.
public struct S3Endpoint: Sendable, Equatable {
    public var scheme: String
    public var host: String
    public var port: Int?
    /// The endpoint's path without a trailing slash: `""` or e.g. `/services/objectstorage`.
    public var pathPrefix: String
    public var style: S3AddressingStyle

    public init(url: URL, style: S3AddressingStyle = .auto) {
        scheme = url.scheme?.lowercased() ?? "https"
        host = url.host ?? ""
        port = url.port
        var path = Substring(url.path)
        while path.hasSuffix("/") { path = path.dropLast() }
        pathPrefix = String(path)
        self.style = style
    }

    /// The endpoint as a URL, for messages and for deriving other endpoints.
    public var url: URL {
        var components = URLComponents()
        components.scheme = scheme
        components.host = host
        components.port = port
        components.path = pathPrefix.isEmpty ? "/" : pathPrefix
        return components.url!
    }

    /// AWS's own S3 endpoints (`s3.amazonaws.com`, `s3.eu-west-1.amazonaws.com`, …).
    public var isAWS: Bool {
        let lower = host.lowercased()
        return lower.hasSuffix(".amazonaws.com") || lower.hasSuffix(".amazonaws.com.cn")
    }

    /// Whether requests for `bucket` name it in the host (see `S3AddressingStyle`).
    public func usesVirtualHost(for bucket: String) throws(S3NameError) -> Bool {
        switch style {
        case .path:
            return false
        case .virtual:
            guard S3Names.isDNSCompatible(bucket) else {
                throw S3NameError("bucket name \(quoted(bucket)) cannot be used with virtual-host addressing (\(S3AddressingStyle.environmentVariable)=virtual): it is not a valid DNS name; use path-style addressing")
            }
            return true
        case .auto:
            return isAWS && S3Names.isDNSCompatible(bucket) && !bucket.contains(".")
        }
    }

    /// A request for the service (`bucket` nil), a bucket (`key` nil) or an object. Names are
    /// validated first; see `S3Names`.
    public func request(method: String, bucket: String? = nil, key: String? = nil,
                        query: [QueryItem] = []) throws(S3NameError) -> S3Request {
        var requestHost = host
        var path = pathPrefix
        var virtualHostBucket: String?
        if let bucket {
            try S3Names.validateBucket(bucket)
            if try usesVirtualHost(for: bucket) {
                requestHost = "\(bucket).\(host)"
                virtualHostBucket = bucket
            } else {
                path += "/" + bucket
            }
        }
        if let key {
            guard bucket != nil else { throw S3NameError("an object key needs a bucket") }
            try S3Names.validateKey(key)
            path += "/" + key
        }
        if path.isEmpty || (virtualHostBucket != nil && key == nil) { path += "/" }
        let http = HTTPRequest(method: method, scheme: scheme, host: requestHost, port: port,
                               path: path, query: query)
        return S3Request(http: http, bucket: bucket, key: key,
                         virtualHostBucket: virtualHostBucket, servicePathPrefix: pathPrefix)
    }

    /// The AWS endpoint for `region` (same partition as this one), for following a redirect.
    static func awsRegional(_ region: String, like endpoint: S3Endpoint) -> S3Endpoint {
        var regional = endpoint
        let suffix = endpoint.host.lowercased().hasSuffix(".amazonaws.com.cn") ? "amazonaws.com.cn" : "amazonaws.com"
        regional.host = region == "us-east-1" ? "s3.amazonaws.com" : "s3.\(region).\(suffix)"
        regional.port = nil
        regional.pathPrefix = ""
        return regional
    }
}

/// One S3 request before signing, with what the S3 signers need beyond the HTTP request.
public struct S3Request: Sendable {
    public var http: HTTPRequest
    public var bucket: String?
    public var key: String?
    /// The bucket when it is named in the host rather than the path (SigV2 signs it as `/bucket`).
    public var virtualHostBucket: String?
    /// The endpoint's path prefix, which SigV2 leaves out of the signed resource.
    public var servicePathPrefix: String

    /// `bucket/key`, `bucket` or the endpoint, for messages.
    public var resourceName: String {
        guard let bucket else { return http.hostHeader }
        return key.map { "\(bucket)/\($0)" } ?? bucket
    }
}
