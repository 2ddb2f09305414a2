import Foundation
import Testing

/// Credentials, endpoints and configuration files, end to end.
@Suite struct ConfigurationTests {
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func wrongSecretIsRejectedBySignatureChecking() throws {
        var env = endpointEnv(try MotoEndpoint.shared)
        env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        let result = euca("describe-availability-zones", env: env)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("euca-describe-availability-zones: error (AuthFailure): "))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func missingCredentialsNameEveryWayToSupplyThem() throws {
        let moto = try MotoEndpoint.shared
        let result = euca("describe-availability-zones", env: ["EC2_URL": moto.endpoint])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        for hint in ["-I KEY_ID -S SECRET_KEY", "AWS_ACCESS_KEY_ID", "EC2_ACCESS_KEY", "eucarc", "AWS_CREDENTIAL_FILE", "~/.euca", "~/.aws/credentials"] {
            #expect(result.stderr.contains(hint), "\(hint)")
        }
    }

    @Test func unreachableEndpointIsOneClearLine() throws {
        // A port nothing listens on: bind one, note it, close it.
        let port = try closedPort()
        let result = euca("describe-availability-zones", ["--max-attempts", "2"],
                          env: ["EC2_URL": "http://127.0.0.1:\(port)/", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
        #expect(result.status == 1)
        #expect(result.stderr == "euca-describe-availability-zones: error: cannot connect to 127.0.0.1:\(port): connection refused (is the endpoint URL right and the service running?) (gave up after 2 attempts)\n")
    }

    @Test func flagsOverrideTheEnvironment() throws {
        let moto = try MotoEndpoint.shared
        var env = endpointEnv(moto)
        env["EC2_URL"] = "http://127.0.0.1:1/"
        env["AWS_SECRET_ACCESS_KEY"] = "wrong"
        let result = euca("describe-availability-zones", ["-U", moto.endpoint, "-I", moto.accessKeyId, "-S", moto.secretAccessKey, "us-east-1a"], env: env)
        #expect(result.succeeded, "\(result)")
        // euca2ools 1.x spellings of the credential flags work too.
        let classic = euca("describe-availability-zones", ["--url", moto.endpoint, "-a", moto.accessKeyId, "-s", moto.secretAccessKey, "us-east-1a"], env: env)
        #expect(classic.succeeded, "\(classic)")
    }

    /// A real Eucalyptus eucarc is a bash script; after `source eucarc` the commands work.
    @Test func sourcedEucarcWorks() throws {
        let moto = try MotoEndpoint.shared
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixture = Golden.directory.deletingLastPathComponent().appendingPathComponent("eucarc")
        // moto serves every service at its root, not under Eucalyptus' /services/... paths,
        // so the URLs are pointed at it; everything else in the script is kept as it is.
        let eucarc = try String(contentsOf: fixture.appendingPathComponent("eucarc"), encoding: .utf8)
            .replacingOccurrences(of: "http://127.0.0.1:8773/services/compute", with: moto.endpoint + "/")
            .replacingOccurrences(of: "http://127.0.0.1:8773/services/objectstorage", with: moto.endpoint + "/")
            .replacingOccurrences(of: "AKIEXAMPLE0000000001", with: moto.accessKeyId)
            .replacingOccurrences(of: "examplesecretkey0000000000000000000000001", with: moto.secretAccessKey)
        try eucarc.write(to: directory.appendingPathComponent("eucarc"), atomically: true, encoding: .utf8)
        let iamrc = try String(contentsOf: fixture.appendingPathComponent("iamrc"), encoding: .utf8)
            .replacingOccurrences(of: "AKIEXAMPLE0000000001", with: moto.accessKeyId)
            .replacingOccurrences(of: "examplesecretkey0000000000000000000000001", with: moto.secretAccessKey)
        try iamrc.write(to: directory.appendingPathComponent("iamrc"), atomically: true, encoding: .utf8)

        let bin = try #require(EucaBinary.directoryPath)
        let script = """
        cd / && source '\(directory.path)/eucarc' && \
        euca-describe-availability-zones us-east-1a && \
        euca-generate-environment-config --simple
        """
        let result = runHermetic(["/bin/bash", "-c", script], env: ["PATH": bin + ":/usr/bin:/bin"])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout.hasPrefix("AVAILABILITYZONE\tus-east-1a\tavailable\t\n"))
        // EUCA_KEY_DIR came from BASH_SOURCE, and ${VAR} expansion worked.
        #expect(result.stdout.contains("EC2_CERT=\(directory.resolvingSymlinksInPath().path)/euca2-admin-1a2b3c4d-cert.pem\n")
                || result.stdout.contains("EC2_CERT=\(directory.path)/euca2-admin-1a2b3c4d-cert.pem\n"))
        #expect(result.stdout.contains("EC2_USER_ID=123456789012\n"))
        // Every service's URL from the eucarc, EUARE_URL as IAM's, and the signing region
        // (none configured) is the default.
        for line in ["AWS_IAM_URL=http://127.0.0.1:8773/services/Euare", "TOKEN_URL=http://127.0.0.1:8773/services/Tokens",
                     "AWS_AUTO_SCALING_URL=http://127.0.0.1:8773/services/AutoScaling",
                     "AWS_CLOUDFORMATION_URL=http://127.0.0.1:8773/services/CloudFormation",
                     "AWS_CLOUDWATCH_URL=http://127.0.0.1:8773/services/CloudWatch",
                     "AWS_ELB_URL=http://127.0.0.1:8773/services/LoadBalancing", "S3_URL=\(moto.endpoint)/"] {
            #expect(result.stdout.contains(line + "\n"), "\(line)")
        }
        // bash collapses the unquoted double space of the echo line.
        #expect(result.stderr.contains("WARN: Load Balancing service URL is not configured."))
    }

