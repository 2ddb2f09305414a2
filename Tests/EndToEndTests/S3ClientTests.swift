@testable import EucaCore
import Foundation
import Testing

/// S3Client and S3Transfer in-process against real servers with signature checking on: moto
/// (SigV4 only: it cannot check SigV2) and SeaweedFS (SigV4 and SigV2, payload hashes checked).
///
/// On moto, keys stay within [A-Za-z0-9 ._~/-]: moto itself gets the signature wrong for others
/// (see Scripts/moto-endpoint.py), so the other characters are tested on SeaweedFS only. Listing
/// parameters (prefix, marker, delimiter) stay without '/': moto 5.2.1 also rejects a correctly
/// signed `%2F` in the query string (boto3 fails the same way), while a raw '/' passes. Every
/// test makes its own bucket, since the servers are shared.
@Suite("S3 client against moto and SeaweedFS")
struct S3ClientTests {
    static func client(_ server: any S3TestEndpoint, secret: String? = nil, signatureVersion: SignatureVersion = .v4,
                       maxAttempts: Int = 3) throws -> S3Client {
        let service = ServiceClient(transport: HTTPTransport(),
                                    policy: RetryPolicy(maxAttempts: maxAttempts, mode: .standard),
                                    log: DebugLog(enabled: false))
        return try S3Client(client: service, endpoint: URL(string: server.endpoint)!, region: server.region,
                        credentials: Credentials(accessKeyId: server.accessKeyId,
                                                 secretAccessKey: secret ?? server.secretAccessKey),
                        signatureVersion: signatureVersion)
    }

    static func client(_ target: S3Target, secret: String? = nil) throws -> S3Client {
        try client(try target.server(), secret: secret, signatureVersion: target.signatureVersion)
    }

    static func uniqueBucket(_ purpose: String) -> String {
        "s3c-\(purpose)-\(UUID().uuidString.lowercased().prefix(8))"
    }

