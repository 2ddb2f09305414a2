import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where an unbundled image goes.
protocol ImageSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// All bytes written and checked: make the image visible.
    func commit() throws
    /// Something failed: leave nothing behind (where possible).
    func abort()
}

/// A new file in a directory, written under a temporary name and renamed into place only once
/// the whole image has been checked, so that a truncated or corrupt image never appears under
/// the real name. Aligned stretches of zeros are skipped rather than written, which leaves them
/// as holes: an unbundled sparse image stays sparse and takes no time to write.
final class ImageFileSink: ImageSink {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var offset: UInt64 = 0
    static let holeGranularity = 64 << 10

    init(directory: String, name: String) throws {
        path = (directory as NSString).appendingPathComponent(name)
        var random: UInt32 = 0
        withUnsafeMutableBytes(of: &random) { _ = try? SecureRandom.bytes(count: 4).copyBytes(to: $0) }
        temporaryPath = (directory as NSString).appendingPathComponent(
            ".\(name).unbundle-\(getpid())-\(String(random, radix: 16))")
        InterruptCleanup.shared.remember(temporaryPath)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            InterruptCleanup.shared.forget(temporaryPath)
            throw BundleError("cannot create a file in \(directory): \(systemError())")
        }
    }

    deinit {
        if descriptor >= 0 { abort() }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var position = 0
        var pendingStart = -1
        while position < bytes.count {
            // Pieces end on file offsets that are multiples of the hole granularity.
            let fileOffset = offset + UInt64(position)
            let boundary = Int(UInt64(ImageFileSink.holeGranularity) - fileOffset % UInt64(ImageFileSink.holeGranularity))
            let count = min(boundary, bytes.count - position)
            // A fresh file reads as zeros wherever nothing was written: skip every zero piece.
            let zero = ZeroBytes.allZero(base + position, count: count)
            if zero {
                if pendingStart >= 0 {
                    try writeAll(base + pendingStart, count: position - pendingStart, at: offset + UInt64(pendingStart))
                    pendingStart = -1
                }
            } else if pendingStart < 0 {
                pendingStart = position
            }
            position += count
        }
        if pendingStart >= 0 {
            try writeAll(base + pendingStart, count: bytes.count - pendingStart, at: offset + UInt64(pendingStart))
        }
        offset += UInt64(bytes.count)
    }

    private func writeAll(_ pointer: UnsafeRawPointer, count: Int, at fileOffset: UInt64) throws {
        var done = 0
        while done < count {
            let n = pwrite(descriptor, pointer + done, count - done, off_t(fileOffset + UInt64(done)))
            if n < 0 {
                if errno == EINTR { continue }
                throw BundleError("cannot write \(path): \(errno == ENOSPC ? "no space left on the device" : systemError())")
            }
            done += n
        }
    }

    func commit() throws {
        // Skipped zeros at the end still count: set the length.
        guard ftruncate(descriptor, off_t(offset)) == 0 else {
            throw BundleError("cannot write \(path): \(systemError())")
        }
        guard close(descriptor) == 0 else {
            descriptor = -1
            throw BundleError("cannot write \(path): \(systemError())")
        }
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            let reason = systemError()
            unlink(temporaryPath)
            InterruptCleanup.shared.forget(temporaryPath)
            throw BundleError("cannot rename the unbundled image to \(path): \(reason)")
        }
        InterruptCleanup.shared.forget(temporaryPath)
    }

    func abort() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
        InterruptCleanup.shared.forget(temporaryPath)
    }
}

/// An open descriptor (standard output): written as it comes; a failure cannot be undone.
final class DescriptorSink: ImageSink {
    private let descriptor: Int32
    private let name: String

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if let failure = writeAll(descriptor, bytes) {
            throw BundleError("cannot write to \(name): \(errorText(failure))")
        }
    }

    func commit() throws {}
    func abort() {}
}
