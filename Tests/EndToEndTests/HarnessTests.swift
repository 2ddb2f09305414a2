import Foundation
import Testing

/// Checks the test harness itself: the moto endpoint really verifies signatures, a
/// private endpoint without auth behaves as documented, and the subprocess runner is
/// hermetic and robust. If these fail, the euca end-to-end tests prove nothing.
///
/// moto is queried with boto3 (a client known to sign correctly) through `python3 -c`,
/// so these checks don't depend on euca's own signing code.
@Suite("End-to-end harness")
struct HarnessTests {
    @Test("shared moto endpoint starts and reports its credentials")
    func sharedEndpointStarts() throws {
        let moto = try MotoEndpoint.shared
        #expect(moto.endpoint.hasPrefix("http://127.0.0.1:"))
        #expect(moto.accessKeyId.hasPrefix("AKIA"))
        #expect(!moto.secretAccessKey.isEmpty)
        #expect(moto.accountId.count == 12 && moto.accountId.allSatisfy(\.isNumber))
        #expect(moto.region == "us-east-1")
        #expect(moto.authEnabled)
        #expect(moto.isRunning)
    }

    @Test("shared endpoint accepts the right key and rejects a wrong secret or an unknown key")
    func sharedEndpointChecksSignatures() throws {
        let moto = try MotoEndpoint.shared
        let outcomes = try botoOutcomes(moto)
        #expect(outcomes["ec2_right"] == "ok")
        #expect(outcomes["ec2_wrong_secret"] == "AuthFailure")
        #expect(outcomes["ec2_unknown_key"] == "AuthFailure")
        #expect(outcomes["s3_right"] == "ok")
        #expect(outcomes["s3_wrong_secret"] == "SignatureDoesNotMatch")
        // moto cannot check SigV2; moto-endpoint.py refuses it with its own error code.
        #expect(outcomes["ec2_sigv2_regions"] == "MotoEndpointSigV2Unsupported")
    }

    @Test("private endpoint without auth: anything is accepted, SigV2 reaches EC2, stop() ends it")
    func privateEndpointWithoutAuth() throws {
        let eucarc = FileManager.default.temporaryDirectory
            .appendingPathComponent("euca-e2e-eucarc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: eucarc) }

        let moto = try MotoEndpoint.start(auth: false, eucarc: eucarc.path)
        defer { moto.stop() }
        #expect(!moto.authEnabled)

        let outcomes = try botoOutcomes(moto)
        #expect(outcomes["ec2_wrong_secret"] == "ok")
        #expect(outcomes["s3_wrong_secret"] == "ok")
        #expect(outcomes["ec2_sigv2_regions"] == "ok")

        let attributes = try FileManager.default.attributesOfItem(atPath: eucarc.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOf: eucarc, encoding: .utf8)
        #expect(text.contains("export EC2_URL=\(moto.endpoint)\n"))
        #expect(text.contains("export S3_URL=\(moto.endpoint)\n"))
        #expect(text.contains("export EC2_ACCESS_KEY=\(moto.accessKeyId)\n"))
        #expect(text.contains("export EC2_ACCOUNT_NUMBER=\(moto.accountId)\n"))
        #expect(text.contains("export AWS_DEFAULT_REGION=us-east-1\n"))

        let pid = moto.pid
        moto.stop()
        #expect(!moto.isRunning)
        #expect(kill(pid, 0) == -1)  // gone (and reaped), not merely asked to stop
    }

    @Test("the euca binary is found and runs")
    func eucaBinaryRuns() throws {
        let directory = try EucaBinary.directory.get()
        #expect(FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("euca").path))
        let result = euca("euca", ["--help"], timeout: 30)
        #expect(!result.timedOut && result.terminatingSignal == nil, "\(result)")
    }

    @Test("the child's environment is hermetic: PATH, a fresh empty HOME, then the caller's")
    func runnerEnvironmentIsHermetic() throws {
        let script = #"env; echo "cwd=$(pwd)"; echo "home-entries=$(ls -A "$HOME" | wc -l)""#
        let first = runHermetic(["/bin/sh", "-c", script], env: ["EXTRA": "1"])
        let second = runHermetic(["/bin/sh", "-c", script])
        #expect(first.succeeded, "\(first)")

        let variables = Dictionary(
            first.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let equals = line.firstIndex(of: "=") else { return nil }
                return (String(line[..<equals]), String(line[line.index(after: equals)...]))
            },
            uniquingKeysWith: { $1 })
        // sh itself may add PWD, SHLVL and "_"; nothing may come from the test process.
        let unexpected = Set(variables.keys).subtracting(
            ["PATH", "HOME", "EXTRA", "PWD", "OLDPWD", "SHLVL", "_", "cwd", "home-entries"])
        #expect(unexpected.isEmpty, "leaked into the child: \(unexpected.sorted())")
        #expect(variables["EXTRA"] == "1")
        #expect(variables["home-entries"]?.trimmingCharacters(in: .whitespaces) == "0")
        let home = try #require(variables["HOME"])
        #expect(home != ProcessInfo.processInfo.environment["HOME"])
        #expect(variables["cwd"] == URL(fileURLWithPath: home).resolvingSymlinksInPath().path
            || variables["cwd"] == home)
        #expect(!second.stdout.contains("HOME=\(home)\n"), "each call gets its own HOME")
        #expect(!FileManager.default.fileExists(atPath: home), "the temporary HOME is removed")
    }

    @Test("large stdout and stderr at once don't deadlock, and stdin is delivered")
    func runnerHandlesLargeOutputAndStdin() {
        // 1 MiB on each stream, far beyond a pipe buffer, written interleaved.
        let script = "head -c 1048576 /dev/zero | tr '\\0' a; head -c 1048576 /dev/zero | tr '\\0' b >&2; cat"
        let input = Data("from stdin\n".utf8)
        let result = runHermetic(["/bin/sh", "-c", script], stdin: input, timeout: 30)
        #expect(result.succeeded, "exit \(result.status), timed out: \(result.timedOut)")
        #expect(result.stdout.count == 1_048_576 + input.count)
        #expect(result.stdout.hasSuffix("from stdin\n"))
        #expect(result.stderr.count == 1_048_576)
    }

    @Test("a child that ignores its input and exits does not kill the test process (SIGPIPE)")
    func runnerSurvivesChildIgnoringStdin() {
        let result = runHermetic(["/bin/sh", "-c", "exit 3"], stdin: Data(count: 4 * 1_048_576))
        #expect(result.status == 3)
    }

    @Test("a child that runs too long is killed and reported")
    func runnerTimesOut() {
        let result = runHermetic(["/bin/sh", "-c", "echo started; sleep 30"], timeout: 1)
        #expect(result.timedOut)
        #expect(!result.succeeded)
        #expect(result.stdout == "started\n")
    }
}