    static func randomData(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var word = generator.next()
            for _ in 0..<8 where index < count {
                bytes[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return Data(bytes)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("s3client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    // MARK: Buckets and objects

    @Test(arguments: S3Target.allCases)
    func bucketsAndObjectsRoundTrip(_ target: S3Target) async throws {
        let s3 = try Self.client(target)
        let bucket = Self.uniqueBucket("objects")
        #expect(try await !s3.bucketExists(bucket))
        #expect(try await s3.createBucket(bucket))
        try await s3.headBucket(bucket)
        #expect(try await s3.bucketExists(bucket))

        let body = Data("hello".utf8)
        let etag = try await s3.putObject(bucket, "dir/a b~c.txt", data: body,
                                          options: S3PutOptions(acl: .publicRead, contentType: "text/plain",
                                                                metadata: ["origin": "test"]))
        #expect(etag == "5d41402abc4b2a76b9719d911017c592")
        let info = try await s3.headObject(bucket, "dir/a b~c.txt")
        #expect(info.size == 5 && info.etag == etag && info.etagIsContentMD5)
        #expect(info.contentType == "text/plain")
        #expect(info.metadata["origin"] == "test")
        let object = try await s3.getObject(bucket, "dir/a b~c.txt")
        #expect(object.data == body && object.info.etag == etag)

        // An empty object, and overwriting.
        try await s3.putObject(bucket, "empty", data: Data())
        #expect(try await s3.getObject(bucket, "empty").data.isEmpty)
        try await s3.putObject(bucket, "dir/a b~c.txt", data: Data("bye".utf8))
        #expect(try await s3.getObject(bucket, "dir/a b~c.txt").data == Data("bye".utf8))

        try await s3.deleteObject(bucket, "dir/a b~c.txt")
        #expect(try await s3.objectInfoIfPresent(bucket, "dir/a b~c.txt") == nil)
        let error = await #expect(throws: ServiceError.self) { try await s3.headObject(bucket, "dir/a b~c.txt") }
        #expect(error?.code == "NoSuchKey")
        let getError = await #expect(throws: ServiceError.self) { try await s3.getObject(bucket, "dir/a b~c.txt") }
        #expect(getError?.code == "NoSuchKey" && getError?.description.contains("dir/a b~c.txt") == true)
        // Deleting what is not there is fine in S3.
        try await s3.deleteObject(bucket, "never-existed")
        try await s3.deleteObject(bucket, "empty")
        try await s3.deleteBucket(bucket)
        #expect(try await !s3.bucketExists(bucket))
    }

    @Test(arguments: S3Target.allCases)
    func createBucketWithALocation(_ target: S3Target) async throws {
        let s3 = try Self.client(target)
        let bucket = Self.uniqueBucket("location")
        try await s3.createBucket(bucket, location: "us-east-1")
        #expect(try await s3.bucketExists(bucket))
        let other = Self.uniqueBucket("eu")
        try await s3.createBucket(other, location: "eu-west-1")
        #expect(try await s3.bucketExists(other))
    }

    @Test(arguments: S3Target.allCases)
    func missingBucketsSayWhatIsMissing(_ target: S3Target) async throws {
        let s3 = try Self.client(target)
        let bucket = Self.uniqueBucket("missing")
        let head = await #expect(throws: ServiceError.self) { try await s3.headBucket(bucket) }
        #expect(head?.code == "NoSuchBucket" && head?.description.contains(bucket) == true)
        let list = await #expect(throws: ServiceError.self) { try await s3.listObjects(bucket) }
        #expect(list?.code == "NoSuchBucket")
        #expect(S3Client.isNotFound(try #require(list)))
        if target.refusesPutsToMissingBuckets {
            let put = await #expect(throws: ServiceError.self) { try await s3.putObject(bucket, "k", data: Data("x".utf8)) }
            #expect(put?.code == "NoSuchBucket")
        }
    }

    @Test(arguments: S3Target.allCases)
    func wrongSecretIsRefusedWithSignatureDoesNotMatch(_ target: S3Target) async throws {
        let good = try Self.client(target)
        let bucket = Self.uniqueBucket("auth")
        try await good.createBucket(bucket)
        let bad = try Self.client(target, secret: "not-the-secret-key")
        let put = await #expect(throws: ServiceError.self) { try await bad.putObject(bucket, "k", data: Data("x".utf8)) }
        #expect(put?.code == "SignatureDoesNotMatch")
        #expect(put?.attempts == 1, "a bad signature is not retried")
        // A HEAD's 403 has no body; the message says what it may mean.
        let head = await #expect(throws: ServiceError.self) { try await bad.headBucket(bucket) }
        #expect(head?.code == "AccessDenied" && head?.message.contains("secret key") == true)
        #expect(try await good.objectInfoIfPresent(bucket, "k") == nil)
    }

    /// Every character class a key may hold, each stored, listed, read back and deleted under
    /// exactly its own name, in a bucket whose name has dots (path-style on 127.0.0.1).
    @Test(arguments: S3Target.allCases.filter(\.signsEveryKey))
    func unusualKeysAndDottedBucketNames(_ target: S3Target) async throws {
        let s3 = try Self.client(target)
        let bucket = "s3c.dotted.\(UUID().uuidString.lowercased().prefix(8))"
        #expect(try await s3.createBucket(bucket))
        let keys = ["with space", "plus+and&equals=", "ünïcødé/日本", "percent%20literal", "semi;colon,comma",
                    "d//e", "tilde~star*", "(paren)'quote'!", "question?hash#"]
        for key in keys { try await s3.putObject(bucket, key, data: Data(key.utf8)) }
        for key in keys {
            let object = try await s3.getObject(bucket, key)
            #expect(String(decoding: object.data, as: UTF8.self) == key, "\(key)")
        }
        let listed = try await s3.listObjects(bucket).objects.map(\.key)
        #expect(listed.sorted() == keys.map(target.listedKey).sorted())
        let deleted = try await S3Transfer(client: s3).deleteAll(bucket: bucket, prefix: "")
        #expect(deleted.count == keys.count)
        #expect(try await s3.listObjects(bucket).objects.isEmpty)
        try await s3.deleteBucket(bucket)
    }

    /// The path goes out exactly as signed: `a/../b` and `./b` are objects of their own, not
    /// `b`. A server that refuses such keys (SeaweedFS) says so, and `b` is left alone; a
    /// client that normalised the path would have overwritten it.
    @Test(arguments: S3Target.allCases)
    func keysWithDotAndEmptySegmentsAreAddressedExactly(_ target: S3Target) async throws {
        let s3 = try Self.client(target)
        let bucket = Self.uniqueBucket("dots")
        #expect(try await s3.createBucket(bucket))
        let plain = ["b", "x//b"]
        let dotted = ["a/../b", "./b", "a/./b"]
        for key in plain { try await s3.putObject(bucket, key, data: Data(key.utf8)) }
        for key in dotted {
            if target.storesDotSegmentKeys {
                try await s3.putObject(bucket, key, data: Data(key.utf8))
            } else {
                let refusal = await #expect(throws: ServiceError.self) {
                    try await s3.putObject(bucket, key, data: Data(key.utf8))
                }
                #expect(refusal?.code == "InvalidRequest", "\(key)")
            }
        }
        let stored = plain + (target.storesDotSegmentKeys ? dotted : [])
        for key in stored {
            let object = try await s3.getObject(bucket, key)
            #expect(String(decoding: object.data, as: UTF8.self) == key, "\(key)")
        }
        let listed = try await s3.listObjects(bucket).objects.map(\.key)
        #expect(listed.sorted() == stored.map(target.listedKey).sorted())
    }

    // MARK: Listing

    @Test(arguments: S3Target.allCases)
    func listingFollowsMarkersAcrossPages(_ target: S3Target) async throws {
        let s3 = try Self.client(target)
        let bucket = Self.uniqueBucket("list")
        try await s3.createBucket(bucket)
        // '~' plays the part of '/' (see the suite's comment on moto and %2F).
        let keys = (0..<7).map { "list~item-\($0).part" } + ["list~sub~x", "list~sub~y", "other"]
        let transfer = S3Transfer(client: s3)
        _ = try await S3ClientTests.putAll(s3, bucket, keys, transfer: transfer)

        let all = try await s3.listObjects(bucket, prefix: "list~", pageSize: 3)
        #expect(all.objects.map(\.key) == keys.filter { $0.hasPrefix("list~") }.sorted())
        #expect(all.pages == 3)
        #expect(all.objects.allSatisfy { $0.size == 1 && $0.etagIsContentMD5 })

        let folders = try await s3.listObjects(bucket, prefix: "list~", delimiter: "~", pageSize: 2)
        #expect(folders.objects.count == 7)
        #expect(folders.commonPrefixes == ["list~sub~"])
        #expect(target.fillsDelimitedPages ? folders.pages == 4 : folders.pages >= 4)

        let page = try await s3.listObjectsPage(bucket, prefix: "list~", maxKeys: 5)
        // S3 would say "list~item-4.part"; moto's marker is an opaque token. Either works.
        #expect(page.isTruncated && page.objects.count == 5 && page.nextMarker != nil)
        let rest = try await s3.listObjectsPage(bucket, prefix: "list~", marker: page.nextMarker)
        #expect(!rest.isTruncated && rest.objects.map(\.key) == ["list~item-5.part", "list~item-6.part", "list~sub~x", "list~sub~y"])

        #expect(try await transfer.deleteAll(bucket: bucket, prefix: "list~").count == 9)
        #expect(try await s3.listObjects(bucket).objects.map(\.key) == ["other"])
    }

    static func putAll(_ s3: S3Client, _ bucket: String, _ keys: [String], transfer: S3Transfer) async throws -> Int {
        for key in keys { try await s3.putObject(bucket, key, data: Data("x".utf8)) }
        return keys.count
    }

    // MARK: Downloads to files

    @Test(arguments: S3Target.allCases)
    func downloadToFileChecksEveryPieceAndReplacesAtomically(_ target: S3Target) async throws {
        let s3 = try Self.client(target)
        let bucket = Self.uniqueBucket("download")
        try await s3.createBucket(bucket)
        let data = Self.randomData(1_000_003)
        try await s3.putObject(bucket, "obj", data: data)
        try await s3.putObject(bucket, "zero", data: Data())
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("obj")
        try Data("old contents".utf8).write(to: file)
        let progress = LockedValue<[Int64]>([])
        let info = try await s3.getObject(bucket, "obj", to: file) { total in
            progress.withLock { $0.append(total) }
        }
        #expect(info.size == 1_000_003 && info.etagIsContentMD5)
        #expect(try Data(contentsOf: file) == data)
        #expect(progress.withLock { $0 } == [1_000_003])

        let zero = directory.appendingPathComponent("zero")
        try await s3.getObject(bucket, "zero", to: zero)
        #expect(try Data(contentsOf: zero).isEmpty)

        // A missing object leaves the old file alone and no temporary file behind.
        await #expect(throws: ServiceError.self) { try await s3.getObject(bucket, "absent", to: file) }
        #expect(try Data(contentsOf: file) == data)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["obj", "zero"])
    }

    // MARK: Bundles

    /// `count` parts of `size` random bytes and a manifest, as files in a new directory.
    static func makeBundle(count: Int, size: Int, name: String = "image.img") throws -> (directory: URL, parts: [URL], manifest: URL) {
        let directory = try temporaryDirectory()
        let parts = try (0..<count).map { index -> URL in
            let url = directory.appendingPathComponent("\(name).part.\(index)")
            try randomData(size).write(to: url)
            return url
        }
        let manifest = directory.appendingPathComponent("\(name).manifest.xml")
        try Data("<manifest>\(count) parts</manifest>".utf8).write(to: manifest)
        return (directory, parts, manifest)
    }

    @Test(arguments: S3Target.allCases)
    func bundleUploadIsParallelResumableAndManifestLast(_ target: S3Target) async throws {
        let s3 = try Self.client(target)
        let bucket = Self.uniqueBucket("bundle")
        try await s3.createBucket(bucket)
        let bundle = try Self.makeBundle(count: 12, size: 256 * 1024)
        defer { try? FileManager.default.removeItem(at: bundle.directory) }
        let transfer = S3Transfer(client: s3, concurrency: 4)
        let partKeys = bundle.parts.map { "images/centos/\($0.lastPathComponent)" }
        let manifestKey = "images/centos/image.img.manifest.xml"
        let totalBytes = Int64(12 * 256 * 1024 + (try Data(contentsOf: bundle.manifest)).count)

        let progress = LockedValue<[Int64]>([])
        let first = try await transfer.uploadBundle(parts: bundle.parts, manifest: bundle.manifest, bucket: bucket,
                                                    prefix: "images/centos/", options: S3PutOptions(acl: .awsExecRead)) { total in
            progress.withLock { $0.append(total) }
        }
        #expect(first.uploaded == partKeys + [manifestKey])
        #expect(first.skipped.isEmpty && first.bytesUploaded == totalBytes)
        #expect(progress.withLock { $0.last } == totalBytes)
        let stored = try await s3.listObjects(bucket)
        #expect(Set(stored.objects.map(\.key)) == Set(partKeys + [manifestKey]))

        // Resume: one part lost, one part changed locally; only those two are sent again.
        try await s3.deleteObject(bucket, partKeys[5])
        try Self.randomData(256 * 1024).write(to: bundle.parts[7])
        let second = try await transfer.uploadBundle(parts: bundle.parts, manifest: bundle.manifest, bucket: bucket,
                                                     prefix: "images/centos")
        #expect(second.uploaded == [partKeys[5], partKeys[7]])
        #expect(second.skipped.count == 11 && second.skipped.last == manifestKey)
        #expect(second.bytesUploaded == 2 * 256 * 1024)

        // Download them all back and compare.
        let downloads = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: downloads) }
        let listed = try await s3.listObjects(bucket)
        let files = try await transfer.download(listed.objects, bucket: bucket, to: downloads)
        #expect(files.count == 13)
        for url in bundle.parts + [bundle.manifest] {
            #expect(try Data(contentsOf: downloads.appendingPathComponent(url.lastPathComponent)) == Data(contentsOf: url))
        }
        let byKey = try await transfer.download(keys: [partKeys[0]], bucket: bucket, to: try Self.temporaryDirectory())
        #expect(try Data(contentsOf: byKey[0]) == Data(contentsOf: bundle.parts[0]))

        #expect(try await transfer.deleteAll(bucket: bucket, prefix: "images").count == 13)
        #expect(try await s3.listObjects(bucket).objects.isEmpty)
    }

    @Test(arguments: S3Target.allCases)
    func resumeLearnsWhatIsStoredFromOneListing(_ target: S3Target) async throws {
        let s3 = try Self.client(target)
        let bucket = Self.uniqueBucket("resume")
        try await s3.createBucket(bucket)
        let bundle = try Self.makeBundle(count: 3, size: 1000)
        defer { try? FileManager.default.removeItem(at: bundle.directory) }
        let transfer = S3Transfer(client: s3)
        let first = try await transfer.uploadBundle(parts: bundle.parts, manifest: bundle.manifest, bucket: bucket)
        #expect(first.uploaded.count == 4)
        // Keys without '/' list fine on moto, so no HEAD fallback (nil) here.
        let stored = try #require(try await transfer.storedObjects(bucket, keys: first.uploaded + ["image.img.part.9"]))
        #expect(Set(stored.keys) == Set(first.uploaded))
        let second = try await transfer.uploadBundle(parts: bundle.parts, manifest: bundle.manifest, bucket: bucket)
        #expect(second.uploaded.isEmpty && second.skipped == first.uploaded)
        // Without resume everything is sent again.
        let third = try await transfer.uploadBundle(parts: bundle.parts, manifest: bundle.manifest, bucket: bucket,
                                                    skipExisting: false)
        #expect(third.uploaded == first.uploaded)
    }

    @Test(arguments: S3Target.allCases)
    func aFailedPartMeansNoManifest(_ target: S3Target) async throws {
        let s3 = try Self.client(target)
        let bucket = Self.uniqueBucket("halfbundle")
        try await s3.createBucket(bucket)
        let bundle = try Self.makeBundle(count: 6, size: 64 * 1024)
        defer { try? FileManager.default.removeItem(at: bundle.directory) }
        try FileManager.default.removeItem(at: bundle.parts[3])
        let transfer = S3Transfer(client: s3, concurrency: 2)
        await #expect(throws: S3Error.self) {
            try await transfer.uploadBundle(parts: bundle.parts, manifest: bundle.manifest, bucket: bucket)
        }
        #expect(try await s3.objectInfoIfPresent(bucket, "image.img.manifest.xml") == nil)
    }

