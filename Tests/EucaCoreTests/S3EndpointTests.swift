import Foundation
import Testing
@testable import EucaCore

/// Request addressing (path style, virtual host, endpoint path prefix), name validation and
/// the SigV2 resource that `S3RequestSigner` signs.
@Suite struct S3EndpointTests {
    func endpoint(_ url: String, _ style: S3AddressingStyle = .auto) -> S3Endpoint {
        S3Endpoint(url: URL(string: url)!, style: style)
    }

    @Test func eucalyptusEndpointKeepsItsServicePathInFrontOfBucketAndKey() throws {
        let osg = endpoint("http://osg.example.internal:8773/services/objectstorage/")
        #expect(osg.pathPrefix == "/services/objectstorage")
        let object = try osg.request(method: "GET", bucket: "images", key: "centos/7.img.part.0")
        #expect(object.http.url.absoluteString
            == "http://osg.example.internal:8773/services/objectstorage/images/centos/7.img.part.0")
        #expect(object.http.hostHeader == "osg.example.internal:8773")
        #expect(object.virtualHostBucket == nil)
        let bucket = try osg.request(method: "HEAD", bucket: "images")
        #expect(bucket.http.path == "/services/objectstorage/images")
        let service = try osg.request(method: "GET")
        #expect(service.http.path == "/services/objectstorage")

