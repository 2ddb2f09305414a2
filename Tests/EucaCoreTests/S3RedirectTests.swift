import Foundation
import Testing
@testable import EucaCore

/// Where a bucket's requests go after a redirect or a region error, and what is refused.
@Suite struct S3RedirectTests {
    func route(_ url: String, _ region: String) -> S3BucketRoute {
        S3BucketRoute(endpoint: S3Endpoint(url: URL(string: url)!), region: region)
    }

    func redirect(_ status: Int = 301, region: String? = nil, endpoint: String? = nil,
                  location: String? = nil) -> RedirectError {
        RedirectError(status: status, host: "h", location: location, region: region, endpoint: endpoint)
    }

    @Test func awsRegionRedirectMovesToThatRegionsEndpoint() throws {
        let next = try #require(route("https://s3.amazonaws.com", "us-east-1")
            .redirected(by: redirect(region: "eu-west-1", endpoint: "bkt.s3.eu-west-1.amazonaws.com"), bucket: "bkt"))
        #expect(next.region == "eu-west-1")
        #expect(next.endpoint.host == "s3.eu-west-1.amazonaws.com")
        let back = try #require(route("https://s3.eu-west-1.amazonaws.com", "eu-west-1")
            .redirected(by: redirect(region: "us-east-1"), bucket: "bkt"))
        #expect(back.endpoint.host == "s3.amazonaws.com")
        let china = try #require(route("https://s3.cn-north-1.amazonaws.com.cn", "cn-north-1")
            .redirected(by: redirect(region: "cn-northwest-1"), bucket: "bkt"))
        #expect(china.endpoint.host == "s3.cn-northwest-1.amazonaws.com.cn")
    }

    @Test func endpointInTheBodyNamesTheServiceHost() throws {
        let next = try #require(route("https://s3.amazonaws.com", "us-east-1")
            .redirected(by: redirect(307, endpoint: "my.s3.bucket.s3-external-1.amazonaws.com"), bucket: "my.s3.bucket"))
        #expect(next.region == "us-east-1")
        #expect(next.endpoint.host == "s3-external-1.amazonaws.com")
        #expect(S3BucketRoute.serviceHost("rgw2.example.com", bucket: "bkt") == "rgw2.example.com")
        #expect(S3BucketRoute.serviceHost("BKT.rgw2.example.com", bucket: "bkt") == "rgw2.example.com")
    }

    @Test func locationOfATemporaryRedirectIsFollowedForOtherServers() throws {
        let next = try #require(route("http://rgw1.example.com:7480/", "default")
            .redirected(by: redirect(307, location: "https://bkt.rgw2.example.com:7481/key"), bucket: "bkt"))
        #expect(next.endpoint.host == "rgw2.example.com")
        #expect(next.endpoint.port == 7481 && next.endpoint.scheme == "https")
        #expect(next.region == "default")
    }

    @Test func wrongSigningRegionErrorResignsForTheNamedRegion() throws {
        var error = ServiceError(status: 400, code: "AuthorizationHeaderMalformed", message: "m", host: "h")
        #expect(route("https://s3.amazonaws.com", "us-east-1").redirected(by: error, bucket: "bkt") == nil)
        error.details["Region"] = "ap-south-1"
        let aws = try #require(route("https://s3.amazonaws.com", "us-east-1").redirected(by: error, bucket: "bkt"))
        #expect(aws.region == "ap-south-1" && aws.endpoint.host == "s3.ap-south-1.amazonaws.com")
        let rgw = try #require(route("http://rgw:7480", "us-east-1").redirected(by: error, bucket: "bkt"))
        #expect(rgw.region == "ap-south-1" && rgw.endpoint.host == "rgw")
    }

    @Test func aRedirectThatNamesNothingNewStands() {
        #expect(route("https://s3.amazonaws.com", "us-east-1").redirected(by: redirect(), bucket: "bkt") == nil)
        #expect(route("https://s3.amazonaws.com", "us-east-1").redirected(by: redirect(region: "us-east-1"), bucket: "bkt") == nil)
        #expect(route("http://h", "r").redirected(by: ServiceError(status: 403, code: "AccessDenied", message: "", host: "h"), bucket: "bkt") == nil)
        #expect(route("http://h", "r").redirected(by: CancellationError(), bucket: "bkt") == nil)
    }

    @Test func headErrorsWithoutBodiesGetAMeaning() throws {
        let osg = S3Endpoint(url: URL(string: "http://osg:8773/services/objectstorage")!)
        let bare = ServiceError(status: 404, code: nil, message: "HTTP 404 Not Found from osg:8773 with an empty body", host: "osg:8773")
        let bucket = try #require(S3Client.clarify(bare, request: try osg.request(method: "HEAD", bucket: "bkt")) as? ServiceError)
        #expect(bucket.code == "NoSuchBucket" && bucket.message.contains("bkt"))
        #expect(S3Client.isNotFound(bucket))
        let object = try #require(S3Client.clarify(bare, request: try osg.request(method: "HEAD", bucket: "bkt", key: "a/b")) as? ServiceError)
        #expect(object.code == "NoSuchKey" && object.message.contains("bkt/a/b"))
        var forbidden = bare
        forbidden.status = 403
        let denied = try #require(S3Client.clarify(forbidden, request: try osg.request(method: "HEAD", bucket: "bkt")) as? ServiceError)
        #expect(denied.code == "AccessDenied" && denied.message.contains("secret key"))
        // A GET that got an HTML 404 is not "no such key": the URL may well be wrong.
        let get = try #require(S3Client.clarify(bare, request: try osg.request(method: "GET", bucket: "bkt", key: "k")) as? ServiceError)
        #expect(get.code == nil)
        let noSuchKey = ServiceError(status: 404, code: "NoSuchKey", message: "The specified key does not exist.", host: "h")
        let named = try #require(S3Client.clarify(noSuchKey, request: try osg.request(method: "GET", bucket: "bkt", key: "k")) as? ServiceError)
        #expect(named.message == "The specified key does not exist. (bkt/k)")
    }
}
