import Foundation
import Testing

/// End-to-end tests of the first commands (issue 2) against moto with signature checking on.
@Suite struct CoreCommandsTests {
    @Test func versionAndHelp() {
        let version = euca("version")
        #expect(version.succeeded)
        #expect(version.stdout.hasPrefix("euca2ools-swift "))
        let help = euca("describe-regions", ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("usage: euca-describe-regions"))
        #expect(help.stdout.contains("-I KEY_ID, --access-key-id KEY_ID"))
        #expect(help.stderr.isEmpty)
        let overview = euca("version", ["--version"])
        #expect(overview.stdout == version.stdout)
    }

    @Test func badOptionIsAUsageErrorWithTwoLines() {
        let result = euca("version", ["--bogus"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "usage: euca-version [common options]\neuca-version: error: unrecognized option --bogus\n")
    }

    @Test func availabilityZonesMatchEuca2ools() throws {
        let moto = try MotoEndpoint.shared
        let all = euca("describe-availability-zones", env: endpointEnv(moto))
        #expect(all.succeeded, "\(all)")
        #expect(all.stdout == Golden.text("euca-describe-availability-zones"))
        let one = euca("describe-availability-zones", ["us-east-1b"], env: endpointEnv(moto))
        #expect(one.stdout == "AVAILABILITYZONE\tus-east-1b\tavailable\t\n")
        let filtered = euca("describe-availability-zones", ["--filter", "zone-name=us-east-1c"], env: endpointEnv(moto))
        #expect(filtered.stdout == "AVAILABILITYZONE\tus-east-1c\tavailable\t\n")
        let nil_ = euca("describe-availability-zones", ["us-east-1b", "--show-empty-fields"], env: endpointEnv(moto))
        #expect(nil_.stdout == "AVAILABILITYZONE\tus-east-1b\tavailable\t(nil)\n")
    }

    @Test func availabilityZonesRejectAnUnknownFilter() throws {
        let result = euca("describe-availability-zones", ["--filter", "colour=red"], env: endpointEnv(try MotoEndpoint.shared))
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix("euca-describe-availability-zones: error: --filter: unknown filter \"colour\"; this command accepts message, region-name, state, zone-id, zone-name and tag:KEY\n"))
    }

