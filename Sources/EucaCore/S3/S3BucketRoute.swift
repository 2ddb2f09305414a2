import Foundation

/// Where a bucket's requests go and which region signs them. Starts as the client's endpoint
/// and region; changes when the service redirects (a bucket in another region).
struct S3BucketRoute: Sendable, Equatable {
    var endpoint: S3Endpoint
    var region: String

    /// The route to retry `bucket`'s request on after `error`, or nil when the error names
    /// nowhere new (then it stands). Handles:
    /// - 301/307 redirects (`RedirectError`): AWS names the bucket's region in
    ///   `x-amz-bucket-region` or `<Region>`, and sometimes its host in `<Endpoint>`;
    ///   a temporary redirect (new buckets, while DNS catches up) names a host in `Location`.
    /// - 400 `AuthorizationHeaderMalformed` with `<Region>`: a SigV4 request signed for the
    ///   wrong region, which AWS answers that way instead of redirecting.
    /// On AWS a new region means that region's endpoint; elsewhere the endpoint is kept (a
    /// redirect that names a new region is re-signed for it, same endpoint), unless the response
    /// names another host and no new region.
    func redirected(by error: Error, bucket: String) -> S3BucketRoute? {
        var next = self
        switch error {
        case let redirect as RedirectError:
            if let region = redirect.region, !region.isEmpty { next.region = region }
            if endpoint.isAWS, next.region != self.region {
                next.endpoint = S3Endpoint.awsRegional(next.region, like: endpoint)
            } else if next.region != self.region {
                // A region redirect from an endpoint the user chose: re-signed for that region
                // and sent to the same endpoint, as the AWS SDKs do for a custom endpoint. The
                // host the response names is not given a signed request.
            } else if let host = redirect.endpoint, !host.isEmpty {
                next.endpoint.host = Self.serviceHost(host, bucket: bucket)
                if next.endpoint.isAWS { next.endpoint.port = nil }
            } else if let location = redirect.location.flatMap(URL.init(string:)), let host = location.host {
                next.endpoint.host = Self.serviceHost(host, bucket: bucket)
                next.endpoint.scheme = location.scheme?.lowercased() ?? endpoint.scheme
                next.endpoint.port = location.port
            }
        case let serviceError as ServiceError where serviceError.code == "AuthorizationHeaderMalformed":
            guard let region = serviceError.details["Region"], !region.isEmpty else { return nil }
            next.region = region
            if endpoint.isAWS { next.endpoint = S3Endpoint.awsRegional(region, like: endpoint) }
        default:
            return nil
        }
        return next == self ? nil : next
    }

    /// The service host in a redirect's host: AWS sends `<Endpoint>bkt.s3.eu-west-1.amazonaws.com`
    /// (and a virtual-host `Location` is `bkt.host`), while S3Endpoint adds the bucket itself.
    static func serviceHost(_ host: String, bucket: String) -> String {
        let prefix = bucket.lowercased() + "."
        return host.lowercased().hasPrefix(prefix) ? String(host.dropFirst(prefix.count)) : host
    }
}

/// The routes learned from redirects, per bucket, shared by every copy of a client: a bundle
/// of a thousand parts in another region costs one redirect, not a thousand.
final class S3BucketRoutes: Sendable {
    private let routes = LockedValue<[String: S3BucketRoute]>([:])

    func route(for bucket: String) -> S3BucketRoute? {
        routes.withLock { $0[bucket] }
    }

    func remember(_ route: S3BucketRoute, for bucket: String) {
        routes.withLock { $0[bucket] = route }
    }
}
