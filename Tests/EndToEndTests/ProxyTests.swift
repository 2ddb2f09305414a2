import Foundation
import Testing

/// Forward proxies from the environment (`http_proxy`, `https_proxy`, `no_proxy`, either
/// case), through Scripts/forward-proxy.py, which counts what passes: http requests in
/// absolute form with the proxy's credentials, https through a CONNECT tunnel (the TLS fronts
/// of TLSTests, so the certificate is still verified end to end), hosts in `no_proxy` reached
/// directly, and a proxy that never answers bounded by the connect or read timeout.
@Suite struct ProxyTests {
    /// A password with characters that must be percent-encoded in the proxy URL.
    static let user = "proxy-user:p@ss:word"
    static let userInURL = "proxy-user:p%40ss%3Aword"

    static func env(_ base: [String: String], _ extra: [String: String]) -> [String: String] {
        base.merging(extra) { $1 }
    }

    @Test("http: absolute-form requests with the proxy's credentials, signatures intact",
          arguments: ["http_proxy", "HTTP_PROXY"])
    func httpGoesThroughTheProxy(_ variable: String) throws {
        let moto = try MotoEndpoint.shared
        let proxy = try ForwardProxy.start(user: Self.user)
        defer { proxy.stop() }
        let result = euca("describe-availability-zones", env: Self.env(endpointEnv(moto), [
            variable: "http://\(Self.userInURL)@127.0.0.1:\(proxy.port)",
        ]))
        #expect(result.succeeded && result.stdout.hasPrefix("AVAILABILITYZONE\t"), "\(result)")
        let seen = try proxy.requests()
        #expect(seen.count == 1 && seen.allSatisfy { $0.authorized && $0.target.hasPrefix(moto.endpoint + "/") },
                "\(seen)")
    }

    @Test("wrong proxy credentials: one line naming the 407, exit 1, the password never printed")
    func wrongCredentialsAreOneLine() throws {
        let moto = try MotoEndpoint.shared
        let proxy = try ForwardProxy.start(user: Self.user)
        defer { proxy.stop() }
        let result = euca("describe-availability-zones", ["--debug"], env: Self.env(endpointEnv(moto), [
            "http_proxy": "http://proxy-user:not-it-at-all@127.0.0.1:\(proxy.port)",
        ]))
        #expect(result.status == 1 && result.stdout.isEmpty, "\(result)")
        let errors = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("debug: ") }
        #expect(errors.count == 1 && errors[0].contains("407"), "\(result)")
        #expect(!result.stderr.contains("not-it-at-all"), "\(result)")
    }

    @Test("S3 through an http proxy: bundle parts are PUT in absolute form, bodies intact (SeaweedFS checks the payload hash)")
    func bundleUploadThroughTheProxy() async throws {
        let proxy = try ForwardProxy.start()
        defer { proxy.stop() }
        let dir = try BundleCommandsTests.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, manifest) = try BundleTransferCommandsTests.bundle(in: dir, size: 300_000, partSize: "64K")
        let parts = try BundleTransferCommandsTests.partNames(manifest)
        let bucket = BundleTransferCommandsTests.uniqueBucket("proxied")
        let env = Self.env(try BundleTransferCommandsTests.environment(.seaweedFSV4), [
            "HTTP_PROXY": proxy.endpoint,
        ])
        let result = euca("upload-bundle", ["-b", bucket, "-m", manifest], env: env)
        #expect(result.succeeded, "\(result)")
        let puts = try proxy.requests().filter { $0.method == "PUT" }
        // The bucket, each part, the manifest.
        #expect(puts.count == parts.count + 2, "\(puts)")
        let stored = try await BundleTransferCommandsTests.keys(try SeaweedFSEndpoint.shared, bucket)
        #expect(stored == (parts + ["disk.img.manifest.xml"]).sorted())
    }

    @Test("https: one CONNECT tunnel, TLS verified inside it against the private CA")
    func httpsTunnelsThroughConnect() throws {
        let (fronts, _) = try TLSTests.shared.get()
        let proxy = try ForwardProxy.start(user: Self.user)
        defer { proxy.stop() }
        var env = try TLSTests.env(port: fronts.good)
        env["https_proxy"] = "http://\(Self.userInURL)@127.0.0.1:\(proxy.port)"
        let good = euca("describe-availability-zones", ["--ca-bundle", fronts.ca], env: env)
        #expect(good.succeeded && good.stdout.hasPrefix("AVAILABILITYZONE\t"), "\(good)")
        #expect(try proxy.requests() == [.init(method: "CONNECT", target: "localhost:\(fronts.good)", authorized: true)])

        // The tunnel does not weaken verification: without the CA the certificate is refused.
        let refused = euca("describe-availability-zones", env: env)
        #expect(refused.status == 1 && refused.stderr.contains("issuer"), "\(refused)")
    }

    @Test("no_proxy: listed hosts are reached directly", arguments: ["no_proxy", "NO_PROXY"])
    func noProxyBypasses(_ variable: String) throws {
        let moto = try MotoEndpoint.shared
        let proxy = try ForwardProxy.start()
        defer { proxy.stop() }
        let port = URL(string: moto.endpoint)!.port!
        for entry in ["127.0.0.1", "*", "localhost,127.0.0.1:\(port)"] {
            let result = euca("describe-availability-zones", env: Self.env(endpointEnv(moto), [
                "http_proxy": proxy.endpoint, variable: entry,
            ]))
            #expect(result.succeeded, "\(entry): \(result)")
        }
        #expect(try proxy.requests().isEmpty)
    }

    @Test("a proxy that never answers: the connect timeout bounds the CONNECT, the read timeout an http request")
    func stalledProxyTimesOut() throws {
        let moto = try MotoEndpoint.shared
        let (fronts, _) = try TLSTests.shared.get()
        let proxy = try ForwardProxy.start(stall: true)
        defer { proxy.stop() }
        var https = try TLSTests.env(port: fronts.good)
        https["https_proxy"] = proxy.endpoint
        https["AWS_MAX_ATTEMPTS"] = "1"
        let tunnel = euca("describe-availability-zones", ["--ca-bundle", fronts.ca, "--connect-timeout", "1"], env: https)
        #expect(tunnel.status == 1 && tunnel.stderr.split(separator: "\n").count == 1, "\(tunnel)")
        #expect(tunnel.stderr.contains("cannot connect to localhost:\(fronts.good) (through proxy 127.0.0.1:\(proxy.port)): no answer within 1 s"),
                "\(tunnel)")

        let plain = euca("describe-availability-zones", ["--read-timeout", "1"], env: Self.env(endpointEnv(moto), [
            "http_proxy": proxy.endpoint, "AWS_MAX_ATTEMPTS": "1",
        ]))
        #expect(plain.status == 1 && plain.stderr.split(separator: "\n").count == 1, "\(plain)")
        #expect(plain.stderr.contains("(through proxy 127.0.0.1:\(proxy.port)) sent nothing for 1 s (--read-timeout)"), "\(plain)")
        #expect(try proxy.requests().map(\.method) == ["CONNECT", "POST"])
    }
}
