import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One bundle part on disk.
public struct BundlePartFile: Sendable, Equatable {
    public var path: String
    public var filename: String
    public var size: UInt64
    /// Lowercase hex SHA-1.
    public var digest: String
}

/// Splits a byte stream into part files of exactly `partSize` bytes (the last one shorter),
/// named `PREFIX.part.NN` with at least two digits, each with its SHA-1.
final class PartWriter {
    let directory: String
    let prefix: String
    let partSize: Int
    private(set) var parts: [BundlePartFile] = []
    private var descriptor: Int32 = -1
    private var currentPath = ""
    private var currentSize = 0
    private let digest = Digest(.sha1)
    private(set) var totalBytes: UInt64 = 0
    /// Called with each part as soon as it is complete (closed); may block to hold the writer
    /// back, and a failure it throws fails the bundle.
    var completed: ((BundlePartFile) throws -> Void)?

    init(directory: String, prefix: String, partSize: Int) {
        precondition(partSize > 0)
        self.directory = directory
        self.prefix = prefix
        self.partSize = partSize
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    static func filename(prefix: String, index: Int) -> String {
        prefix + ".part." + (index < 10 ? "0\(index)" : "\(index)")
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            if descriptor < 0 { try openNext() }
            let count = min(bytes.count - offset, partSize - currentSize)
            let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
            try writeAll(piece)
            digest.update(piece)
            currentSize += count
            totalBytes += UInt64(count)
            offset += count
            if currentSize == partSize { try closeCurrent() }
        }
    }

    /// Closes the last part; returns all parts.
    func finish() throws -> [BundlePartFile] {
        if descriptor >= 0 { try closeCurrent() }
        return parts
    }

    /// Deletes every part written (after a failure).
    func removeFiles() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
            unlink(currentPath)
            InterruptCleanup.shared.forget(currentPath)
        }
        for part in parts {
            unlink(part.path)
            InterruptCleanup.shared.forget(part.path)
        }
        parts.removeAll()
    }

    private func openNext() throws {
        let name = PartWriter.filename(prefix: prefix, index: parts.count)
        currentPath = (directory as NSString).appendingPathComponent(name)
        InterruptCleanup.shared.remember(currentPath)
        descriptor = open(currentPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            InterruptCleanup.shared.forget(currentPath)
            throw BundleError("cannot create \(currentPath): \(systemError())")
        }
        currentSize = 0
    }

    private func closeCurrent() throws {
        let fd = descriptor
        descriptor = -1
        if close(fd) != 0 {
            unlink(currentPath)
            throw BundleError("cannot write \(currentPath): \(systemError())")
        }
        parts.append(BundlePartFile(path: currentPath, filename: (currentPath as NSString).lastPathComponent,
                                    size: UInt64(currentSize), digest: digest.finalize().hexString))
        try completed?(parts[parts.count - 1])
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        if let failure = EucaCore.writeAll(descriptor, bytes) {
            throw BundleError("cannot write \(currentPath): \(errorText(failure))")
        }
    }
}
