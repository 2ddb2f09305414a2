import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Bundle upload and download when the cloud fails (issue 5), through the fault proxy in front
/// of moto (signature checking on): interrupted uploads fail with one line and no manifest, then
/// resume sending only what is missing; interrupted downloads are retried or fail without
/// leaving a damaged file; transient faults are ridden out, permanent ones end after exactly
/// their attempts; a tampered ETag is caught; a region redirect is re-signed, never sent to
/// another host; and both retry modes ride out throttling. Durations and rates are not
/// asserted here: Scripts/reliability-report.py measures them for docs/reliability.md.
@Suite("Bundle transfers when the cloud fails")
struct BundleReliabilityTests {
    typealias Bundles = BundleCommandsTests

    /// A bundle on disk and a bucket name for it.
    struct Stage {
        let dir: URL
        let image: String
        let manifest: String
        let parts: [String]
        let bucket: String

        var manifestName: String { (manifest as NSString).lastPathComponent }

        func remove() { try? FileManager.default.removeItem(at: dir) }
    }

    static func stage(_ purpose: String, size: Int, partSize: String) throws -> Stage {
        let dir = try Bundles.scratch()
        let (image, manifest) = try BundleTransferCommandsTests.bundle(in: dir, size: size, partSize: partSize)
        return Stage(dir: dir, image: image, manifest: manifest,
                     parts: try BundleTransferCommandsTests.partNames(manifest),
                     bucket: BundleTransferCommandsTests.uniqueBucket(purpose))
    }

    /// The moto endpoint for EC2, `s3` (the proxy, usually) for S3, and bundling credentials.
    static func environment(_ moto: MotoEndpoint, s3: String, extra: [String: String] = [:]) -> [String: String] {
        BundleTransferCommandsTests.environment(moto).merging(["S3_URL": s3]) { $1 }.merging(extra) { $1 }
    }

    static func stored(_ moto: MotoEndpoint, _ bucket: String) async throws -> Set<String> {
        Set(try await BundleTransferCommandsTests.keys(moto, bucket))
    }

    /// One line on stderr, `PROG: error…`, exit 1.
    static func expectOneLineFailure(_ result: RunResult, _ command: String, containing text: String,
                                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("euca-\(command): error"), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line: \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
    }

    /// download-and-unbundle straight from moto gives back the image, byte for byte.
    static func expectRoundTrip(_ moto: MotoEndpoint, _ stage: Stage,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = stage.dir.appendingPathComponent("roundtrip-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let result = euca("download-and-unbundle", ["-b", stage.bucket, "-p", "disk.img", "-d", out],
                          env: environment(moto, s3: moto.endpoint))
        #expect(result.succeeded, "\(result)", sourceLocation: sourceLocation)
        #expect(Bundles.sha1(out + "/disk.img") == Bundles.sha1(stage.image), sourceLocation: sourceLocation)
    }

    static func partPath(_ part: String) -> String { "\\.part\\.\(part.split(separator: ".").last!)$" }

    // MARK: - Interrupted uploads

    enum Interruption: String, CaseIterable, CustomTestStringConvertible {
        /// The request is read, the connection reset: nothing stored.
        case reset
        /// The part is stored, but the response never arrives.
        case forwardThenDrop
        var testDescription: String { rawValue }
        var fault: Fault { self == .reset ? .reset : .forwardThenDrop }
    }

