/// Writes a tar archive holding one regular file, streaming, exactly as euca2ools (Python's
/// tarfile in GNU format) does: GNU headers (`ustar  \0` magic), mode 0644, uid/gid 0, mtime 0,
/// empty user and group names, the data padded to 512 bytes, two zero blocks, and zeros up to a
/// multiple of the 10240-byte record. A size of 8 GiB or more does not fit the 11 octal digits
/// of the size field and is written in GNU base-256 form, which GNU tar, bsdtar and Python's
/// tarfile all read; a name longer than 100 bytes gets a GNU `././@LongLink` header first.
///
/// Push the file's bytes with `write`, then call `finish()`; the archive goes to `output` in
/// pieces as it is produced.
public final class TarWriter {
    public static let blockSize = 512
    public static let recordSize = 10240
    /// The largest size the octal size field holds (8 GiB - 1).
    public static let largestOctalSize: UInt64 = (1 << 33) - 1

    public let name: String
    public let size: UInt64
    private let output: (UnsafeRawBufferPointer) throws -> Void
    private var written: UInt64 = 0
    private var headerBytes = 0
    private var finished = false

    public init(name: String, size: UInt64,
                output: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        self.name = name
        self.size = size
        self.output = output
        let header = try TarWriter.header(name: name, size: size)
        headerBytes = header.count
        try header.withUnsafeBytes { try output($0) }
    }

    /// Appends file content; more than `size` bytes in total is an error.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!finished, "TarWriter.write after finish")
        guard UInt64(bytes.count) <= size - written else {
            throw TarError("more data than the \(size) bytes announced in the tar header")
        }
        written += UInt64(bytes.count)
        if !bytes.isEmpty { try output(bytes) }
    }

    /// Pads and ends the archive; fewer than `size` bytes written is an error.
    public func finish() throws {
        precondition(!finished, "TarWriter.finish called twice")
        finished = true
        guard written == size else {
            throw TarError("only \(written) of the \(size) bytes announced in the tar header were written")
        }
        let zeros = [UInt8](repeating: 0, count: TarWriter.trailerCount(headerCount: headerBytes, size: size))
        try zeros.withUnsafeBytes { try output($0) }
    }

    // MARK: - Layout

    /// The header block(s) that precede the data of a member named `name` of `size` bytes.
    public static func header(name: String, size: UInt64) throws -> [UInt8] {
        let nameBytes = Array(name.utf8)
        guard !nameBytes.isEmpty, !nameBytes.contains(0) else {
            throw TarError("a tar member name must be non-empty and contain no NUL: \(quoted(name))")
        }
        var out: [UInt8] = []
        if nameBytes.count > 100 {
            // GNU long name: a pseudo-member "././@LongLink" of type L whose data is the name
            // with a terminating NUL, then the real header with the name cut to 100 bytes.
            let data = nameBytes + [0]
            out += block(name: Array("././@LongLink".utf8), size: UInt64(data.count), type: UInt8(ascii: "L"),
                         mode: 0o644)
            out += data
            out += [UInt8](repeating: 0, count: padding(UInt64(data.count)))
        }
        out += block(name: Array(nameBytes.prefix(100)), size: size, type: UInt8(ascii: "0"), mode: 0o644)
        return out
    }

    /// Bytes after the data: padding to 512, two zero blocks, zeros to the end of the record.
    public static func trailerCount(headerCount: Int, size: UInt64) -> Int {
        let pad = padding(size)
        let total = UInt64(headerCount) + size + UInt64(pad) + UInt64(2 * blockSize)
        let recordPad = Int((UInt64(recordSize) - total % UInt64(recordSize)) % UInt64(recordSize))
        return pad + 2 * blockSize + recordPad
    }

    /// The size of the whole archive for one member.
    public static func archiveSize(name: String, size: UInt64) throws -> UInt64 {
        let headerCount = try header(name: name, size: size).count
        return UInt64(headerCount) + size + UInt64(trailerCount(headerCount: headerCount, size: size))
    }

    static func padding(_ count: UInt64) -> Int {
        Int((UInt64(blockSize) - count % UInt64(blockSize)) % UInt64(blockSize))
    }

    static func block(name: [UInt8], size: UInt64, type: UInt8, mode: Int) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: [UInt8], at offset: Int) {
            for (index, byte) in bytes.enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: UInt64, digits: Int) -> [UInt8] {
            let text = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, digits - text.count)) + text).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(UInt64(mode), digits: 7), at: 100)
        put(octal(0, digits: 7), at: 108)  // uid
        put(octal(0, digits: 7), at: 116)  // gid
        if size <= largestOctalSize {
            put(octal(size, digits: 11), at: 124)
        } else {
            // GNU base-256: 0x80, then the value big-endian in the remaining 11 bytes.
            header[124] = 0x80
            var value = size
            for index in stride(from: 135, to: 124, by: -1) {
                header[index] = UInt8(value & 0xFF)
                value >>= 8
            }
        }
        put(octal(0, digits: 11), at: 136)  // mtime
        header[156] = type
        put(Array("ustar  ".utf8) + [0], at: 257)  // GNU magic and version
        put(octal(0, digits: 7), at: 329)  // devmajor
        put(octal(0, digits: 7), at: 337)  // devminor
        // Checksum: the byte sum with the field itself counted as spaces, as "%06o\0 ".
        for index in 148..<156 { header[index] = 0x20 }
        let sum = header.reduce(0) { $0 + Int($1) }
        put(octal(UInt64(sum), digits: 6), at: 148)
        header[155] = 0x20
        return header
    }
}

/// A malformed or unexpected tar stream.
public struct TarError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
