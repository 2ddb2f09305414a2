import CZlib
import Foundation

/// Streaming gzip decompression: zlib's raw inflate inside a gzip layer of our own (header,
/// CRC-32 and length trailer, several members in a row as `cat a.gz b.gz` makes).
///
/// Anything after the last member that is not another member is an error, and so is a stream
/// that stops before its end (see `finish()`). The CRC and length of every member are checked.
///
/// One shortcut, for streams made by `ParallelGzipCompressor`: there, a block of zeros after
/// 32 KiB of zeros always compresses to the same bytes, and blocks start byte-aligned. When
/// inflate stands at such a boundary, the last 32 KiB of output are zeros and the next input
/// bytes are exactly that compressed block, its output is known without decoding it — zeros —
/// and it is skipped. This is exact, not a guess: decoding is deterministic, and those bytes
/// decode to those zeros from that window. Inflating runs of zeros is slow (zlib copies them a
/// byte at a time); skipping makes the empty stretches of large sparse images nearly free.
public final class GzipDecompressor {
    /// A compressed block known to decode to `count` zeros after a window of zeros.
    struct ZeroBlock {
        var compressed: [UInt8]
        var count: Int
        var crc: UInt
    }

    private enum Phase {
        case header
        case body
        case trailer
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private let zeroBlocks: [ZeroBlock]
    private var phase: Phase = .header
    private var header: [UInt8] = []
    private var trailer: [UInt8] = []
    private var crc: UInt = 0
    private var memberSize: UInt64 = 0
    private var membersCompleted = 0
    private var sawInput = false
    private var pendingZeros = 0
    private var trailingZeros = 0
    private var atBlockBoundary = false
    private var outputMayBePending = false
    private var scratch: ByteBuffer?

    /// Bytes of decompressed output so far.
    public private(set) var outputCount: UInt64 = 0
    /// Bytes of output that came from skipped blocks of zeros (for tests and statistics).
    public private(set) var skippedZeroBytes: UInt64 = 0

    public convenience init() {
        self.init(zeroBlocks: [GzipDecompressor.defaultZeroBlock])
    }

    init(zeroBlocks: [ZeroBlock]) {
        self.zeroBlocks = zeroBlocks.filter { !$0.compressed.isEmpty }
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "inflateInit2 failed (\(status)): out of memory")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// What ParallelGzipCompressor makes of a default-sized block of zeros.
    static let defaultZeroBlock: ZeroBlock = {
        let count = ParallelGzipCompressor.Configuration().blockSize
        let block = Deflater(level: ParallelGzipCompressor.Configuration().level).zeroBlock(count: count)
        let compressed = withExtendedLifetime(block) { Array(block.bytes) }
        let zeros = [UInt8](repeating: 0, count: count)
        let crc = zeros.withUnsafeBufferPointer { crc32_z(0, $0.baseAddress, count) }
        return ZeroBlock(compressed: compressed, count: count, crc: crc)
    }()

    /// Decompresses from `input` into `output` as far as either allows; returns how many input
    /// bytes were used and how many output bytes were written. Call again with the rest of the
    /// input, and — when `output` came back full — with more room even if no input is left.
    public func decompress(_ input: UnsafeRawBufferPointer,
                           into output: UnsafeMutableRawBufferPointer) throws -> (consumed: Int, produced: Int) {
        guard let outputBase = output.baseAddress, !output.isEmpty else { return (0, 0) }
        if !input.isEmpty { sawInput = true }
        var consumed = 0
        var produced = 0
        loop: while produced < output.count {
            if pendingZeros > 0 {
                let count = min(pendingZeros, output.count - produced)
                memset(outputBase + produced, 0, count)
                produced += count
                pendingZeros -= count
                continue
            }
            switch phase {
            case .header:
                guard consumed < input.count else { break loop }
                header.append(input.load(fromByteOffset: consumed, as: UInt8.self))
                consumed += 1
                if try parseHeader() {
                    phase = .body
                    header.removeAll(keepingCapacity: true)
                    guard inflateReset(stream) == Z_OK else { throw GzipError("inflateReset failed") }
                    crc = 0
                    memberSize = 0
                    trailingZeros = 0
                    atBlockBoundary = false
                    outputMayBePending = false
                }
            case .trailer:
                guard consumed < input.count else { break loop }
                let take = min(8 - trailer.count, input.count - consumed)
                trailer.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[consumed..<(consumed + take)]))
                consumed += take
                if trailer.count == 8 {
                    let storedCRC = trailer[0..<4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
                    let storedSize = trailer[4..<8].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
                    guard storedCRC == UInt32(truncatingIfNeeded: crc) else {
                        throw GzipError("corrupt compressed data (CRC-32 mismatch)")
                    }
                    guard storedSize == UInt32(truncatingIfNeeded: memberSize) else {
                        throw GzipError("corrupt compressed data (length mismatch)")
                    }
                    trailer.removeAll(keepingCapacity: true)
                    membersCompleted += 1
                    phase = .header
                }
            case .body:
                let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
                if atBlockBoundary, trailingZeros >= ParallelGzipCompressor.dictionarySize,
                   let block = zeroBlocks.first(where: { block in
                       rest.count >= block.compressed.count && block.compressed.withUnsafeBytes {
                           memcmp(rest.baseAddress!, $0.baseAddress!, $0.count) == 0
                       }
                   }) {
                    consumed += block.compressed.count
                    pendingZeros = block.count
                    crc = crc32_combine(crc, block.crc, block.count)
                    memberSize += UInt64(block.count)
                    outputCount += UInt64(block.count)
                    skippedZeroBytes += UInt64(block.count)
                    trailingZeros += block.count
                    continue
                }
                if rest.isEmpty && !outputMayBePending { break loop }
                let room = UnsafeMutableRawBufferPointer(start: outputBase + produced, count: output.count - produced)
                let (used, made, status) = inflateStep(rest, into: room)
                consumed += used
                if made > 0 {
                    let piece = UnsafeRawBufferPointer(start: outputBase + produced, count: made)
                    crc = crc32_z(crc, piece.baseAddress!.bindMemory(to: UInt8.self, capacity: made), made)
                    memberSize += UInt64(made)
                    outputCount += UInt64(made)
                    noteTrailingZeros(piece)
                    produced += made
                }
                outputMayBePending = made == room.count
                switch status {
                case Z_STREAM_END:
                    phase = .trailer
                    atBlockBoundary = false
                case Z_OK, Z_BUF_ERROR:
                    let type = stream.pointee.data_type
                    atBlockBoundary = type & 128 != 0 && type & 64 == 0 && type & 7 == 0
                    if used == 0 && made == 0 && !atBlockBoundary { break loop }
                    if used == 0 && made == 0 && rest.isEmpty { break loop }
                case Z_DATA_ERROR:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                    throw GzipError("corrupt compressed data (\(reason))")
                case Z_MEM_ERROR:
                    throw GzipError("out of memory while decompressing")
                default:
                    throw GzipError("corrupt compressed data (inflate status \(status))")
                }
            }
        }
        return (consumed, produced)
    }