    // MARK: Throughput (run with EUCA_S3_BENCH=1)

    /// A line of /proc/self/status in KiB (`VmRSS`, `VmHWM`).
    static func rssKiB(_ field: String) -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Makes VmHWM start again from the current RSS (Linux ≥ 4.0).
    static func resetPeakRSS() {
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
    }

    /// Uploads the same parts (20 × 10 MiB by default, `EUCA_S3_BENCH_PARTS`) at several
    /// concurrency levels, three rounds in rotating order, and prints the median rate of each.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["EUCA_S3_BENCH"] == "1"))
    func parallelVersusSequentialUploadThroughput() async throws {
        let s3 = try Self.client(try MotoEndpoint.shared)
        let partSize = 10 * 1024 * 1024
        let count = Int(ProcessInfo.processInfo.environment["EUCA_S3_BENCH_PARTS"] ?? "") ?? 20
        let bundle = try Self.makeBundle(count: count, size: partSize)
        defer { try? FileManager.default.removeItem(at: bundle.directory) }
        let megabytes = Double(count * partSize) / 1_048_576
        let levels = [1, 2, 4, 6, 8]
        var rates: [Int: [Double]] = [:]
        var peaks: [Int: Int] = [:]
        for round in 0..<3 {
            for index in levels.indices {
                let concurrency = levels[(index + round) % levels.count]
                let bucket = Self.uniqueBucket("bench\(concurrency)")
                try await s3.createBucket(bucket)
                Self.resetPeakRSS()
                let before = Self.rssKiB("VmRSS")
                let started = Date()
                let report = try await S3Transfer(client: s3, concurrency: concurrency)
                    .uploadBundle(parts: bundle.parts, manifest: nil, bucket: bucket, skipExisting: false)
                let seconds = Date().timeIntervalSince(started)
                #expect(report.uploaded.count == count)
                rates[concurrency, default: []].append(megabytes / seconds)
                peaks[concurrency] = max(peaks[concurrency] ?? 0, Self.rssKiB("VmHWM") - before)
                _ = try await S3Transfer(client: s3).deleteAll(bucket: bucket, prefix: "")
                try await s3.deleteBucket(bucket)
            }
        }
        let lines = levels.map { level -> String in
            let sorted = rates[level]!.sorted()
            return String(format: "concurrency %d: median %.1f MiB/s (runs: %@), RSS growth ≤ %d MiB", level, sorted[1],
                          sorted.map { String(format: "%.0f", $0) }.joined(separator: ", "), peaks[level]! / 1024)
        }
        var downloads: [String] = []
        let bucket = Self.uniqueBucket("benchget")
        try await s3.createBucket(bucket)
        _ = try await S3Transfer(client: s3).uploadBundle(parts: bundle.parts, manifest: nil, bucket: bucket)
        let listed = try await s3.listObjects(bucket).objects
        for concurrency in [1, 4] {
            let directory = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let started = Date()
            try await S3Transfer(client: s3, concurrency: concurrency).download(listed, bucket: bucket, to: directory)
            downloads.append(String(format: "download, concurrency %d: %.1f MiB/s", concurrency,
                                    megabytes / Date().timeIntervalSince(started)))
        }
        print("S3 upload of \(count) × 10 MiB to moto:\n" + (lines + downloads).joined(separator: "\n"))
    }
}
