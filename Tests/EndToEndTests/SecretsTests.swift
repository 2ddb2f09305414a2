import EucaCore
import Foundation
import Testing

/// Secrets never reach stdout or stderr, even with --debug: the secret key, the session token,
/// the SigV4 signing key derived from the secret (hex or base64), and private-key material.
/// Files that hold secrets are created 0600, temporary directories 0700.
@Suite struct SecretsTests {
    /// Temporary credentials (key, secret, session token) from STS AssumeRole on `moto`, so that
    /// the commands really sign with a session token (moto rejects a token with an IAM key).
    static func temporaryCredentials(_ moto: MotoEndpoint) throws -> Credentials {
        let role = "secrets-test-\(UUID().uuidString.prefix(8))"
        let script = """
            import boto3, json
            kw = dict(endpoint_url='\(moto.endpoint)', region_name='\(moto.region)',
                      aws_access_key_id='\(moto.accessKeyId)', aws_secret_access_key='\(moto.secretAccessKey)')
            iam, sts = boto3.client('iam', **kw), boto3.client('sts', **kw)
            trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
            allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            arn = iam.create_role(RoleName='\(role)', AssumeRolePolicyDocument=json.dumps(trust))['Role']['Arn']
            iam.put_role_policy(RoleName='\(role)', PolicyName='all', PolicyDocument=json.dumps(allow))
            c = sts.assume_role(RoleArn=arn, RoleSessionName='secrets')['Credentials']
            print(c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken'])
            """
        let words = try ResourceTestSetup.python(moto, script).split(separator: " ").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard words.count == 3 else { throw ResourceTestSetup.Failure(description: "AssumeRole printed \(words)") }
        return Credentials(accessKeyId: words[0], secretAccessKey: words[1], sessionToken: words[2])
    }

    /// What must not appear, in every spelling a careless formatter could produce.
    static func forbidden(_ moto: MotoEndpoint, _ temporary: Credentials) throws -> [String] {
        var secrets = [moto.secretAccessKey, temporary.secretAccessKey, temporary.sessionToken!]
        let signer = SigV4Signer(credentials: temporary, region: moto.region, service: "ec2")
        for offset in [-86_400.0, 0, 86_400] {
            let key = signer.signingKey(date: Date().addingTimeInterval(offset))
            secrets += [key.hexString, Data(key).base64EncodedString()]
        }
        for s3 in [SigV4Signer(credentials: signer.credentials, region: moto.region, service: "s3")] {
            let key = s3.signingKey(date: Date())
            secrets += [key.hexString, Data(key).base64EncodedString()]
        }
        // Private key material: the base64 lines of the test keys used below.
        for name in ["user-key.pem", "cloud-key.pem", "import-key"] {
            let text = try String(contentsOfFile: TestKeys.path(name), encoding: .utf8)
            secrets += text.split(separator: "\n").filter { !$0.hasPrefix("-----") && $0.count > 40 }.map(String.init)
        }
        return secrets
    }

    @Test func debugOutputOfEveryKindOfCommandHoldsNoSecret() throws {
        let moto = try MotoEndpoint.shared
        let temporary = try Self.temporaryCredentials(moto)
        var env = endpointEnv(moto)
        env["AWS_ACCESS_KEY_ID"] = temporary.accessKeyId
        env["AWS_SECRET_ACCESS_KEY"] = temporary.secretAccessKey
        env["AWS_SESSION_TOKEN"] = temporary.sessionToken
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let image = scratch.appendingPathComponent("disk.img").path
        try Data(repeating: 7, count: 300_000).write(to: URL(fileURLWithPath: image))
        let bundleEnv = env.merging([
            "EC2_CERT": BundleCommandsTests.key("user-cert.pem"), "EC2_PRIVATE_KEY": BundleCommandsTests.key("user-key.pem"),
            "EUCALYPTUS_CERT": BundleCommandsTests.key("cloud-cert.pem"), "EC2_USER_ID": "123456789012",
        ]) { $1 }

        let runs: [(String, [String], [String: String])] = [
            ("describe-regions", ["us-east-1"], env),
            ("describe-availability-zones", [], env),
            ("create-keypair", ["-f", scratch.appendingPathComponent("k.pem").path, "secret-\(suffix)"], env),
            ("describe-keypairs", ["secret-\(suffix)"], env),
            ("import-keypair", ["-f", TestKeys.path("import-key.pub"), "imported-\(suffix)"], env),
            ("delete-keypair", ["secret-\(suffix)"], env),
            ("create-group", ["-d", "secrets test", "grp-\(suffix)"], env),
            ("authorize", ["-P", "tcp", "-p", "22", "-s", "10.0.0.0/8", "grp-\(suffix)"], env),
            ("run-instances", ["-t", "m1.small", "-d", "password=hunter2-\(suffix)", "ami-03cf127a"], env),
            ("describe-instances", [], env),
            ("create-volume", ["-s", "1", "-z", "us-east-1a"], env),
            ("describe-volumes", [], env),
            ("allocate-address", [], env),
            ("describe-addresses", [], env),
            ("describe-images", ["-o", "self"], env),
            ("fingerprint-key", [TestKeys.path("user-key.pem")], env),
            ("bundle-image", ["-i", image, "-d", scratch.path], bundleEnv),
            ("unbundle", ["-m", scratch.appendingPathComponent("disk.img.manifest.xml").path, "-d", scratch.appendingPathComponent("out").path], bundleEnv),
            ("describe-keypairs", ["no-such-\(suffix)"], env),        // a service error
            ("describe-regions", ["--filter", "bogus=1"], env),       // a usage error
        ]
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("out"), withIntermediateDirectories: true)
        let forbidden = try Self.forbidden(moto, temporary)
        let expectedToFail: Set<String> = ["no-such-\(suffix)", "bogus=1"]
        for (command, args, environment) in runs {
            let result = euca(command, args + ["--debug"], env: environment)
            if args.allSatisfy({ !expectedToFail.contains($0) }) {
                #expect(result.succeeded, "\(result)")
            }
            for secret in forbidden {
                #expect(!result.stdout.contains(secret), "\(command) printed a secret on stdout")
                #expect(!result.stderr.contains(secret), "\(command) printed a secret on stderr")
            }
            // User data is sensitive too: the debug log shows it only as <redacted>.
            #expect(!result.stderr.contains("hunter2"), "\(command) showed user data")
        }
        // The create-keypair file is the one place the private key goes, with mode 0600.
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.appendingPathComponent("k.pem").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        _ = euca("delete-keypair", ["imported-\(suffix)"], env: env)
    }

    @Test func bundleDirectoriesItCreatesAreOwnerOnly() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let image = scratch.appendingPathComponent("disk.img").path
        try Data(repeating: 1, count: 1000).write(to: URL(fileURLWithPath: image))
        let result = euca("bundle-image", ["-i", image], env: BundleCommandsTests.eucarc.merging(["TMPDIR": scratch.path]) { $1 })
        #expect(result.succeeded, "\(result)")
        let created = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix("bundle-") }
        #expect(created.count == 1)
        for directory in created {
            let attributes = try FileManager.default.attributesOfItem(atPath: scratch.appendingPathComponent(directory).path)
            #expect((attributes[.posixPermissions] as? Int) == 0o700, "\(directory)")
        }
    }

    /// Nothing in the program runs other programs: no user data can reach a shell.
    @Test func noSubprocesses() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(atPath: sources.path)!
        for case let file as String in enumerator where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for call in ["Process()", "posix_spawn", "system(", "popen(", "execv"] {
                #expect(!text.contains(call), "\(file) uses \(call)")
            }
        }
    }
}
