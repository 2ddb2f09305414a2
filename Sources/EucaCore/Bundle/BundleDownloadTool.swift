import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `euca-download-bundle` does: fetches the manifest(s) chosen by `-p`/`-m`/
/// `--local-manifest` (every bundle under `-b BUCKET[/PREFIX]` without them, as euca2ools 1.x
/// did), then the parts, in parallel, into `-d DIR` (default: the current directory; created if
/// missing). Each part is checked against the manifest's SHA-1 (and its length and MD5 against
/// the response) before it is written, under a temporary name that is renamed into place, so a
/// part file that exists is a complete, correct part: a re-run after an interruption skips the
/// parts already there. The manifest is written last. `-d -` writes the bundle's encrypted
/// stream (the parts, in order, checked the same way) to standard output instead, for
/// `euca-unbundle-stream`. Like euca2ools 3.4.1 it prints `Wrote manifest DIR/NAME.manifest.xml`
/// for each manifest it writes (nothing for `-d -` or `--local-manifest`). A directory it had to
/// create is removed again when the download fails and leaves it empty.
public enum BundleDownloadTool {
    public static func run(_ invocation: Invocation) async throws {
        let arguments = invocation.arguments
        let location = try BundleLocation.from(arguments)
        let selection = try BundleSelection.from(arguments)
        let directory = arguments.string("directory").flatMap { $0.isEmpty ? nil : $0 } ?? "."
        if directory == "-" {
            guard selection != .all else {
                throw UsageError("argument -d/--directory: \"-\" (standard output) takes one bundle; choose it with -p or -m")
            }
        }
        let created = directory == "-" ? nil : try CreatedDirectory(directory, option: "-d/--directory")
        do {
            try await download(bundles: selection, location: location, to: directory, invocation)
        } catch {
            created?.removeIfEmpty()
            throw error
        }
    }

    static func download(bundles selection: BundleSelection, location: BundleLocation, to directory: String,
                         _ invocation: Invocation) async throws {
        let arguments = invocation.arguments
        let s3 = try invocation.s3()
        let bundles = try await selection.manifests(s3, location)
        guard !bundles.isEmpty else {
            throw BundleError("no manifests found in \(location)")
        }
        let mode = ProgressOptions.mode(arguments)
        if directory == "-" {
            try await stream(bundles[0].manifest, from: s3, location: location, mode: mode)
            return
        }
        for bundle in bundles {
            try await download(bundle.manifest, from: s3, location: location, to: directory, mode: mode)
            if let data = bundle.data {
                let path = joinPath(directory, (bundle.name as NSString).lastPathComponent)
                try writeFile(data, to: path)
                StandardStream.output.writeLine("Wrote manifest \(path)")
            }
        }
    }

    /// Downloads the manifest's parts into `directory`, in parallel, each checked before it
    /// appears under its name; parts already there with the right SHA-1 are kept.
    static func download(_ manifest: BundleManifest, from s3: S3Client, location: BundleLocation,
                         to directory: String, mode: ProgressMode) async throws {
        try DiskSpace.require(manifest.bundledSize, in: directory, for: "the bundle \(manifest.imageName)",
                              hint: "; choose another directory with -d")
        let progress = ProgressReporter(operation: "download-bundle", label: "Downloading bundle",
                                        total: manifest.bundledSize, mode: mode)
        progress.update(0)
        do {
            _ = try await S3Parallel.map(manifest.parts, concurrency: RemoteBundle.window(for: manifest)) { part in
                let path = joinPath(directory, part.filename)
                if let existing = fileSHA1(path), existing.digest == part.digest {
                    s3.log("\(path) is already there with the manifest's SHA-1; not downloading it again")
                    progress.advance(by: existing.size)
                    return ()
                }
                let data = try await RemoteBundle.fetchPart(s3, bucket: location.bucket, key: location.key(part.filename),
                                                            sha1: part.digest)
                try writeFile(data, to: path)
                progress.advance(by: UInt64(data.count))
                return ()
            }
            progress.finish()
        } catch {
            progress.fail()
            throw error
        }
    }

    /// The parts, in order and checked, on standard output.
    static func stream(_ manifest: BundleManifest, from s3: S3Client, location: BundleLocation,
                       mode: ProgressMode) async throws {
        let source = S3PartStream(client: s3, bucket: location.bucket,
                                  parts: manifest.parts.map { .init(key: location.key($0.filename), sha1: $0.digest) },
                                  window: RemoteBundle.window(for: manifest))
        let progress = ProgressReporter(operation: "download-bundle", label: "Downloading bundle",
                                        total: manifest.bundledSize, mode: mode)
        source.start()
        defer { source.cancel() }
        try await BlockingWork.run("download-bundle-stream") {
            let sink = DescriptorSink(descriptor: 1, name: "standard output")
            let buffer = ByteBuffer(capacity: 1 << 20)
            do {
                while true {
                    let count = try source.read(into: buffer.whole)
                    if count == 0 { break }
                    try sink.write(UnsafeRawBufferPointer(start: buffer.base, count: count))
                    progress.update(source.bytesRead)
                }
                progress.finish()
            } catch {
                progress.fail()
                throw error
            }
        }
    }

    /// Writes `data` beside `path` under a temporary name and renames it into place (removed
    /// again if the process is interrupted before that).
    static func writeFile(_ data: Data, to path: String) throws {
        let file = try S3TemporaryFile(beside: URL(fileURLWithPath: path))
        InterruptCleanup.shared.remember(file.url.path)
        defer { InterruptCleanup.shared.forget(file.url.path) }
        do {
            try file.write(data)
            try file.commit(to: URL(fileURLWithPath: path))
        } catch {
            file.discard()
            throw error
        }
    }

    /// The SHA-1 and size of a regular file, nil if there is none (or it cannot be read).
    static func fileSHA1(_ path: String) -> (digest: String, size: UInt64)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let digest = Digest(.sha1)
        let buffer = ByteBuffer(capacity: 1 << 20)
        var size: UInt64 = 0
        while true {
            let n = read(fd, buffer.base, buffer.capacity)
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            digest.update(UnsafeRawBufferPointer(start: buffer.base, count: n))
            size += UInt64(n)
        }
        return (digest.finalize().hexString, size)
    }
}

/// Runs blocking work (a pipeline that waits on pipes and threads) on a thread of its own, so
/// that it does not hold one of the few threads of the Swift concurrency pool that the S3
/// transfers feeding it run on.
enum BlockingWork {
    static func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }
}
