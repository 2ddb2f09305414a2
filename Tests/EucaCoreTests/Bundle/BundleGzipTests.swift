import Foundation
import Testing
@testable import EucaCore

extension BundleTests {
    @Suite struct GzipTests {
        static let block = 64 << 10

        /// Compresses `input` in uneven writes with small blocks.
        static func compress(_ input: [UInt8], blockSize: Int = block, workers: Int = 2,
                             storeIncompressible: Bool = true) throws -> [UInt8] {
            var out = [UInt8]()
            let compressor = ParallelGzipCompressor(
                configuration: .init(blockSize: blockSize, workers: workers, storeIncompressible: storeIncompressible)) {
                out += $0
            }
            var offset = 0
            var step = 1
            while offset < input.count {
                let count = min(step, input.count - offset)
                try input[offset..<(offset + count)].withUnsafeBytes { try compressor.write($0) }
                offset += count
                step = step * 3 + 7
            }
            try compressor.finish()
            #expect(compressor.uncompressedCount == UInt64(input.count))
            #expect(compressor.compressedCount == UInt64(out.count))
            return out
        }

        static func decompress(_ input: [UInt8], pieces: Int = 100_000) throws -> [UInt8] {
            let gzip = GzipDecompressor()
            var out = [UInt8]()
            var offset = 0
            while offset < input.count {
                let count = min(pieces, input.count - offset)
                try input[offset..<(offset + count)].withUnsafeBytes { try gzip.decompress($0) { out += $0 } }
                offset += count
            }
            try gzip.finish()
            return out
        }

        /// gzip itself must accept the stream and give back the input.
        static func checkWithGzip(_ compressed: [UInt8], equals input: [UInt8]) throws {
            let test = try BundleTestSupport.run(["gzip", "-t"], input: Data(compressed))
            #expect(test.status == 0, "gzip -t: \(test.error)")
            let decompressed = try BundleTestSupport.run(["gzip", "-dc"], input: Data(compressed))
            #expect(decompressed.status == 0, "gzip -dc: \(decompressed.error)")
            #expect(Array(decompressed.output) == input)
        }

        enum Kind: String, CaseIterable, Sendable {
            case random, text, zeros, mixed
        }

        static func data(_ kind: Kind, _ count: Int) -> [UInt8] {
            switch kind {
            case .random: return BundleTestSupport.random(count)
            case .text: return BundleTestSupport.text(count)
            case .zeros: return [UInt8](repeating: 0, count: count)
            case .mixed:
                // Each kind in turn, in stretches that straddle block boundaries.
                var out = [UInt8]()
                var index = 0
                while out.count < count {
                    let stretch = min(count - out.count, 50_000 + index * 37_000)
                    out += data(Kind.allCases[index % 3], stretch)
                    index += 1
                }
                return out
            }
        }

        @Test("gzip -t passes and gzip -d gives the input back, across block boundaries",
              arguments: Kind.allCases, [0, 1, block - 1, block, block + 1, 3 * block + 12_345, 1_000_000])
        func validForGzip(kind: Kind, size: Int) throws {
            let input = Self.data(kind, size)
            let compressed = try Self.compress(input)
            try Self.checkWithGzip(compressed, equals: input)
            #expect(try Self.decompress(compressed) == input)
            if size <= 100_000 {
                #expect(try Self.decompress(compressed, pieces: 1) == input)
            }
        }

        @Test("without storing incompressible blocks, with one worker and with 1 MiB blocks", arguments: Kind.allCases)
        func otherConfigurations(kind: Kind) throws {
            let input = Self.data(kind, 2_500_000)
            for (store, workers, block) in [(false, 2, Self.block), (true, 1, Self.block), (true, 3, 1 << 20)] {
                let compressed = try Self.compress(input, blockSize: block, workers: workers, storeIncompressible: store)
                try Self.checkWithGzip(compressed, equals: input)
            }
        }

        @Test("compression: text shrinks, zeros almost vanish, random data does not grow")
        func ratios() throws {
            let text = Self.data(.text, 1_000_000)
            #expect(try Self.compress(text).count < text.count / 2)
            let zeros = Self.data(.zeros, 4_000_000)
            #expect(try Self.compress(zeros).count < 8_000)
            let random = Self.data(.random, 1_000_000)
            let stored = try Self.compress(random)
            #expect(stored.count < random.count + random.count / 1000 + 64)
            // A repeated random block has high byte entropy but compresses: it must not be stored.
            let piece = BundleTestSupport.random(8192)
            let repeated = Array([[UInt8]](repeating: piece, count: 128).joined())
            #expect(try Self.compress(repeated).count < repeated.count / 10)
        }

