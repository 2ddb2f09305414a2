/// Reads a tar stream holding one regular file, streaming: push bytes with `consume`, which
/// hands the file's content to a closure as slices of the input (no copy), then `finish()`.
///
/// Every header is checked (checksum, size field, type), so a stream that is not a tar archive
/// or was decrypted with the wrong key fails on its first 512 bytes. Accepted: ustar, GNU and
/// v7 headers, octal or GNU base-256 size fields, GNU long names (`L`) and pax extended headers
/// (`x`, whose `size` and `path` records override the header; `g` is skipped). Anything but one
/// regular file — a directory, a link, a second member — is an error, as is data after the end.
public final class TarReader {
    /// The member's name and size, known once its header has been read.
    public private(set) var member: (name: String, size: UInt64)?

    private enum State {
        case header
        case longName(remaining: Int)
        case pax(remaining: Int, global: Bool)
        case skipPadding(remaining: Int, then: AfterPadding)
        case data(remaining: UInt64)
        case end
    }

    private enum AfterPadding {
        case header
        case end
    }

    private var state: State = .header
    private var block = [UInt8]()
    private var extended = [UInt8]()
    private var pendingName: String?
    private var pendingSize: UInt64?

    static let maximumExtendedHeader = 1 << 20

    public init() {
        block.reserveCapacity(TarWriter.blockSize)
    }

    public func consume(_ input: UnsafeRawBufferPointer,
                        content: (UnsafeRawBufferPointer) throws -> Void) throws {
        var offset = 0
        while offset < input.count {
            let rest = UnsafeRawBufferPointer(rebasing: input[offset...])
            switch state {
            case .data(let remaining):
                let take = Int(min(UInt64(rest.count), remaining))
                try content(UnsafeRawBufferPointer(rebasing: rest[..<take]))
                offset += take
                let left = remaining - UInt64(take)
                if left == 0 {
                    let pad = TarWriter.padding(member!.size)
                    state = pad > 0 ? .skipPadding(remaining: pad, then: .header) : .header
                } else {
                    state = .data(remaining: left)
                }
            case .skipPadding(let remaining, let then):
                let take = min(rest.count, remaining)
                // Padding is zeros in every archive we know of; anything else is corruption.
                guard ZeroBytes.allZero(UnsafeRawBufferPointer(rebasing: rest[..<take])) else {
                    throw TarError("the tar padding after the file's data is not zeros")
                }
                offset += take
                if take == remaining {
                    state = then == .header ? .header : .end
                } else {
                    state = .skipPadding(remaining: remaining - take, then: then)
                }
            case .longName(let remaining), .pax(let remaining, _):
                let take = min(rest.count, remaining)
                extended.append(contentsOf: rest[..<take])
                offset += take
                if take < remaining {
                    if case .pax(_, let global) = state {
                        state = .pax(remaining: remaining - take, global: global)
                    } else {
                        state = .longName(remaining: remaining - take)
                    }
                } else {
                    let pad = TarWriter.padding(UInt64(extended.count))
                    try finishExtended()
                    state = pad > 0 ? .skipPadding(remaining: pad, then: .header) : .header
                }
            case .header:
                let take = min(rest.count, TarWriter.blockSize - block.count)
                block.append(contentsOf: rest[..<take])
                offset += take
                if block.count == TarWriter.blockSize {
                    try parseHeader()
                    block.removeAll(keepingCapacity: true)
                }
            case .end:
                guard ZeroBytes.allZero(rest) else {
                    throw TarError("the bundle's archive holds more than one file, or data after its end")
                }
                offset = input.count
            }
        }
    }

    /// Checks that the stream ended after the whole file (the end-of-archive blocks may be
    /// missing, as GNU tar tolerates) and returns the member.
    @discardableResult
    public func finish() throws -> (name: String, size: UInt64) {
        switch state {
        case .end:
            return member!
        case .header:
            guard let member else {
                throw TarError(block.isEmpty && pendingName == nil && pendingSize == nil
                    ? "the archive is empty" : "the archive ends inside a header")
            }
            guard block.allSatisfy({ $0 == 0 }) else { throw TarError("the archive ends inside a header") }
            return member
        case .data(let remaining):
            throw TarError("the archive ends \(remaining) bytes before the end of the file it holds (truncated)")
        default:
            throw TarError("the archive is truncated")
        }
    }

    // MARK: - Headers