// MARK: - boto3 probe

/// Runs a few requests against `moto` with boto3 and returns, per probe, "ok" or the
/// AWS error code.
private func botoOutcomes(_ moto: MotoEndpoint) throws -> [String: String] {
    let probe = #"""
        import json, sys
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        endpoint, key, secret, region = sys.argv[1:5]

        def outcome(service, call, key=key, secret=secret, **config):
            client = boto3.client(
                service, endpoint_url=endpoint, region_name=region,
                aws_access_key_id=key, aws_secret_access_key=secret,
                config=Config(retries={"max_attempts": 1}, **config))
            try:
                result = call(client)
            except ClientError as e:
                return e.response.get("Error", {}).get("Code", "?")
            return "ok" if result is not False else "empty"

        s3 = {"s3": {"addressing_style": "path"}}
        print(json.dumps({
            "ec2_right": outcome("ec2", lambda c: c.describe_regions()),
            "ec2_wrong_secret": outcome("ec2", lambda c: c.describe_regions(), secret="x" + secret),
            "ec2_unknown_key": outcome("ec2", lambda c: c.describe_regions(), key="AKIAUNKNOWNUNKNOWN00"),
            "s3_right": outcome("s3", lambda c: c.list_buckets(), **s3),
            "s3_wrong_secret": outcome("s3", lambda c: c.list_buckets(), secret="x" + secret, **s3),
            "ec2_sigv2_regions": outcome(
                "ec2", lambda c: bool(c.describe_regions().get("Regions")), signature_version="v2"),
        }))
        """#
    let parent = ProcessInfo.processInfo.environment
    let pythonName = parent["EUCA_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
    let python = try #require(findExecutable(pythonName, path: parent["PATH"]), "\(pythonName) not on PATH")
    // Python needs its own environment (virtualenv, user site-packages under HOME), but
    // nothing that changes where or how boto3 connects.
    var environment = parent.filter { name, _ in
        let upper = name.uppercased()
        return !upper.hasPrefix("AWS_") && !["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"].contains(upper)
    }
    environment["AWS_CONFIG_FILE"] = "/dev/null"
    environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
    environment["AWS_EC2_METADATA_DISABLED"] = "true"

    let result = runChild(
        [python.path, "-c", probe, moto.endpoint, moto.accessKeyId, moto.secretAccessKey, moto.region],
        environment: environment, stdin: nil,
        directory: URL(fileURLWithPath: NSTemporaryDirectory()), timeout: 60)
    try #require(result.succeeded, "boto3 probe failed:\n\(result)\n--- moto log ---\n\(moto.recentLog)")
    let line = try #require(result.stdout.split(separator: "\n").last.map(String.init))
    return try JSONDecoder().decode([String: String].self, from: Data(line.utf8))
}
