import Foundation

/// A local file and the key it is stored under.
public struct S3UploadItem: Sendable, Equatable {
    public var file: URL
    public var key: String

    public init(file: URL, key: String) {
        self.file = file
        self.key = key
    }
}

/// What an upload did, so commands can print it and tests can count requests.
public struct S3UploadReport: Sendable, Equatable {
    /// Keys PUT by this run, in the order given (the final object last).
    public var uploaded: [String] = []
    /// Keys already present with the same size and MD5, not sent again.
    public var skipped: [String] = []
    public var bytesUploaded: Int64 = 0
    public var bytesSkipped: Int64 = 0
}

/// Many-object operations for bundles: parallel upload with resume and a final object that
/// lands last, parallel verified download, and deletion of a list or a whole prefix.
///
/// Concurrency is bounded (default `defaultConcurrency`), and so is memory: an upload streams
/// each file from disk (a 1 MiB buffer to hash it, 256 KiB to send it), a download holds at
/// most `concurrency` objects in memory at once (bundle parts are 10 MiB), whatever the size
/// of the bundle.
///
/// Each request is retried on its own by the `ServiceClient` (including a part whose stored
/// ETag does not match its MD5); the first failure that survives its retries cancels the rest
/// and is thrown.
public struct S3Transfer: Sendable {
    public let client: S3Client
    public let concurrency: Int

    /// Requests in flight at once: two per core, at least 4 and at most 8. Each request spends
    /// most of its time waiting on the network or the server, and per part the client only
    /// hashes (MD5 and SHA-256 at ~0.6 GB/s together), so a few per core keep a local endpoint
    /// busy. Each request in flight holds one pooled connection and one part in memory.
    public static var defaultConcurrency: Int {
        min(8, max(4, 2 * ProcessInfo.processInfo.activeProcessorCount))
    }

    public init(client: S3Client, concurrency: Int? = nil) {
        self.client = client
        self.concurrency = max(1, concurrency ?? S3Transfer.defaultConcurrency)
    }

    // MARK: Upload

    /// Uploads a bundle: `parts` under `prefix` in parallel, then `manifest` (if any) only after
    /// every part is stored, so that a bundle whose upload failed half-way has no manifest and
    /// cannot be registered. Keys are `prefix/FILENAME`. See `upload(_:then:bucket:options:skipExisting:progress:)`.
    public func uploadBundle(parts: [URL], manifest: URL?, bucket: String, prefix: String = "",
                             options: S3PutOptions = S3PutOptions(), skipExisting: Bool = true,
                             progress: (@Sendable (Int64) -> Void)? = nil) async throws -> S3UploadReport {
        func item(_ url: URL) -> S3UploadItem {
            S3UploadItem(file: url, key: S3Names.key(prefix: prefix, name: url.lastPathComponent))
        }
        return try await upload(parts.map(item), then: manifest.map(item), bucket: bucket,
                                options: options, skipExisting: skipExisting, progress: progress)
    }

    /// Uploads `items` in parallel, then `final` once all of them succeeded.
    ///
    /// With `skipExisting` (resume), an object already stored under an item's key with the same
    /// size and MD5 is not sent again. What is stored is learnt from one listing of the keys'
    /// common prefix (one request per thousand keys); where the listing is refused with a 403,
    /// from a HEAD per object instead. A 403 there has two known causes: an upload policy or IAM
    /// policy that grants PUT but not ListBucket, and moto 5.2.1, which miscomputes the
    /// signature of any `%2F` in a query string (so of every prefix with a '/'). Keys with no
    /// common prefix are looked up with HEAD too, rather than listing a whole bucket. A stored
    /// object whose ETag is not a plain MD5 (multipart) is replaced; a skipped object keeps the
    /// ACL it was stored with.
    ///
    /// - Parameter progress: called with the bytes done so far (skipped files count as done)
    ///   after each file; the total is the sum of the files' sizes.
    public func upload(_ items: [S3UploadItem], then final: S3UploadItem? = nil, bucket: String,
                       options: S3PutOptions = S3PutOptions(), skipExisting: Bool = true,
                       progress: (@Sendable (Int64) -> Void)? = nil) async throws -> S3UploadReport {
        let all = items + (final.map { [$0] } ?? [])
        for item in all { try S3Names.validateKey(item.key) }
        if let duplicate = Dictionary(grouping: all, by: \.key).first(where: { $0.value.count > 1 }) {
            throw S3Error("two files would be uploaded as \(bucket)/\(duplicate.key)")
        }
        let stored = skipExisting ? try await storedObjects(bucket, keys: all.map(\.key)) : [:]
        let counter = S3ProgressCounter(progress)
        let client = client
        let prepare: @Sendable (S3UploadItem) throws -> (FileRegion, S3FileDigests) = { item in
            let region = try S3Client.region(of: item.file)
            return (region, try client.fileDigests(region))
        }
        let uploadOne: @Sendable (S3UploadItem, (FileRegion, S3FileDigests)) async throws -> (S3UploadItem, Int64, Bool) = { item, prepared in
            let (region, digests) = prepared
            let size = region.length
            let md5 = digests.md5
            let existing: S3ObjectInfo?
            if !skipExisting {
                existing = nil
            } else if let stored {
                existing = stored[item.key]
            } else {
                existing = try await client.objectInfoIfPresent(bucket, item.key)
            }
            if let existing, existing.matches(size: size, md5: md5) {
                client.log("\(bucket)/\(item.key) is already stored with the same size and MD5; not sending it again")
                counter.add(size)
                return (item, size, false)
            }
            try await client.putObject(bucket, item.key, file: region, digests: digests, options: options)
            counter.add(size)
            return (item, size, true)
        }
        var outcomes = try await S3Parallel.map(items, concurrency: concurrency, prepare: prepare, uploadOne)
        if let final { outcomes.append(try await uploadOne(final, try prepare(final))) }
        var report = S3UploadReport()
        for (item, size, sent) in outcomes {
            if sent {
                report.uploaded.append(item.key)
                report.bytesUploaded += size
            } else {
                report.skipped.append(item.key)
                report.bytesSkipped += size
            }
        }
        return report
    }

