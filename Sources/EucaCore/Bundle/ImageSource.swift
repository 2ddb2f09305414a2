import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The image being bundled: a file (regular or block device) read with `pread`, or a pipe
/// (standard input) read as it comes, of a size known in advance.
///
/// Sparse files are read without reading their holes: `lseek(SEEK_DATA/ImageSource.seekHole)` finds the
/// allocated stretches, and a hole is produced as zeros in memory. (The zeros still flow on
/// through tar, SHA-1 and gzip: the bundle must not depend on how the file was stored.)
final class ImageSource {
    let path: String
    let size: UInt64
    /// Bytes the file occupies on disk (for sparse files less than `size`); nil if unknown.
    let allocatedBytes: UInt64?
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let seekable: Bool
    private var offset: UInt64 = 0
    private var dataEnd: UInt64 = 0
    private var holeEnd: UInt64 = 0
    private var sparseLookups = true
    /// Linux's SEEK_DATA and SEEK_HOLE (Glibc hides them without _GNU_SOURCE).
    static let seekData: Int32 = 3
    static let seekHole: Int32 = 4

    /// Opens a file; `declaredSize` is required for pipes and character devices.
    init(path: String, declaredSize: UInt64? = nil) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BundleError("cannot open the image \(path): \(systemError())") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = systemError()
            close(fd)
            throw BundleError("cannot read the image \(path): \(message)")
        }
        descriptor = fd
        ownsDescriptor = true
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            size = declaredSize ?? UInt64(info.st_size)
            allocatedBytes = UInt64(info.st_blocks) * 512
            seekable = true
            if let declaredSize, declaredSize != UInt64(info.st_size) {
                close(fd)
                throw BundleError("--image-size \(declaredSize) does not match the size of \(path) (\(info.st_size) bytes)")
            }
        case S_IFBLK:
            let end = lseek(fd, 0, SEEK_END)
            size = declaredSize ?? UInt64(max(end, 0))
            allocatedBytes = nil
            seekable = true
            sparseLookups = false
        case S_IFDIR:
            close(fd)
            throw BundleError("the image \(path) is a directory")
        default:
            guard let declaredSize else {
                close(fd)
                throw BundleError("the size of \(path) cannot be known in advance; give it with --image-size")
            }
            size = declaredSize
            allocatedBytes = nil
            seekable = false
            sparseLookups = false
        }
    }

    /// Standard input (or any open descriptor) of a declared size; the descriptor stays open.
    init(descriptor: Int32, name: String, size: UInt64) {
        path = name
        self.size = size
        allocatedBytes = nil
        self.descriptor = descriptor
        ownsDescriptor = false
        seekable = false
        sparseLookups = false
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    var bytesRead: UInt64 { offset }

    /// Fills `buffer` with the next `min(buffer.count, size - bytesRead)` bytes; returns that
    /// count. Input that ends early is an error.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = Int(min(UInt64(buffer.count), size - offset))
        var filled = 0
        while filled < want {
            let destination = buffer.baseAddress! + filled
            var count = want - filled
            if sparseLookups {
                if offset >= holeEnd && offset >= dataEnd { locateData() }
                if offset < holeEnd {
                    count = Int(min(UInt64(count), holeEnd - offset))
                    memset(destination, 0, count)
                    filled += count
                    offset += UInt64(count)
                    continue
                }
                if offset < dataEnd { count = Int(min(UInt64(count), dataEnd - offset)) }
            }
            let n = seekable ? pread(descriptor, destination, count, off_t(offset))
                : Glibc.read(descriptor, destination, count)
            if n < 0 {
                if errno == EINTR { continue }
                throw BundleError("cannot read the image \(path): \(systemError())")
            }
            if n == 0 {
                throw BundleError("the image \(path) ended after \(offset) of \(size) bytes"
                    + (seekable ? " (did it change while being bundled?)" : ""))
            }
            filled += n
            offset += UInt64(n)
        }
        return want
    }

    /// After the last byte: a pipe must have nothing more to give.
    func checkAtEnd() throws {
        guard !seekable else { return }
        var byte: UInt8 = 0
        while true {
            let n = Glibc.read(descriptor, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n > 0 {
                throw BundleError("the input is larger than the --image-size of \(size) bytes")
            }
            return
        }
    }

    /// Classifies the stretch at `offset`: a hole up to `holeEnd`, or data up to `dataEnd`.
    private func locateData() {
        let data = lseek(descriptor, off_t(offset), ImageSource.seekData)
        if data < 0 {
            if errno == ENXIO {
                holeEnd = size  // nothing but hole from here to the end
            } else {
                sparseLookups = false  // not supported here: read everything
            }
            return
        }
        if UInt64(data) > offset {
            holeEnd = min(UInt64(data), size)
            return
        }
        let hole = lseek(descriptor, off_t(offset), ImageSource.seekHole)
        dataEnd = hole > Int(offset) ? UInt64(hole) : size
    }
}
