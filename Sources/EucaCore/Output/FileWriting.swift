import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes every byte to a descriptor, continuing after short writes and EINTR. Returns nil on
/// success, or the errno of the failure.
public func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}

/// The text of an errno value, with the one case users meet most spelled plainly.
public func errorText(_ code: Int32) -> String {
    code == ENOSPC ? "no space left on the device" : String(cString: strerror(code))
}

/// Files that are complete or absent: written under a temporary name beside the target with
/// their final mode from the moment they exist (a private key is never readable by others,
/// not even briefly), flushed, then renamed into place.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t = 0o666) throws(WriteError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        // O_EXCL: never write through something already at the temporary name (a symlink
        // planted there, say); a stale file of our own from a crashed run is removed first.
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw WriteError(path: path, reason: errorText(errno)) }
        var failure = writeAll(fd, bytes)
        if failure == nil && fsync(fd) != 0 { failure = errno }
        if close(fd) != 0 && failure == nil { failure = errno }
        if failure == nil && rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: errorText(failure))
        }
    }

    public static func write(_ data: Data, to path: String, mode: mode_t = 0o666) throws(WriteError) {
        var failure: WriteError?
        data.withUnsafeBytes { buffer in
            do throws(WriteError) { try write(buffer, to: path, mode: mode) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}