    @Test func regions() throws {
        let moto = try MotoEndpoint.shared
        let result = euca("describe-regions", ["us-east-1", "eu-west-1"], env: endpointEnv(moto))
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout == "REGION\tus-east-1\tec2.us-east-1.amazonaws.com\nREGION\teu-west-1\tec2.eu-west-1.amazonaws.com\n")
        let bad = euca("describe-regions", ["--filter", "region-name"], env: endpointEnv(moto))
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--filter: expected NAME=VALUE, got \"region-name\""))
    }

    @Test func keyPairLifecycle() throws {
        let moto = try MotoEndpoint.shared
        let env = endpointEnv(moto)
        let name = "e2e-\(UUID().uuidString.prefix(8))"
        let created = euca("create-keypair", [name], env: env)
        #expect(created.succeeded, "\(created)")
        #expect(Golden.normalize(created.stdout) == Golden.normalize(Golden.text("euca-create-keypair")).replacingOccurrences(of: "mykey", with: name))

        let described = euca("describe-keypairs", [name], env: env)
        #expect(described.stdout == created.stdout.split(separator: "\n")[0] + "\n")

        let deleted = euca("delete-keypair", [name], env: env)
        #expect(deleted.stdout == "KEYPAIR\t\(name)\n")
        let gone = euca("describe-keypairs", [name], env: env)
        #expect(gone.status == 1)
        #expect(gone.stdout.isEmpty)
        #expect(gone.stderr.hasPrefix("euca-describe-keypairs: error (InvalidKeyPair.NotFound): "))
        #expect(gone.stderr.split(separator: "\n").count == 1)
    }

    @Test func createKeyPairSavesThePrivateKeyWithMode0600() throws {
        let moto = try MotoEndpoint.shared
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = "e2e-\(UUID().uuidString.prefix(8))"
        let file = directory.appendingPathComponent("\(name).pem").path
        let created = euca("create-keypair", ["-f", file, name], env: endpointEnv(moto))
        #expect(created.succeeded, "\(created)")
        #expect(created.stdout.hasPrefix("KEYPAIR\t\(name)\t"))
        #expect(created.stdout.split(separator: "\n").count == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // The saved file is a usable private key. (moto's fingerprints for created keys are
        // not AWS's SHA-1 of the PKCS#8 key, so they are not compared with ours here;
        // fingerprintKeyMatchesOpenSSL checks that definition.)
        #expect(euca("fingerprint-key", [file]).succeeded)

        // An existing file is refused before anything is created.
        let again = euca("create-keypair", ["-f", file, name + "-2"], env: endpointEnv(moto))
        #expect(again.status == 2)
        #expect(again.stderr.contains("-f/--filename: \"\(file)\" already exists"))
        #expect(euca("describe-keypairs", [name + "-2"], env: endpointEnv(moto)).status == 1)
        _ = euca("delete-keypair", [name], env: endpointEnv(moto))
    }

    @Test func importKeyPairReportsTheEC2Fingerprint() throws {
        let moto = try MotoEndpoint.shared
        let name = "e2e-imported-\(UUID().uuidString.prefix(8))"
        let imported = euca("import-keypair", ["-f", TestKeys.path("import-key.pub"), name], env: endpointEnv(moto))
        #expect(imported.succeeded, "\(imported)")
        // The same public key euca2ools imported in the golden run: same MD5 fingerprint.
        let goldenLine = Golden.text("euca-describe-keypairs").split(separator: "\n").first { $0.hasPrefix("KEYPAIR\timportedkey\t") }!
        #expect(imported.stdout == goldenLine.replacingOccurrences(of: "importedkey", with: name) + "\n")
        _ = euca("delete-keypair", [name], env: endpointEnv(moto))
    }

    @Test func importKeyPairBadInput() throws {
        let env = endpointEnv(try MotoEndpoint.shared)
        let missing = euca("import-keypair", ["k"], env: env)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasSuffix("error: the following arguments are required: -f/--public-key-file\n"))
        let noFile = euca("import-keypair", ["-f", "/nonexistent.pub", "k"], env: env)
        #expect(noFile.status == 2)
        #expect(noFile.stderr.hasSuffix("error: -f/--public-key-file: file \"/nonexistent.pub\" does not exist\n"))
    }

    @Test func fingerprintKeyMatchesOpenSSL() throws {
        let key = TestKeys.path("user-key.pem")
        let result = euca("fingerprint-key", [key])
        #expect(result.succeeded, "\(result)")
        let openssl = runHermetic(["/bin/sh", "-c", "openssl pkcs8 -topk8 -nocrypt -in '\(key)' -outform DER | sha1sum"])
        let hex = String(openssl.stdout.prefix(40))
        let expected = stride(from: 0, to: 40, by: 2).map { offset -> String in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return String(hex[start..<hex.index(start, offsetBy: 2)])
        }.joined(separator: ":")
        #expect(result.stdout == expected + "\n")
        // The PKCS#8 key gives the same kind of answer.
        #expect(euca("fingerprint-key", [TestKeys.path("cloud-key.pem")]).succeeded)
    }

    @Test func fingerprintKeyBadInput() {
        let notAKey = euca("fingerprint-key", [TestKeys.path("import-key.pub")])
        #expect(notAKey.status == 1)
        #expect(notAKey.stderr.hasPrefix("euca-fingerprint-key: error: "))
        #expect(notAKey.stderr.split(separator: "\n").count == 1)
        let missing = euca("fingerprint-key", ["/nonexistent.pem"])
        #expect(missing.status == 2)
    }

    /// One bad command line per core command: the usage line, then one error line; exit 2.
    @Test(arguments: [
        ("create-keypair", [], "the following arguments are required: KEYPAIR"),
        ("delete-keypair", [], "the following arguments are required: KEYPAIR"),
        ("describe-keypairs", ["--filter", "colour=red"], "--filter: unknown filter \"colour\"; this command accepts fingerprint, key-name, key-pair-id and tag:KEY"),
        ("create-keypair", ["-t", "dsa", "k"], "-t/--type: expected one of rsa, ed25519, got \"dsa\""),
        ("describe-regions", ["--max-attempts", "0"], "--max-attempts: expected an integer from 1 to 20, got \"0\""),
        ("describe-availability-zones", ["--read-timeout", "soon"], "--read-timeout: expected a number of seconds greater than 0, got \"soon\""),
        ("generate-environment-config", ["--shell", "fish"], "unrecognized option --shell"),
    ] as [(String, [String], String)])
    func usageErrors(command: String, arguments: [String], message: String) throws {
        let result = euca(command, arguments, env: endpointEnv(try MotoEndpoint.shared))
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.first?.hasPrefix("usage: euca-\(command) ") == true, "\(result)")
        #expect(lines.last == "euca-\(command): error: \(message)"[...], "\(result)")
    }
}