    /// euca2ools ini files: [region] and [user] sections selected with --region USER@REGION.
    /// (The region is named us-east-1 because moto rejects signing regions it does not know.)
    @Test func euca2oolsConfigFiles() throws {
        let moto = try MotoEndpoint.shared
        let home = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".euca"), withIntermediateDirectories: true)
        let ini = """
        [global]
        default-region = us-east-1

        [region us-east-1]
        ec2-url = \(moto.endpoint)/
        user = nobody

        [user nobody]
        key-id = AKIDNOBODY
        secret-key = wrong

        [user admin]
        key-id = \(moto.accessKeyId)
        secret-key = \(moto.secretAccessKey)
        """
        try ini.write(to: home.appendingPathComponent(".euca/lab.ini"), atomically: true, encoding: .utf8)
        let env = ["HOME": home.path]
        let asAdmin = euca("describe-availability-zones", ["--region", "admin@us-east-1", "us-east-1a"], env: env)
        #expect(asAdmin.succeeded, "\(asAdmin)")
        let asDefault = euca("describe-availability-zones", ["us-east-1a"], env: env)
        #expect(asDefault.status == 1)
        #expect(asDefault.stderr.contains("(AuthFailure)"))
        let debug = euca("describe-availability-zones", ["--region", "admin@us-east-1", "--debug", "us-east-1a"], env: env)
        #expect(debug.stderr.contains("debug: ec2 endpoint = \(moto.endpoint)/ (from \(home.path)/.euca/lab.ini [region us-east-1])"))
        #expect(debug.stderr.contains("access key id = \(moto.accessKeyId), secret key = <redacted> (from \(home.path)/.euca/lab.ini [user admin])"))
        let unknownUser = euca("describe-availability-zones", ["--region", "bob@us-east-1"], env: env)
        #expect(unknownUser.status == 1)
        #expect(unknownUser.stderr == "euca-describe-availability-zones: error: --region bob@us-east-1: no [user bob] section in the euca2ools configuration files\n")
    }

    @Test func awsProfiles() throws {
        let moto = try MotoEndpoint.shared
        let home = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try "[ops]\naws_access_key_id = \(moto.accessKeyId)\naws_secret_access_key = \(moto.secretAccessKey)\n"
            .write(to: home.appendingPathComponent(".aws/credentials"), atomically: true, encoding: .utf8)
        let result = euca("describe-availability-zones", ["--profile", "ops", "us-east-1a"],
                          env: ["HOME": home.path, "EC2_URL": moto.endpoint])
        #expect(result.succeeded, "\(result)")
    }

    @Test func debugNeverShowsSecrets() throws {
        let moto = try MotoEndpoint.shared
        var env = endpointEnv(moto)
        env["AWS_SESSION_TOKEN"] = "session-token-that-must-not-appear"
        let result = euca("describe-regions", ["--debug", "us-east-1"], env: env)
        for secret in [moto.secretAccessKey, "session-token-that-must-not-appear"] {
            #expect(!result.stderr.contains(secret))
            #expect(!result.stdout.contains(secret))
        }
        #expect(result.stderr.contains("Signature=<redacted>"))
        #expect(result.stderr.contains("debug: region = us-east-1 (from environment AWS_DEFAULT_REGION)"))
    }

    @Test func generateEnvironmentConfigRoundTrips() throws {
        let moto = try MotoEndpoint.shared
        let sh = euca("generate-environment-config", env: endpointEnv(moto))
        #expect(sh.succeeded)
        #expect(sh.stdout.contains("EC2_URL=\(moto.endpoint); export EC2_URL;\n"))
        #expect(sh.stdout.contains("# EC2_CERT is not set\n"))
        // eval the output in a shell with nothing else set, and run a command with it.
        let bin = try #require(EucaBinary.directoryPath)
        let evaluated = runHermetic(["/bin/sh", "-c", "eval \"$(cat)\" && euca-describe-availability-zones us-east-1a"],
                                    env: ["PATH": bin + ":/usr/bin:/bin"], stdin: Data(sh.stdout.utf8))
        #expect(evaluated.succeeded, "\(evaluated)")
        let csh = euca("generate-environment-config", ["--csh"], env: endpointEnv(moto))
        #expect(csh.stdout.contains("setenv EC2_URL \(moto.endpoint);\n"))
        let both = euca("generate-environment-config", ["--csh", "--simple"], env: endpointEnv(moto))
        #expect(both.status == 2)
        #expect(both.stderr.hasSuffix("error: --csh and --simple cannot be used together\n"))
    }

    @Test func sigV2AgainstAnEndpointWithoutSignatureChecking() throws {
        let moto = try MotoEndpoint.start(auth: false)
        defer { moto.stop() }
        let result = euca("describe-availability-zones", ["--signature-version", "2", "us-east-1a"], env: endpointEnv(moto))
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout == "AVAILABILITYZONE\tus-east-1a\tavailable\t\n")
    }

    func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(fd, raw, length) == 0, getsockname(fd, raw, &length) == 0 else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
