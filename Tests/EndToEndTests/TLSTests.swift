import Foundation
import Testing

/// TLS against a private CA: Scripts/tls-front.py makes a CA and puts HTTPS listeners (a good,
/// an expired and a wrongly named certificate) in front of the shared moto.
@Suite(.serialized) struct TLSTests {
    struct Fronts: Decodable {
        var good: Int
        var expired: Int
        var wrong: Int
        var ca: String
        var other_ca: String
    }

    static let shared = Result<(Fronts, HelperScript), any Error> {
        let moto = try MotoEndpoint.shared
        let port = URL(string: moto.endpoint)!.port!
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-tls-\(UUID().uuidString)")
        let launched = try HelperScript.launch("tls-front.py", arguments: ["--upstream", "127.0.0.1:\(port)", "--dir", directory.path],
                                               timeout: 30, requirement: "Python 3 with cryptography (a moto dependency)",
                                               ready: Fronts.self)
        return (launched.ready, launched.script)
    }

    static func env(port: Int, host: String = "localhost") throws -> [String: String] {
        var env = endpointEnv(try MotoEndpoint.shared)
        env["EC2_URL"] = "https://\(host):\(port)/"
        return env
    }

    @Test func caBundleFlagAndEnvironmentAndIni() throws {
        let (fronts, _) = try Self.shared.get()
        let flag = euca("describe-availability-zones", ["--ca-bundle", fronts.ca], env: try Self.env(port: fronts.good))
        #expect(flag.succeeded && flag.stdout.hasPrefix("AVAILABILITYZONE\t"), "\(flag)")
        var env = try Self.env(port: fronts.good, host: "127.0.0.1")
        env["AWS_CA_BUNDLE"] = fronts.ca
        let variable = euca("describe-availability-zones", env: env)
        #expect(variable.succeeded && variable.stderr.isEmpty, "\(variable)")
    }

    @Test func unknownIssuerIsOneLineNamingTheFix() throws {
        let (fronts, _) = try Self.shared.get()
        for bundle in [nil, fronts.other_ca] {
            let result = euca("describe-availability-zones", bundle.map { ["--ca-bundle", $0] } ?? [],
                              env: try Self.env(port: fronts.good))
            #expect(result.status == 1 && result.stdout.isEmpty, "\(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
            #expect(result.stderr.contains("localhost:\(fronts.good)") && result.stderr.contains("--ca-bundle"), "\(result)")
            #expect(result.stderr.contains("issuer"), "\(result)")
        }
    }

    @Test func expiredAndMismatchedCertificatesAreRefused() throws {
        let (fronts, _) = try Self.shared.get()
        let expired = euca("describe-availability-zones", ["--ca-bundle", fronts.ca], env: try Self.env(port: fronts.expired))
        #expect(expired.status == 1 && expired.stderr.contains("expired"), "\(expired)")
        let wrong = euca("describe-availability-zones", ["--ca-bundle", fronts.ca], env: try Self.env(port: fronts.wrong))
        #expect(wrong.status == 1 && wrong.stderr.contains("mismatch"), "\(wrong)")
        let wrongAddress = euca("describe-availability-zones", ["--ca-bundle", fronts.ca], env: try Self.env(port: fronts.wrong, host: "127.0.0.1"))
        #expect(wrongAddress.status == 1 && wrongAddress.stderr.contains("mismatch"), "\(wrongAddress)")
    }

    @Test func noVerifySSLWorksAndWarnsOnce() throws {
        let (fronts, _) = try Self.shared.get()
        let result = euca("describe-availability-zones", ["--no-verify-ssl"], env: try Self.env(port: fronts.wrong))
        #expect(result.succeeded, "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains("verification is off"), "\(result)")
    }

    @Test func unreadableCABundleIsAConfigError() throws {
        let (fronts, _) = try Self.shared.get()
        var env = try Self.env(port: fronts.good)
        env["AWS_CA_BUNDLE"] = "/nonexistent/ca.pem"
        let result = euca("describe-availability-zones", env: env)
        #expect(result.status == 1 && result.stderr.contains("cannot read CA bundle /nonexistent/ca.pem"), "\(result)")
    }
}