    /// One call of raw inflate that stops at the next block boundary.
    private func inflateStep(_ input: UnsafeRawBufferPointer,
                             into output: UnsafeMutableRawBufferPointer) -> (Int, Int, Int32) {
        let inputCount = min(input.count, Int(UInt32.max))
        let outputCount = min(output.count, Int(UInt32.max))
        var placeholder: UInt8 = 0
        let status = withUnsafeMutablePointer(to: &placeholder) { empty -> Int32 in
            stream.pointee.next_in = input.isEmpty
                ? empty : UnsafeMutablePointer(mutating: input.baseAddress!.bindMemory(to: UInt8.self, capacity: input.count))
            stream.pointee.avail_in = uInt(inputCount)
            stream.pointee.next_out = output.baseAddress!.bindMemory(to: UInt8.self, capacity: output.count)
            stream.pointee.avail_out = uInt(outputCount)
            return inflate(stream, Z_BLOCK)
        }
        let used = inputCount - Int(stream.pointee.avail_in)
        let made = outputCount - Int(stream.pointee.avail_out)
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        return (used, made, status)
    }

    private func noteTrailingZeros(_ piece: UnsafeRawBufferPointer) {
        if ZeroBytes.allZero(piece) {
            trailingZeros += piece.count
            return
        }
        var index = piece.count - 1
        while piece[index] == 0 { index -= 1 }
        trailingZeros = piece.count - 1 - index
    }

    /// Whether `header` holds a complete gzip member header (RFC 1952); throws if it cannot be one.
    private func parseHeader() throws -> Bool {
        let bytes = header
        func bad() -> GzipError {
            membersCompleted > 0
                ? GzipError("unexpected data after the end of the compressed stream")
                : GzipError("not gzip data (bad header)")
        }
        if bytes.count >= 1 && bytes[0] != 0x1F { throw bad() }
        if bytes.count >= 2 && bytes[1] != 0x8B { throw bad() }
        if bytes.count >= 3 && bytes[2] != 8 { throw GzipError("unsupported gzip compression method \(bytes[2])") }
        if bytes.count >= 4 && bytes[3] & 0xE0 != 0 { throw GzipError("unsupported gzip header flags") }
        guard bytes.count >= 10 else { return false }
        let flags = bytes[3]
        var index = 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard bytes.count >= index + 2 else { return false }
            index += 2 + Int(bytes[index]) + Int(bytes[index + 1]) << 8
            guard bytes.count >= index else { return false }
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT
            guard let end = bytes[index...].firstIndex(of: 0) else {
                if bytes.count - index > 1 << 16 { throw GzipError("gzip header name or comment too long") }
                return false
            }
            index = end + 1
        }
        if flags & 0x02 != 0 {  // FHCRC
            guard bytes.count >= index + 2 else { return false }
            index += 2
        }
        return bytes.count == index
    }

    /// Decompresses all of `input`, handing the output to `body` in pieces.
    public func decompress(_ input: UnsafeRawBufferPointer,
                           output body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = scratch ?? ByteBuffer(capacity: 256 << 10)
        scratch = buffer
        var offset = 0
        while true {
            let rest = UnsafeRawBufferPointer(rebasing: input[offset...])
            let (consumed, produced) = try decompress(rest, into: buffer.whole)
            offset += consumed
            if produced > 0 { try body(UnsafeRawBufferPointer(start: buffer.base, count: produced)) }
            if offset == input.count && produced < buffer.capacity { break }
            if consumed == 0 && produced == 0 { break }
        }
    }

    /// Succeeds only if the input so far ended exactly at the end of a gzip member.
    public func finish() throws {
        guard sawInput else { throw GzipError("the compressed data is empty") }
        guard phase == .header, header.isEmpty, membersCompleted > 0, pendingZeros == 0 else {
            throw GzipError("the compressed data is truncated")
        }
    }
}