    @Test("an upload that keeps failing on one part: one line, exit 1, no manifest; the re-run sends only what is missing",
          arguments: Interruption.allCases)
    func uploadFailsCleanlyThenResumes(_ interruption: Interruption) async throws {
        let moto = try MotoEndpoint.shared
        let stage = try Self.stage("cut-\(interruption.rawValue.lowercased())", size: 1_500_000, partSize: "128K")
        defer { stage.remove() }
        let victim = stage.parts[4]
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .path(Self.partPath(victim), method: "PUT"), fault: interruption.fault),
        ])
        defer { proxy.stop() }
        let env = Self.environment(moto, s3: proxy.endpoint)
        let failed = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest], env: env)
        Self.expectOneLineFailure(failed, "upload-bundle", containing: "(gave up after 3 attempts)")
        let afterFailure = try await Self.stored(moto, stage.bucket)
        #expect(!afterFailure.contains(stage.manifestName), "no manifest after a failed upload")
        #expect(afterFailure.contains(victim) == (interruption == .forwardThenDrop))
        #expect(try proxy.requests().filter { $0.key == victim }.count == 3)

        try proxy.setSchedule([])
        try proxy.reset()
        let resumed = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest], env: env)
        #expect(resumed.succeeded && resumed.stdout == "Uploaded \(stage.bucket)/\(stage.manifestName)\n", "\(resumed)")
        let puts = try proxy.requests().filter { $0.method == "PUT" }.compactMap(\.key)
        let missing = Set(stage.parts).subtracting(afterFailure)
        #expect(Set(puts.dropLast()) == missing && puts.count == missing.count + 1, "\(puts) vs \(missing.sorted())")
        #expect(puts.last == stage.manifestName, "the manifest last")
        try Self.expectRoundTrip(moto, stage)
    }

    enum OneShot: String, CaseIterable, CustomTestStringConvertible {
        case reset, forwardThenDrop, resetMidBody
        var testDescription: String { rawValue }
        var fault: Fault {
            switch self {
            case .reset: return .reset
            case .forwardThenDrop: return .forwardThenDrop
            // A PUT's response has no body: the headers (Content-Length: 0) are the whole
            // response, so the part is stored and answered; the reset comes after.
            case .resetMidBody: return .resetMidBody(afterBytes: 0)
            }
        }
        var retried: Bool { self != .resetMidBody }
    }

    @Test("the 5th part PUT interrupted once: retried where needed, and the upload succeeds", arguments: OneShot.allCases)
    func uploadInterruptedOnce(_ interruption: OneShot) async throws {
        let moto = try MotoEndpoint.shared
        let stage = try Self.stage("once-\(interruption.rawValue.lowercased())", size: 900_000, partSize: "128K")
        defer { stage.remove() }
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: Match(method: "PUT", path: "\\.part\\.").nth(5), fault: interruption.fault),
        ])
        defer { proxy.stop() }
        // After reset_mid_body the pooled connection is dead though its response did not say
        // "Connection: close"; the next request on it must go again on a fresh connection,
        // whole. A request sent without its body would wait for the read timeout (5 s here)
        // and show up in the proxy's log as "incomplete".
        let result = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest, "--read-timeout", "5"],
                          env: Self.environment(moto, s3: proxy.endpoint))
        #expect(result.succeeded && result.stdout == "Uploaded \(stage.bucket)/\(stage.manifestName)\n", "\(result)")
        let all = try proxy.requests().filter { $0.method == "PUT" && $0.key != nil }
        let bodiless = all.filter { $0.fault == "incomplete" }
        let puts = all.filter { $0.fault != "incomplete" }
        #expect(bodiless.isEmpty, "no request went out without its body: \(bodiless)")
        #expect(puts.count == stage.parts.count + 1 + (interruption.retried ? 1 : 0), "\(puts)")
        #expect(puts.last?.key == stage.manifestName)
        try Self.expectRoundTrip(moto, stage)
    }

    @Test("an upload killed with SIGKILL at a random moment leaves no manifest; the re-run sends only the missing parts")
    func uploadKilledThenResumes() async throws {
        let moto = try MotoEndpoint.shared
        let stage = try Self.stage("kill", size: 1_300_000, partSize: "32K")
        defer { stage.remove() }
        // Slow parts, so that the kill lands mid-upload.
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .path("\\.part\\.", method: "PUT"), fault: .delay(seconds: 0.2)),
        ])
        defer { proxy.stop() }
        let env = Self.environment(moto, s3: proxy.endpoint)
        var generator = SystemRandomNumberGenerator()
        let killAfter = Int.random(in: 2...(stage.parts.count - 6), using: &generator)
        let upload = try BackgroundEuca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest], env: env)
        let deadline = Date().addingTimeInterval(30)
        while try proxy.requests().filter({ $0.method == "PUT" && $0.status != nil }).count < killAfter, Date() < deadline {
            usleep(10_000)
        }
        upload.kill()
        let status = upload.wait()
        #expect(status.signal == SIGKILL, "killed, not finished: \(status)")
        // Requests the proxy was delaying still reach moto; wait until it is done with them.
        while try proxy.requests().contains(where: { !$0.done }), Date() < deadline { usleep(20_000) }
        let afterKill = try await Self.stored(moto, stage.bucket)
        #expect(!afterKill.contains(stage.manifestName))
        #expect(afterKill.count >= killAfter && afterKill.count < stage.parts.count, "\(afterKill.count) of \(stage.parts.count)")

        try proxy.setSchedule([])
        try proxy.reset()
        let resumed = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest], env: env)
        #expect(resumed.succeeded, "\(resumed)")
        let puts = try proxy.requests().filter { $0.method == "PUT" }.compactMap(\.key)
        let missing = Set(stage.parts).subtracting(afterKill)
        #expect(Set(puts.dropLast()) == missing && puts.count == missing.count + 1 && puts.last == stage.manifestName,
                "\(puts) vs \(missing.sorted())")
        try Self.expectRoundTrip(moto, stage)
    }

    @Test("the S3 server killed mid-upload: exit 1, no manifest; once it is back the re-run sends only what it lacks")
    func serverKilledMidUploadThenResumes() async throws {
        let data = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try SeaweedFSEndpoint.start(directory: data.path)
        defer { first.stop() }
        let stage = try Self.stage("serverkill", size: 1_300_000, partSize: "32K")
        defer { stage.remove() }
        // Slow parts, so that the server dies mid-upload; the proxy keeps one address across
        // the restart.
        let proxy = try FaultProxy.start(upstream: first.endpoint, schedule: [
            .init(match: .path("\\.part\\.", method: "PUT"), fault: .delay(seconds: 0.2)),
        ])
        defer { proxy.stop() }
        let env = Bundles.eucarc.merging([
            "S3_URL": proxy.endpoint, "AWS_ACCESS_KEY_ID": first.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": first.secretAccessKey, "AWS_DEFAULT_REGION": first.region,
            "AWS_MAX_ATTEMPTS": "2",
        ]) { $1 }
        let upload = try BackgroundEuca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest], env: env)
        let deadline = Date().addingTimeInterval(60)
        while try proxy.requests().filter({ $0.method == "PUT" && $0.key != nil && $0.status != nil }).count < 5,
              Date() < deadline {
            usleep(10_000)
        }
        first.kill()
        let status = upload.wait()
        #expect(status.status == 1, "\(status): \(upload.stderr)")
        #expect(upload.stderr.hasPrefix("euca-upload-bundle: error") && upload.stderr.filter { $0 == "\n" }.count == 1,
                "\(upload.stderr)")

        let second = try SeaweedFSEndpoint.start(directory: data.path, s3Port: first.port)
        defer { second.stop() }
        let afterCrash = Set(try await BundleTransferCommandsTests.keys(second, stage.bucket))
        #expect(!afterCrash.contains(stage.manifestName), "no manifest after the server died")
        #expect(afterCrash.count >= 5 && afterCrash.count < stage.parts.count, "\(afterCrash.count) of \(stage.parts.count)")

        try proxy.setSchedule([])
        try proxy.reset()
        let resumed = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest], env: env)
        #expect(resumed.succeeded, "\(resumed)")
        let puts = try proxy.requests().filter { $0.method == "PUT" }.compactMap(\.key)
        let missing = Set(stage.parts).subtracting(afterCrash)
        #expect(Set(puts.dropLast()) == missing && puts.count == missing.count + 1 && puts.last == stage.manifestName,
                "\(puts) vs \(missing.sorted())")

        let out = stage.dir.appendingPathComponent("from-restarted-server").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let downloaded = euca("download-and-unbundle", ["-b", stage.bucket, "-p", "disk.img", "-d", out],
                              env: env.merging(["S3_URL": second.endpoint]) { $1 })
        #expect(downloaded.succeeded, "\(downloaded)")
        #expect(Bundles.sha1(out + "/disk.img") == Bundles.sha1(stage.image))
    }

    // MARK: - Transient and permanent faults on upload

    @Test("503 SlowDown once per part and a 500 on the manifest: the upload rides them out")
    func transientFaultsOnUpload() async throws {
        let moto = try MotoEndpoint.shared
        let stage = try Self.stage("transient", size: 900_000, partSize: "128K")
        defer { stage.remove() }
        var rules = stage.parts.map { part in
            FaultRule(match: .path(Self.partPath(part), method: "PUT"), times: 1,
                      fault: .error(status: 503, code: "SlowDown"))
        }
        rules.append(.init(match: .path("manifest\\.xml$", method: "PUT"), times: 1,
                           fault: .error(status: 500, code: "InternalError")))
        // And one part whose first response is cut off after it was stored.
        rules.insert(.init(match: Match(method: "PUT", path: "\\.part\\.").nth(3), fault: .forwardThenDrop), at: 0)
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: rules)
        defer { proxy.stop() }
        let result = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest],
                          env: Self.environment(moto, s3: proxy.endpoint))
        #expect(result.succeeded && result.stdout == "Uploaded \(stage.bucket)/\(stage.manifestName)\n", "\(result)")
        let puts = try proxy.requests().filter { $0.method == "PUT" && $0.key != nil }
        #expect(puts.count == 2 * (stage.parts.count + 1) + 1, "\(puts)")
        #expect(puts.filter { $0.fault != "pass" }.count == stage.parts.count + 2,
                "a SlowDown per part, the InternalError and the lost response: \(puts)")
        try Self.expectRoundTrip(moto, stage)
    }

    enum Permanent: String, CaseIterable, CustomTestStringConvertible {
        case slowDown, internalError, tamperedETag
        var testDescription: String { rawValue }
        var fault: Fault {
            switch self {
            case .slowDown: return .error(status: 503, code: "SlowDown")
            case .internalError: return .error(status: 500, code: "InternalError")
            case .tamperedETag: return .tamperETag()
            }
        }
        var message: String {
            switch self {
            case .slowDown: return "(SlowDown): Please reduce your request rate. (gave up after 3 attempts)"
            case .internalError: return "(InternalError): An internal error has occurred. Please try again. (gave up after 3 attempts)"
            case .tamperedETag: return "not the MD5 of the bytes sent"
            }
        }
    }

    @Test("a fault that never ends on one part: one line, exit 1 after exactly 3 attempts, no manifest", arguments: Permanent.allCases)
    func permanentFaultOnUpload(_ permanent: Permanent) async throws {
        let moto = try MotoEndpoint.shared
        let stage = try Self.stage("perm-\(permanent.rawValue.lowercased())", size: 600_000, partSize: "128K")
        defer { stage.remove() }
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .path(Self.partPath(stage.parts[1]), method: "PUT"), fault: permanent.fault),
        ])
        defer { proxy.stop() }
        let result = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest],
                          env: Self.environment(moto, s3: proxy.endpoint))
        Self.expectOneLineFailure(result, "upload-bundle", containing: permanent.message)
        #expect(try proxy.requests().filter { $0.key == stage.parts[1] }.count == 3, "exactly the 3 attempts")
        #expect(try await !Self.stored(moto, stage.bucket).contains(stage.manifestName))
    }

    @Test("an ETag that is not the MD5 of what was sent: the part is sent again")
    func tamperedETagOnce() async throws {
        let moto = try MotoEndpoint.shared
        let stage = try Self.stage("etag", size: 600_000, partSize: "128K")
        defer { stage.remove() }
        let victim = stage.parts[2]
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .path(Self.partPath(victim), method: "PUT"), times: 1, fault: .tamperETag()),
        ])
        defer { proxy.stop() }
        let result = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest],
                          env: Self.environment(moto, s3: proxy.endpoint))
        #expect(result.succeeded, "\(result)")
        let sent = try proxy.requests().filter { $0.method == "PUT" && $0.key == victim }
        #expect(sent.map(\.fault) == ["tamper_etag", "pass"], "\(sent)")
        try Self.expectRoundTrip(moto, stage)
    }

    // MARK: - Bundle and upload

    /// Part files under the bundle-XXXXXX directories in `directory`.
    static func partFiles(under directory: String) -> Int {
        let fileManager = FileManager.default
        return ((try? fileManager.contentsOfDirectory(atPath: directory)) ?? []).reduce(0) { count, name in
            count + ((try? fileManager.contentsOfDirectory(atPath: directory + "/" + name)) ?? [])
                .filter { $0.contains(".part.") }.count
        }
    }

    @Test("bundle-and-upload-image uploads parts while bundling, with at most --max-pending-parts on disk")
    func bundleAndUploadBoundsDisk() async throws {
        let moto = try MotoEndpoint.shared
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = dir.appendingPathComponent("disk.img").path
        try Bundles.randomFile(image, size: 1_200_000)
        let temporary = dir.appendingPathComponent("tmp").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let bucket = BundleTransferCommandsTests.uniqueBucket("pipeline")
        // Slow uploads, so that bundling has to wait for them.
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .path("\\.part\\.", method: "PUT"), fault: .delay(seconds: 0.15)),
        ])
        defer { proxy.stop() }
        let env = Self.environment(moto, s3: proxy.endpoint, extra: ["TMPDIR": temporary])
        let upload = try BackgroundEuca("bundle-and-upload-image", ["-i", image, "-b", bucket, "--part-size", "64K",
                                                                    "--max-pending-parts", "2"], env: env)
        var most = 0
        while upload.process.isRunning {
            most = max(most, Self.partFiles(under: temporary))
            usleep(5_000)
        }
        #expect(upload.wait().status == 0)
        let stored = try await Self.stored(moto, bucket)
        let parts = stored.filter { $0.contains(".part.") }.count
        #expect(stored.contains("disk.img.manifest.xml") && parts > 10, "\(stored.sorted())")
        #expect(most >= 1 && most <= 3, "at most 2 parts waiting and 1 being written, saw \(most)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty, "the bundle is removed")

        // A part that cannot be uploaded: bundling stops, one line, no manifest, nothing left.
        let failing = BundleTransferCommandsTests.uniqueBucket("pipefail")
        try proxy.setSchedule([.init(match: .path("\\.part\\.03$", method: "PUT"),
                                     fault: .error(status: 503, code: "SlowDown"))])
        let failed = euca("bundle-and-upload-image", ["-i", image, "-b", failing, "--part-size", "64K"], env: env)
        Self.expectOneLineFailure(failed, "bundle-and-upload-image", containing: "(SlowDown): Please reduce your request rate. (gave up after 3 attempts)")
        #expect(try await !Self.stored(moto, failing).contains("disk.img.manifest.xml"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty, "nothing left behind")
    }

    // MARK: - Redirects

    @Test("a 301 naming the bucket's region: re-signed for it and retried on the same endpoint, never on the host it names")
    func regionRedirect() async throws {
        let moto = try MotoEndpoint.shared
        let stage = try Self.stage("redirect", size: 400_000, partSize: "128K")
        defer { stage.remove() }
        // Where the redirect points: a proxy with nothing behind it that records whatever comes.
        let elsewhere = try FaultProxy.start(upstream: nil)
        defer { elsewhere.stop() }
        let location = "http://127.0.0.1:\(elsewhere.port)/\(stage.bucket)"
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .path("^/\(stage.bucket)$", method: "HEAD"), times: 1,
                  fault: .redirect(status: 301, location: location, region: "us-west-2")),
        ])
        defer { proxy.stop() }
        let env = Self.environment(moto, s3: proxy.endpoint)
        // The bucket exists (S3 redirects only for buckets that do).
        try await S3ClientTests.client(moto).createBucket(stage.bucket)
        let result = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest], env: env)
        #expect(result.succeeded, "\(result)")
        let seen = try proxy.requests()
        #expect(seen.first?.fault == "redirect" && seen.first?.region == "us-east-1", "\(seen)")
        #expect(seen.dropFirst().allSatisfy { $0.region == "us-west-2" && $0.fault == "pass" }, "re-signed for us-west-2: \(seen)")
        #expect(seen.count == stage.parts.count + 4, "HEAD twice, the listing, the parts and the manifest: \(seen)")
        #expect(try elsewhere.requests().isEmpty, "nothing was sent to the host the redirect named")
        try Self.expectRoundTrip(moto, stage)

        // A redirect every time: followed once, then reported with the region.
        try proxy.setSchedule([.init(match: .path("^/\(stage.bucket)$", method: "HEAD"),
                                     fault: .redirect(status: 301, location: location, region: "eu-central-1"))])
        let refused = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest], env: env)
        Self.expectOneLineFailure(refused, "upload-bundle", containing: "the resource is in region eu-central-1; use --region eu-central-1")
        #expect(try elsewhere.requests().isEmpty)
    }

    // MARK: - Interrupted downloads

    enum DownloadFault: String, CaseIterable, CustomTestStringConvertible {
        case resetMidBody, truncate, garbage, wrongLength
        var testDescription: String { rawValue }
        var fault: Fault {
            switch self {
            case .resetMidBody: return .resetMidBody(afterBytes: 10_000)
            case .truncate: return .truncate(keepBytes: 10_000)
            case .garbage: return .garbage(status: 200, bytes: 4096)
            case .wrongLength: return .wrongLength(extra: 100)
            }
        }
    }

    /// Nothing in `directory` but `allowed`: no temporary or partial files.
    static func expectOnly(_ allowed: Set<String>, in directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        #expect(names == allowed, "\(names.sorted())", sourceLocation: sourceLocation)
    }

    @Test("a part GET cut short or garbled once: retried, and the image comes back whole", arguments: DownloadFault.allCases)
    func downloadFaultOnce(_ fault: DownloadFault) async throws {
        let moto = try MotoEndpoint.shared
        let stage = try Self.stage("dl-\(fault.rawValue.lowercased())", size: 900_000, partSize: "128K")
        defer { stage.remove() }
        #expect(euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest],
                     env: Self.environment(moto, s3: moto.endpoint)).succeeded)
        let victim = stage.parts[2]
        let proxy = try FaultProxy.start(upstream: moto.endpoint)
        defer { proxy.stop() }
        let env = Self.environment(moto, s3: proxy.endpoint)

        try proxy.setSchedule([.init(match: .path(Self.partPath(victim), method: "GET"), times: 1, fault: fault.fault)])
        let out = stage.dir.appendingPathComponent("image").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let unbundled = euca("download-and-unbundle", ["-b", stage.bucket, "-p", "disk.img", "-d", out], env: env)
        #expect(unbundled.succeeded, "\(unbundled)")
        #expect(Bundles.sha1(out + "/disk.img") == Bundles.sha1(stage.image))
        try Self.expectOnly(["disk.img"], in: out)
        #expect(try proxy.requests().filter { $0.key == victim }.map(\.fault) == [fault.fault.type, "pass"])

        try proxy.setSchedule([.init(match: .path(Self.partPath(victim), method: "GET"), times: 1, fault: fault.fault)])
        let parts = stage.dir.appendingPathComponent("parts").path
        let downloaded = euca("download-bundle", ["-b", stage.bucket, "-p", "disk.img", "-d", parts], env: env)
        #expect(downloaded.succeeded, "\(downloaded)")
        try Self.expectOnly(Set(stage.parts + [stage.manifestName]), in: parts)
        for part in stage.parts {
            #expect(Bundles.sha1(parts + "/" + part) == Bundles.sha1(stage.dir.path + "/bundle/" + part), "\(part)")
        }
    }

    @Test("a part GET that always fails: one line, exit 1, and no image, part or temporary file left")
    func downloadFaultForever() async throws {
        let moto = try MotoEndpoint.shared
        let stage = try Self.stage("dl-forever", size: 900_000, partSize: "128K")
        defer { stage.remove() }
        #expect(euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest],
                     env: Self.environment(moto, s3: moto.endpoint)).succeeded)
        let victim = stage.parts[3]
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .path(Self.partPath(victim), method: "GET"), fault: .resetMidBody(afterBytes: 50_000)),
        ])
        defer { proxy.stop() }
        let env = Self.environment(moto, s3: proxy.endpoint)
        let out = stage.dir.appendingPathComponent("image").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let unbundled = euca("download-and-unbundle", ["-b", stage.bucket, "-p", "disk.img", "-d", out], env: env)
        Self.expectOneLineFailure(unbundled, "download-and-unbundle", containing: "(gave up after 3 attempts)")
        try Self.expectOnly([], in: out)

        let parts = stage.dir.appendingPathComponent("parts").path
        let downloaded = euca("download-bundle", ["-b", stage.bucket, "-p", "disk.img", "-d", parts], env: env)
        Self.expectOneLineFailure(downloaded, "download-bundle", containing: "(gave up after 3 attempts)")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: parts))
        #expect(!left.contains(victim) && !left.contains(stage.manifestName), "\(left.sorted())")
        #expect(left.allSatisfy { stage.parts.contains($0) }, "only complete parts: \(left.sorted())")
        for part in left {
            #expect(Bundles.sha1(parts + "/" + part) == Bundles.sha1(stage.dir.path + "/bundle/" + part), "\(part)")
        }

        // A part whose stored bytes are not what the manifest says: named, not retried forever.
        try proxy.setSchedule([])
        try await S3ClientTests.client(moto).putObject(stage.bucket, victim, data: Data(repeating: 1, count: 1000))
        let corrupt = euca("download-and-unbundle", ["-b", stage.bucket, "-p", "disk.img", "-d", out], env: env)
        Self.expectOneLineFailure(corrupt, "download-and-unbundle", containing: "bundle part \(stage.bucket)/\(victim) is corrupt")
        try Self.expectOnly([], in: out)
    }

    // MARK: - Retry modes under throttling

    /// Both retry modes retry every SlowDown until the part is stored, within the attempts.
    /// What adaptive mode adds, spacing the requests after throttling, is a rate: the unit
    /// tests check its algorithm with an injected clock (RetryTests), and
    /// Scripts/reliability-report.py measures it on this upload for docs/reliability.md.
    @Test("an upload answered SlowDown 10 times in a row rides it out in standard and adaptive mode",
          arguments: ["standard", "adaptive"])
    func throttledUploadInEitherRetryMode(_ mode: String) async throws {
        let moto = try MotoEndpoint.shared
        let stage = try Self.stage("throttled-\(mode)", size: 820_000, partSize: "10K")
        defer { stage.remove() }
        #expect(stage.parts.count >= 55, "\(stage.parts.count) parts")
        // The first 12 part PUTs pass, the next 10 get SlowDown, the rest pass.
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .path("\\.part\\.", method: "PUT"), times: 12, label: "before", fault: .pass),
            .init(match: .path("\\.part\\.", method: "PUT"), times: 10, label: "throttled",
                  fault: .error(status: 503, code: "SlowDown")),
        ])
        defer { proxy.stop() }
        let result = euca("upload-bundle", ["-b", stage.bucket, "-m", stage.manifest, "--max-attempts", "6"],
                          env: Self.environment(moto, s3: proxy.endpoint, extra: ["AWS_RETRY_MODE": mode]),
                          timeout: 150)
        #expect(result.succeeded && result.stdout == "Uploaded \(stage.bucket)/\(stage.manifestName)\n", "\(result)")
        let puts = try proxy.requests().filter { $0.method == "PUT" && $0.key != nil }
        let throttled = puts.filter { $0.label == "throttled" }
        #expect(throttled.count == 10 && throttled.allSatisfy { $0.status == 503 }, "\(throttled)")
        #expect(puts.count == stage.parts.count + 10 + 1, "every part once, 10 retries, the manifest: \(puts)")
        let stored = puts.filter { $0.status == 200 }.compactMap(\.key)
        #expect(stored.sorted() == (stage.parts + [stage.manifestName]).sorted(), "each part stored once, then the manifest")
        #expect(stored.last == stage.manifestName, "the manifest last")
        for part in Set(throttled.compactMap(\.key)) {
            let attempts = puts.filter { $0.key == part }
            #expect(attempts.last?.status == 200 && attempts.count <= 6, "\(part) retried until stored: \(attempts)")
        }
    }
}

/// An euca command running in the background, to be killed.
final class BackgroundEuca {
    let process = Process()
    private let home: URL

    init(_ command: String, _ args: [String], env: [String: String]) throws {
        guard case .success(let directory) = EucaBinary.directory else {
            throw EucaRunnerError(description: "no euca binary")
        }
        let line = EucaBinary.commandLine(command, args, in: directory)
        home = FileManager.default.temporaryDirectory.appendingPathComponent("euca-bg-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: line[0])
        process.arguments = Array(line.dropFirst())
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home.path]
            .merging(env) { $1 }
        process.currentDirectoryURL = home
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    deinit { try? FileManager.default.removeItem(at: home) }

    private var stderrPath: String { home.appendingPathComponent(".stderr").path }

    /// What the command wrote on stderr so far.
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func kill() { Glibc.kill(process.processIdentifier, SIGKILL) }

    /// The exit status, or the signal that ended it.
    func wait() -> (status: Int32?, signal: Int32?) {
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
            ? (nil, process.terminationStatus) : (process.terminationStatus, nil)
    }
}