    private func parseHeader() throws {
        if block.allSatisfy({ $0 == 0 }) {
            if member != nil || pendingName == nil {
                if member == nil { throw TarError("the archive holds no file") }
                state = .end
                return
            }
            throw TarError("the archive ends after an extended header")
        }
        guard member == nil else {
            throw TarError("the bundle's archive holds more than one file")
        }
        try verifyChecksum()
        let type = block[156]
        let size = try parseSize()
        switch type {
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
            let name = pendingName ?? headerName()
            let fileSize = pendingSize ?? size
            member = (name, fileSize)
            pendingName = nil
            pendingSize = nil
            if fileSize == 0 {
                state = .header
            } else {
                state = .data(remaining: fileSize)
            }
        case UInt8(ascii: "L"):
            guard size > 0, size <= 65536 else { throw TarError("a GNU long name of \(size) bytes is not plausible") }
            extended.removeAll(keepingCapacity: true)
            state = .longName(remaining: Int(size))
        case UInt8(ascii: "x"), UInt8(ascii: "g"):
            guard size <= UInt64(TarReader.maximumExtendedHeader) else {
                throw TarError("a pax header of \(size) bytes is not plausible")
            }
            extended.removeAll(keepingCapacity: true)
            if size == 0 {
                state = .header
            } else {
                state = .pax(remaining: Int(size), global: type == UInt8(ascii: "g"))
            }
        default:
            throw TarError("the bundle's archive holds a \(TarReader.describe(type)), not a regular file")
        }
    }

    private func finishExtended() throws {
        switch state {
        case .longName:
            var bytes = extended
            while bytes.last == 0 { bytes.removeLast() }
            pendingName = String(decoding: bytes, as: UTF8.self)
        case .pax(_, let global):
            if !global { try parsePax() }
        default:
            break
        }
        extended.removeAll(keepingCapacity: true)
    }

    /// pax records: "LENGTH KEY=VALUE\n"; only `size` and `path` matter here.
    private func parsePax() throws {
        var index = 0
        while index < extended.count {
            var length = 0
            var cursor = index
            while cursor < extended.count, extended[cursor] != UInt8(ascii: " ") {
                let digit = extended[cursor]
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9"), length < 1 << 24 else {
                    throw TarError("malformed pax header record")
                }
                length = length * 10 + Int(digit - UInt8(ascii: "0"))
                cursor += 1
            }
            guard length > 0, index + length <= extended.count, cursor < index + length,
                  extended[index + length - 1] == UInt8(ascii: "\n") else {
                throw TarError("malformed pax header record")
            }
            let record = extended[(cursor + 1)..<(index + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: record[..<equals], as: UTF8.self)
                let value = String(decoding: record[(equals + 1)...], as: UTF8.self)
                switch key {
                case "size":
                    guard let size = UInt64(value) else { throw TarError("malformed pax size \(quoted(value))") }
                    pendingSize = size
                case "path":
                    pendingName = value
                default:
                    break
                }
            }
            index += length
        }
    }

    private func verifyChecksum() throws {
        guard let recorded = TarReader.octal(block[148..<156]) else {
            throw TarError("not a tar archive (no valid header checksum): wrong key, or a corrupt bundle")
        }
        var unsigned = 0
        var signed = 0
        for (index, byte) in block.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : byte
            unsigned += Int(value)
            signed += Int(Int8(bitPattern: value))
        }
        guard UInt64(unsigned) == recorded || Int64(signed) == Int64(recorded) else {
            throw TarError("not a tar archive (header checksum mismatch): wrong key, or a corrupt bundle")
        }
    }

    private func parseSize() throws -> UInt64 {
        let field = block[124..<136]
        if let first = field.first, first & 0x80 != 0 {
            guard first == 0x80 else { throw TarError("negative size in tar header") }
            var value: UInt64 = 0
            for byte in field.dropFirst() {
                guard value >> 56 == 0 else { throw TarError("tar size field overflows") }
                value = value << 8 | UInt64(byte)
            }
            return value
        }
        guard let value = TarReader.octal(field) else { throw TarError("malformed size field in tar header") }
        return value
    }

    private func headerName() -> String {
        func field(_ range: Range<Int>) -> [UInt8] {
            Array(block[range].prefix { $0 != 0 })
        }
        var name = field(0..<100)
        // POSIX ustar splits long names into prefix "/" name; GNU uses those bytes otherwise.
        if block[257..<263].elementsEqual(Array("ustar".utf8) + [0]) {
            let prefix = field(345..<500)
            if !prefix.isEmpty { name = prefix + [UInt8(ascii: "/")] + name }
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// An octal number padded with spaces or NULs; nil if anything else is in the field.
    static func octal(_ field: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        var seenDigit = false
        var ended = false
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                if ended { return nil }
                guard value >> 60 == 0 else { return nil }
                value = value * 8 + UInt64(byte - UInt8(ascii: "0"))
                seenDigit = true
            case UInt8(ascii: " "), 0:
                if seenDigit { ended = true }
            default:
                return nil
            }
        }
        return seenDigit ? value : nil
    }

    static func describe(_ type: UInt8) -> String {
        switch type {
        case UInt8(ascii: "1"): return "hard link"
        case UInt8(ascii: "2"): return "symbolic link"
        case UInt8(ascii: "3"): return "character device"
        case UInt8(ascii: "4"): return "block device"
        case UInt8(ascii: "5"): return "directory"
        case UInt8(ascii: "6"): return "FIFO"
        case UInt8(ascii: "S"): return "GNU sparse file"
        default: return "member of type \(quoted(String(UnicodeScalar(type))))"
        }
    }
}