        let walrus = endpoint("http://walrus:8773/services/Walrus")
        #expect(try walrus.request(method: "PUT", bucket: "b", key: "k").http.path == "/services/Walrus/b/k")
    }

    @Test func nonAWSEndpointsUsePathStyle() throws {
        for url in ["http://127.0.0.1:5000", "https://rgw.example.com", "http://minio:9000/"] {
            let request = try endpoint(url).request(method: "GET", bucket: "my-bucket", key: "a b/c~d")
            #expect(request.http.path == "/my-bucket/a b/c~d")
            #expect(request.http.encodedPath == "/my-bucket/a%20b/c~d")
            #expect(request.virtualHostBucket == nil)
        }
        #expect(try endpoint("http://127.0.0.1:5000").request(method: "GET").http.path == "/")
    }

    @Test func awsEndpointsUseVirtualHostsForDNSNamesWithoutDots() throws {
        let aws = endpoint("https://s3.eu-west-1.amazonaws.com/")
        let object = try aws.request(method: "GET", bucket: "my-bucket", key: "x/y")
        #expect(object.http.url.absoluteString == "https://my-bucket.s3.eu-west-1.amazonaws.com/x/y")
        #expect(object.virtualHostBucket == "my-bucket")
        #expect(try aws.request(method: "GET", bucket: "my-bucket").http.path == "/")
        // A dot would not match the *.s3 certificate; upper case and underscores are not DNS.
        for bucket in ["my.bucket", "MyBucket", "my_bucket", "ab"] {
            let request = try aws.request(method: "GET", bucket: bucket, key: "k")
            #expect(request.http.host == "s3.eu-west-1.amazonaws.com", "\(bucket)")
            #expect(request.http.path == "/\(bucket)/k")
        }
        #expect(endpoint("https://s3.cn-north-1.amazonaws.com.cn").isAWS)
    }

    @Test func styleCanBeForcedEitherWay() throws {
        let pathAWS = endpoint("https://s3.amazonaws.com", .path)
        #expect(try pathAWS.request(method: "GET", bucket: "b-1", key: "k").http.url.absoluteString
            == "https://s3.amazonaws.com/b-1/k")
        let virtualLocal = endpoint("http://storage.example.com:8080/prefix", .virtual)
        let request = try virtualLocal.request(method: "GET", bucket: "b-1", key: "k")
        #expect(request.http.url.absoluteString == "http://b-1.storage.example.com:8080/prefix/k")
        #expect(throws: S3NameError.self) { try virtualLocal.request(method: "GET", bucket: "Not_DNS") }
    }

    @Test func addressingStyleResolvesFromEnvironmentThenConfig() throws {
        let command = Command("euca-x", summary: "x", service: .s3, action: .custom { _ in })
        func style(env: [String: String] = [:], ini: String? = nil) throws -> Sourced<S3AddressingStyle> {
            let (_, parsed) = try ArgumentParser(command).parse(["--region", "r"])
            let config = try ini.map { EucaConfig(files: [try IniFile(path: "/etc/euca2ools/euca2ools.ini", text: $0)]) } ?? EucaConfig()
            return try ConfigResolver(arguments: parsed, environment: env, eucaConfig: config, service: .s3)
                .resolve().s3AddressingStyle.get()
        }
        let none = try style()
        #expect(none.value == .auto && none.source == .builtInDefault)
        let config = try style(ini: "[region r]\ns3-addressing-style = path\n")
        #expect(config.value == .path && config.source == .file(path: "/etc/euca2ools/euca2ools.ini", section: "region r"))
        let env = try style(env: ["EUCA_S3_ADDRESSING_STYLE": "Virtual"], ini: "[region r]\ns3-addressing-style = path\n")
        #expect(env.value == .virtual && env.source == .environment("EUCA_S3_ADDRESSING_STYLE"))
        #expect(try style(env: ["EUCA_S3_ADDRESSING_STYLE": "virtual-host"]).value == .virtual)
        #expect(throws: ConfigError("environment EUCA_S3_ADDRESSING_STYLE: S3 addressing style must be auto, path or virtual, got \"dns\"")) {
            try style(env: ["EUCA_S3_ADDRESSING_STYLE": "dns"])
        }
        #expect(throws: ConfigError.self) { try style(ini: "[region r]\ns3-addressing-style = dns\n") }
    }

    // MARK: Names

    @Test(arguments: [".", "..", "a/./b", "a/../b", "../x", "x/..", "./x", "x/.", "a/b/../../c",
                      "a..b", ".hidden", "x/.y", "..z/w", "a//b", "/lead", "trail/", "a b", "~~", "日本/キー"])
    func ordinaryKeysPass(key: String) throws {
        try S3Names.validateKey(key)
    }

    @Test func otherBadNames() {
        #expect(throws: S3NameError.self) { try S3Names.validateKey("") }
        #expect(throws: S3NameError.self) { try S3Names.validateKey(String(repeating: "k", count: 1025)) }
        #expect(throws: S3NameError.self) { try S3Names.validateKey("tab\there") }
        #expect(throws: S3NameError.self) { try S3Names.validateBucket("") }
        #expect(throws: S3NameError.self) { try S3Names.validateBucket("..") }
        #expect(throws: S3NameError.self) { try S3Names.validateBucket("a/b") }
        #expect(throws: S3NameError.self) { try S3Names.validateBucket("a b") }
        #expect((try? endpoint("http://h").request(method: "GET", bucket: "b", key: "a/../b"))?.http.path == "/b/a/../b")
        #expect(S3Names.isDNSCompatible("my-bucket.example"))
        #expect(!S3Names.isDNSCompatible("192.168.1.10"))
        #expect(!S3Names.isDNSCompatible("-abc"))
        #expect(!S3Names.isDNSCompatible("a..b"))
    }

    @Test func keysJoinPrefixAndName() {
        #expect(S3Names.key(prefix: "", name: "a.manifest.xml") == "a.manifest.xml")
        #expect(S3Names.key(prefix: "p/q", name: "a.part.0") == "p/q/a.part.0")
        #expect(S3Names.key(prefix: "p//", name: "a.part.0") == "p/a.part.0")
    }

    // MARK: SigV2 resource

    struct SigV2Vector {
        let accessKey: String
        let secretKey: String
        let date: String
        let signature: String
    }

    /// A published or botocore-made S3 SigV2 vector from `Fixtures/conformance/sigv2.json`.
    static func sigV2Vector(_ group: String, _ name: String) throws -> SigV2Vector {
        let file = try #require(JSONSerialization.jsonObject(with: Fixture.data("conformance/sigv2.json")) as? [String: Any])
        let vectors = try #require(file[group] as? [[String: Any]])
        let vector = try #require(vectors.first { $0["name"] as? String == name })
        let headers = (vector["headers"] ?? vector["headers_as_signed"]) as? [[String]] ?? []
        let authorization = (vector["authorization"] as? String) ?? ""
        return SigV2Vector(accessKey: try #require(vector["access_key"] as? String),
                           secretKey: try #require(vector["secret_key"] as? String),
                           date: try #require(headers.first { $0[0] == "Date" }?[1]),
                           signature: String(authorization.split(separator: ":").last ?? ""))
    }

    func sigV2Signed(_ request: S3Request, _ vector: SigV2Vector) -> HTTPRequest {
        var request = request
        request.http.headers["Date"] = vector.date
        let signer = S3RequestSigner(credentials: Credentials(accessKeyId: vector.accessKey, secretAccessKey: vector.secretKey),
                                     region: "us-east-1", signatureVersion: .v2)
        return signer.sign(request, date: Date(), payloadHash: "")
    }

    @Test func sigV2SignsTheResourceWithoutTheServicePath() throws {
        // The AWS example signs /johnsmith/photos/puppy.jpg. Under a Eucalyptus endpoint the
        // path sent is /services/objectstorage/johnsmith/photos/puppy.jpg, and the resource
        // signed must still be /johnsmith/photos/puppy.jpg, as euca2ools signs it.
        let vector = try Self.sigV2Vector("s3_rest_published", "object-get")
        let expected = "AWS \(vector.accessKey):\(vector.signature)"
        for url in ["http://osg.example.internal:8773/services/objectstorage",
                    "http://walrus.example.internal:8773/services/Walrus/",
                    "http://s3.example.internal"] {
            let request = try endpoint(url).request(method: "GET", bucket: "johnsmith", key: "photos/puppy.jpg")
            let signed = sigV2Signed(request, vector)
            #expect(signed.headers["Authorization"] == expected, "\(url)")
            #expect(signed.path == request.http.path, "the path sent keeps its prefix")
        }
        // Virtual-host style names the bucket in the host and signs the same resource.
        let virtual = try endpoint("https://s3.amazonaws.com").request(method: "GET", bucket: "johnsmith", key: "photos/puppy.jpg")
        #expect(virtual.http.host == "johnsmith.s3.amazonaws.com")
        #expect(sigV2Signed(virtual, vector).headers["Authorization"] == expected)
    }

    @Test func sigV2SignsSubresourcesContentTypeAndAmzHeaders() throws {
        // botocore's POST ?uploads for "big file.img" with Content-Type and x-amz-acl.
        let vector = try Self.sigV2Vector("s3_rest_botocore", "initiate-multipart-uploads")
        var request = try endpoint("https://s3.amazonaws.com", .path)
            .request(method: "POST", bucket: "bkt", key: "big file.img", query: [QueryItem("uploads", "")])
        S3PutOptions(acl: .private).apply(to: &request.http.headers)
        #expect(S3RequestSigner.sigV2Path(request) == "/bkt/big file.img")
        #expect(sigV2Signed(request, vector).headers["Authorization"] == "AWS \(vector.accessKey):\(vector.signature)")
    }

    @Test func sigV4SignsThePathAsSentPrefixIncluded() throws {
        let request = try endpoint("http://osg.example.internal:8773/services/objectstorage")
            .request(method: "GET", bucket: "b", key: "k")
        let credentials = Credentials(accessKeyId: "AKID", secretAccessKey: "secret")
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let signed = S3RequestSigner(credentials: credentials, region: "eucalyptus", signatureVersion: .v4)
            .sign(request, date: date, payloadHash: S3Client.emptyPayloadHash)
        let canonical = SigV4Signer(credentials: credentials, region: "eucalyptus", service: "s3")
            .canonicalRequest(for: request.http, date: date, payloadHash: S3Client.emptyPayloadHash)
        #expect(canonical.split(separator: "\n")[1] == "/services/objectstorage/b/k")
        #expect(signed.headers["x-amz-content-sha256"] == S3Client.emptyPayloadHash)
        #expect(signed.headers["Authorization"]?.contains("/eucalyptus/s3/aws4_request") == true)
        #expect(S3Client.emptyPayloadHash == Digest.hash(.sha256, Data()).hexString)
    }
}
