import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension S3Client {
    /// GET object into a file. The bytes go to a temporary file beside `destination`, which
    /// replaces `destination` only when every byte arrived: as many as `Content-Length` and
    /// the listing said, the ETag unchanged since the listing (else the object was replaced),
    /// and, when the ETag is a plain MD5, the MD5 matching; a mismatch is retried. A failed
    /// download leaves nothing behind. The object is held in memory once (bundle parts are
    /// 10 MiB; the transport caps a body's size).
    ///
    /// - Parameters:
    ///   - expected: the object's info if the caller has it (from a listing).
    ///   - progress: called with the bytes written, once the object is complete.
    @discardableResult
    public func getObject(_ bucket: String, _ key: String, to destination: URL,
                          expected: S3ObjectInfo? = nil,
                          progress: (@Sendable (Int64) -> Void)? = nil) async throws -> S3ObjectInfo {
        let object = try await getObject(bucket, key)
        if let expected {
            let etag = object.info.etag
            if !etag.isEmpty, !expected.etag.isEmpty, etag != expected.etag {
                throw S3Error("\(bucket)/\(key) changed since it was listed (ETag \(expected.etag), now \(etag)); nothing was written")
            }
            guard object.info.size == expected.size else {
                throw S3Error("\(bucket)/\(key) is \(object.info.size) bytes, the listing said \(expected.size); nothing was written")
            }
        }
        let file = try S3TemporaryFile(beside: destination)
        do {
            try file.write(object.data)
            try file.commit(to: destination)
        } catch {
            file.discard()
            throw error
        }
        progress?(Int64(object.data.count))
        return object.info
    }
}

/// A file written beside its destination and renamed over it when complete, so that readers
/// never see a partial file and a failure leaves only what was there before.
final class S3TemporaryFile {
    let url: URL
    private let handle: FileHandle

    init(beside destination: URL) throws {
        let directory = destination.deletingLastPathComponent()
        let name = ".\(destination.lastPathComponent).euca-partial-\(UInt32.random(in: 0...UInt32.max))"
        url = directory.appendingPathComponent(name)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw S3Error("cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    func write(_ data: Data) throws {
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw S3Error("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    func commit(to destination: URL) throws {
        try? handle.close()
        guard rename(url.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw S3Error("cannot rename \(url.path) to \(destination.path): \(reason)")
        }
    }

    func discard() {
        try? handle.close()
        unlink(url.path)
    }
}