        @Test("the compressed output is one gzip member with the right CRC and length")
        func singleMember() throws {
            let input = Self.data(.mixed, 700_000)
            let compressed = try Self.compress(input)
            #expect(Array(compressed[0..<4]) == [0x1F, 0x8B, 0x08, 0x00])
            let script = "import sys,zlib; d=sys.stdin.buffer.read(); o=zlib.decompressobj(31); r=o.decompress(d); print(len(r), len(o.unused_data), o.eof)"
            let python = try BundleTestSupport.run(["python3", "-c", script], input: Data(compressed))
            #expect(String(decoding: python.output, as: UTF8.self) == "\(input.count) 0 True\n")
        }

        @Test("the decompressor reads multi-member streams and rejects truncation and trailing garbage")
        func decompressorEdges() throws {
            let one = try Self.compress(Array("first ".utf8))
            let two = try Self.compress(Array("second".utf8))
            #expect(try Self.decompress(one + two) == Array("first second".utf8))
            #expect(try Self.decompress(one + two, pieces: 1) == Array("first second".utf8))
            let big = try Self.compress(Self.data(.text, 300_000))
            #expect(throws: GzipError.self) { try Self.decompress(Array(big.dropLast(1))) }
            #expect(throws: GzipError.self) { try Self.decompress(Array(big.prefix(big.count / 2))) }
            #expect(throws: GzipError.self) { try Self.decompress(one + [0x00, 0x01, 0x02]) }
            #expect(throws: GzipError.self) { try Self.decompress([]) }
            var corrupt = big
            corrupt[corrupt.count - 6] ^= 0x55  // CRC
            #expect(throws: GzipError.self) { try Self.decompress(corrupt) }
            #expect(throws: GzipError.self) { try Self.decompress(BundleTestSupport.random(1000)) }
        }

        @Test("runs of zeros from our compressor are skipped, not inflated, and come out exact")
        func zeroBlocksSkipped() throws {
            var input = Self.data(.text, 100_000)
            input += [UInt8](repeating: 0, count: 9 << 20)
            input += Self.data(.random, 70_000)
            input += [UInt8](repeating: 0, count: (3 << 20) + 5)
            input.append(7)
            let compressed = try Self.compress(input, blockSize: 1 << 20)
            let gzip = GzipDecompressor()
            var out = [UInt8]()
            try compressed.withUnsafeBytes { try gzip.decompress($0) { out += $0 } }
            try gzip.finish()
            #expect(out == input)
            #expect(gzip.skippedZeroBytes >= 9 << 20)
            try Self.checkWithGzip(compressed, equals: input)
            // The same stream fed a byte at a time around the zeros: still exact.
            #expect(try Self.decompress(compressed, pieces: 777) == input)
        }

        @Test("gzip headers with a name, extra field, comment and header CRC")
        func headerFields() throws {
            let body = try Self.compress(Array("payload".utf8))
            let deflate = Array(body[10...])
            var header: [UInt8] = [0x1F, 0x8B, 8, 0x04 | 0x08 | 0x10 | 0x02, 1, 2, 3, 4, 0, 3]
            header += [3, 0, 0xAA, 0xBB, 0xCC]
            header += Array("name.img".utf8) + [0]
            header += Array("a comment".utf8) + [0]
            header += [0x12, 0x34]
            #expect(try Self.decompress(header + deflate) == Array("payload".utf8))
            #expect(try Self.decompress(header + deflate, pieces: 1) == Array("payload".utf8))
            let named = try BundleTestSupport.run(["python3", "-c", "import gzip,sys; sys.stdout.buffer.write(gzip.compress(b'x'*100000, mtime=5))"])
            #expect(try Self.decompress(Array(named.output)) == [UInt8](repeating: UInt8(ascii: "x"), count: 100_000))
            #expect(throws: GzipError.self) { try Self.decompress([0x1F, 0x8B, 9, 0, 0, 0, 0, 0, 0, 3] + deflate) }
        }

        @Test("the standard gzip's output decompresses too (pigz-made and gzip-made streams)")
        func readsGzip() throws {
            let input = Self.data(.mixed, 600_000)
            let made = try BundleTestSupport.run(["gzip", "-6", "-c"], input: Data(input))
            #expect(try Self.decompress(Array(made.output)) == input)
        }
    }
}