    /// What is stored under the keys' common prefix, by key; nil when the keys have no common
    /// prefix or listing is refused (then each key is looked up with HEAD).
    func storedObjects(_ bucket: String, keys: [String]) async throws -> [String: S3ObjectInfo]? {
        guard !keys.isEmpty else { return [:] }
        let prefix = S3Transfer.commonPrefix(keys)
        guard !prefix.isEmpty else { return nil }
        do {
            let listing = try await client.listObjects(bucket, prefix: prefix)
            let wanted = Set(keys)
            var stored: [String: S3ObjectInfo] = [:]
            for object in listing.objects where wanted.contains(object.key) { stored[object.key] = object }
            return stored
        } catch let error as ServiceError where error.status == 403 {
            client.log("cannot list \(bucket) (\(error)); checking each object with HEAD instead")
            return nil
        } catch where S3Client.isNotFound(error) {
            // No bucket, so nothing stored; the first PUT will say so properly.
            return [:]
        }
    }

    /// The longest common prefix of the keys (`b/p.part.0` and `b/p.part.1` list `b/p.part.`),
    /// shortened if needed so as not to end inside a multi-byte character.
    static func commonPrefix(_ keys: [String]) -> String {
        guard var prefix = keys.first.map({ Array($0.utf8) }) else { return "" }
        for key in keys.dropFirst() {
            let bytes = Array(key.utf8)
            var length = 0
            while length < min(prefix.count, bytes.count) && prefix[length] == bytes[length] { length += 1 }
            prefix.removeSubrange(length...)
        }
        while let last = prefix.last, last & 0xC0 == 0x80 || last >= 0xC0 { prefix.removeLast() }
        return String(decoding: prefix, as: UTF8.self)
    }

    /// The whole file in memory, for the POST uploads whose multipart form must hold it.
    static func read(_ file: URL) throws -> Data {
        do {
            return try Data(contentsOf: file)
        } catch {
            throw S3Error("cannot read \(file.path): \((error as NSError).localizedDescription)")
        }
    }

    // MARK: Download

    /// Downloads listed objects into `directory`, each as its key's last path component, in
    /// parallel; each is checked (size, and MD5 when the ETag is one) and appears only when
    /// complete (see `S3Client.getObject(_:_:to:)`). The listing's sizes and ETags are used, so
    /// no HEAD is needed.
    ///
    /// - Parameter progress: called with the bytes downloaded so far, across all objects.
    /// - Returns: the files written, in the order of `objects`.
    @discardableResult
    public func download(_ objects: [S3ObjectInfo], bucket: String, to directory: URL,
                         progress: (@Sendable (Int64) -> Void)? = nil) async throws -> [URL] {
        try await download(objects.map { ($0.key, $0) }, bucket: bucket, to: directory, progress: progress)
    }

    /// `download(_:bucket:to:progress:)` for keys alone: each is looked up with HEAD first.
    @discardableResult
    public func download(keys: [String], bucket: String, to directory: URL,
                         progress: (@Sendable (Int64) -> Void)? = nil) async throws -> [URL] {
        try await download(keys.map { ($0, nil) }, bucket: bucket, to: directory, progress: progress)
    }

    private func download(_ entries: [(key: String, expected: S3ObjectInfo?)], bucket: String,
                          to directory: URL, progress: (@Sendable (Int64) -> Void)?) async throws -> [URL] {
        let destinations = try entries.map { entry -> URL in
            let name = entry.key.split(separator: "/").last.map(String.init) ?? ""
            guard !name.isEmpty, name != ".", name != ".." else {
                throw S3Error("cannot name a local file after the key \(quoted(entry.key))")
            }
            return directory.appendingPathComponent(name)
        }
        if let clash = Dictionary(grouping: destinations, by: \.path).first(where: { $0.value.count > 1 }) {
            throw S3Error("several objects would be downloaded to \(clash.key)")
        }
        let counter = S3ProgressCounter(progress)
        let client = client
        let work = zip(entries, destinations).map { (key: $0.key, expected: $0.expected, destination: $1) }
        return try await S3Parallel.map(work, concurrency: concurrency) { item in
            // getObject reports this object's running total; the counter wants the increase.
            let written = LockedValue<Int64>(0)
            try await client.getObject(bucket, item.key, to: item.destination, expected: item.expected) { total in
                let delta = written.withLock { last in
                    defer { last = total }
                    return total - last
                }
                counter.add(delta)
            }
            return item.destination
        }
    }

    // MARK: Delete

    /// Deletes the objects, in parallel. A key that does not exist is not an error (S3 says 204
    /// either way).
    public func delete(keys: [String], bucket: String) async throws {
        let client = client
        _ = try await S3Parallel.map(keys, concurrency: concurrency) { key in
            try await client.deleteObject(bucket, key)
        }
    }

    /// Deletes every object whose key starts with `prefix` (everything, for an empty prefix)
    /// and returns their keys.
    @discardableResult
    public func deleteAll(bucket: String, prefix: String) async throws -> [String] {
        let keys = try await client.listObjects(bucket, prefix: prefix).objects.map(\.key)
        try await delete(keys: keys, bucket: bucket)
        return keys
    }
}
