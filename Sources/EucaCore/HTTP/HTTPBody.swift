import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A request body: bytes in memory (Query API forms, manifests, small objects), or a region of
/// a file streamed from disk as it is sent (bundle parts), so that a request in flight holds
/// one small buffer rather than its whole part. A file body is read again on every attempt,
/// which is what makes it resendable on retry.
public enum HTTPBody: Sendable, Equatable {
    case bytes(Data)
    case file(FileRegion)

    public static let empty = HTTPBody.bytes(Data())

    /// The `Content-Length`.
    public var count: Int64 {
        switch self {
        case .bytes(let data): return Int64(data.count)
        case .file(let region): return region.length
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// The bytes of an in-memory body (empty for a file: signers are given a file's hash).
    public var inMemory: Data {
        if case .bytes(let data) = self { return data }
        return Data()
    }
}

/// `length` bytes of the file at `path` from `offset`.
public struct FileRegion: Sendable, Equatable {
    public var path: String
    public var offset: Int64
    public var length: Int64

    public init(path: String, offset: Int64 = 0, length: Int64) {
        self.path = path
        self.offset = offset
        self.length = length
    }

    /// The whole file, as it is now.
    public static func whole(_ url: URL) throws(FileRegionError) -> FileRegion {
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw FileRegionError(path: url.path, errno: errno) }
        return FileRegion(path: url.path, length: Int64(info.st_size))
    }

    /// Streams the region in pieces of at most `chunkSize` bytes, each handed to `body` in the
    /// same reused buffer. Fails if the file cannot be opened or ends before the region does
    /// (it was truncated after its size was taken): a short body must never be sent as if it
    /// were complete.
    public func forEachChunk<E: Error>(chunkSize: Int = 256 * 1024,
                                       _ body: (UnsafeRawBufferPointer) throws(E) -> Void) throws(FileRegionChunkError<E>) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .file(FileRegionError(path: path, errno: errno)) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, min(chunkSize, Int(max(length, 1)))), alignment: 16)
        defer { buffer.deallocate() }
        var done: Int64 = 0
        while done < length {
            let want = Int(min(Int64(buffer.count), length - done))
            let got = pread(fd, buffer.baseAddress, want, off_t(offset + done))
            if got < 0 {
                if errno == EINTR { continue }
                throw .file(FileRegionError(path: path, errno: errno))
            }
            guard got > 0 else {
                throw .file(FileRegionError(path: path, problem: "ended after \(offset + done) bytes, \(length - done) short of what was to be sent (was it changed?)"))
            }
            do {
                try body(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
            } catch {
                throw .consumer(error)
            }
            done += Int64(got)
        }
    }
}

public struct FileRegionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let problem: String

    init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    init(path: String, errno code: Int32) {
        self.init(path: path, problem: String(cString: strerror(code)))
    }

    public var description: String { "cannot read \(path): \(problem)" }
}

/// A failure while streaming a file region: reading the file, or what was done with a chunk.
public enum FileRegionChunkError<Consumer: Error>: Error {
    case file(FileRegionError)
    case consumer(Consumer)
}
