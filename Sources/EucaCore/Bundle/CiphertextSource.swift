import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the encrypted bundle comes from when unbundling.
protocol CiphertextSource: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 at the end. Throws on a part whose SHA-1 does not
    /// match the manifest, naming it, as soon as that part has been read.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// After a failure further down the pipeline: reads on without passing anything along, to
    /// find out whether a corrupt part was the cause. Returns that part's error, if any.
    func findCorruptPart() -> Error?
    var bytesRead: UInt64 { get }
}

/// The parts listed in a manifest, read in order from a directory, each checked against its
/// SHA-1 as it ends.
final class PartFilesSource: CiphertextSource {
    struct Entry {
        var path: String
        var digest: String
    }

    private let entries: [Entry]
    private var index = 0
    private var descriptor: Int32 = -1
    private let digest = Digest(.sha1)
    private(set) var bytesRead: UInt64 = 0

    /// Checks up front that every part exists, so that a missing one is reported before
    /// anything is written.
    init(manifest: BundleManifest, directory: String) throws {
        entries = manifest.parts.map {
            Entry(path: (directory as NSString).appendingPathComponent($0.filename), digest: $0.digest)
        }
        var total: UInt64 = 0
        for entry in entries {
            var info = stat()
            guard stat(entry.path, &info) == 0 else {
                throw BundleError("bundle part \(quoted(entry.path)) does not exist; you may need to use -s to specify where to find the bundle's parts")
            }
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw BundleError("bundle part \(quoted(entry.path)) is not a regular file")
            }
            total += UInt64(info.st_size)
        }
        if total != manifest.bundledSize {
            // Not fatal by itself (a part's SHA-1 says which one is wrong), but worth knowing.
            self.sizeMismatch = (total, manifest.bundledSize)
        }
    }

    /// The parts' total size and the manifest's bundled_size, when they differ.
    private(set) var sizeMismatch: (UInt64, UInt64)?

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while index < entries.count {
            if descriptor < 0 {
                descriptor = open(entries[index].path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    throw BundleError("cannot open bundle part \(entries[index].path): \(systemError())")
                }
            }
            let n = Glibc.read(descriptor, buffer.baseAddress!, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw BundleError("cannot read bundle part \(entries[index].path): \(systemError())")
            }
            if n > 0 {
                digest.update(UnsafeRawBufferPointer(start: buffer.baseAddress!, count: n))
                bytesRead += UInt64(n)
                return n
            }
            try endPart()
        }
        return 0
    }

    private func endPart() throws {
        close(descriptor)
        descriptor = -1
        let entry = entries[index]
        index += 1
        let actual = digest.finalize().hexString
        guard actual == entry.digest else {
            let error = BundleError("bundle part \(quoted(entry.path)) is corrupt: its SHA-1 is \(actual), the manifest says \(entry.digest)")
            corruptPart = error
            throw error
        }
    }

    private var corruptPart: BundleError?

    func findCorruptPart() -> Error? {
        if let corruptPart { return corruptPart }
        let scratch = ByteBuffer(capacity: 1 << 20)
        do {
            while try read(into: scratch.whole) > 0 {}
        } catch {
            return error
        }
        return nil
    }
}

/// Ciphertext from a descriptor (standard input): the parts concatenated.
final class StreamSource: CiphertextSource {
    private let descriptor: Int32
    private let name: String
    private(set) var bytesRead: UInt64 = 0

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress!, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw BundleError("cannot read \(name): \(systemError())")
            }
            bytesRead += UInt64(n)
            return n
        }
    }

    func findCorruptPart() -> Error? { nil }
}
