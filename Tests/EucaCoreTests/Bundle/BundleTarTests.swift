import Foundation
import Testing
@testable import EucaCore

extension BundleTests {
    @Suite struct TarTests {
        /// Runs a writer over `content` and returns the archive.
        static func archive(name: String, content: [UInt8]) throws -> [UInt8] {
            var out = [UInt8]()
            let writer = try TarWriter(name: name, size: UInt64(content.count)) { out += $0 }
            var offset = 0
            while offset < content.count {
                let count = min(7919, content.count - offset)
                try content[offset..<(offset + count)].withUnsafeBytes { try writer.write($0) }
                offset += count
            }
            try writer.finish()
            return out
        }

        static func read(_ archive: [UInt8], pieces: Int = 1000) throws -> (name: String, size: UInt64, content: [UInt8]) {
            let reader = TarReader()
            var content = [UInt8]()
            var offset = 0
            while offset < archive.count {
                let count = min(pieces, archive.count - offset)
                try archive[offset..<(offset + count)].withUnsafeBytes { bytes in
                    try reader.consume(bytes) { content += $0 }
                }
                offset += count
            }
            let member = try reader.finish()
            return (member.name, member.size, content)
        }

        @Test("the header is byte for byte what euca2ools 3.4.1 wrote (from the fixture bundle)")
        func headerMatchesEuca2ools() throws {
            let manifest = try BundleManifest.parse(Fixture.data("bundle-euca2ools-3.4.1/small.img.manifest.xml"))
            let keys = try manifest.decryptKeys(with: BundleTestSupport.userKey).keys
            let cipher = try AESCBCCipher(mode: .decrypt, key: keys.key, iv: keys.iv)
            let compressed = try cipherOutput(cipher, Array(Fixture.data("bundle-euca2ools-3.4.1/small.img.part.00")))
            var tar = [UInt8]()
            let gzip = GzipDecompressor()
            try compressed.withUnsafeBytes { try gzip.decompress($0) { tar += $0 } }
            try gzip.finish()
            #expect(tar.count == 3_153_920)
            #expect(Digest.hash(.sha1, tar).hexString == manifest.imageDigest)
            let ours = try TarWriter.header(name: "small.img", size: 3_145_728)
            #expect(ours == Array(tar[0..<512]))
            // And the whole archive: header, data, two zero blocks, zeros to the 10240-byte record.
            let rebuilt = try Self.archive(name: "small.img", content: Array(tar[512..<(512 + 3_145_728)]))
            #expect(rebuilt == tar)
        }

        func cipherOutput(_ cipher: AESCBCCipher, _ input: [UInt8]) throws -> [UInt8] {
            var out = [UInt8]()
            try cipher.update(input, into: &out)
            return out + (try cipher.finalize())
        }

        @Test("round trip through the reader, fed in odd pieces", arguments: [0, 1, 511, 512, 513, 10240, 100_000])
        func roundTrip(size: Int) throws {
            let content = BundleTestSupport.random(size)
            let archive = try Self.archive(name: "disk.img", content: content)
            #expect(archive.count % TarWriter.recordSize == 0)
            #expect(UInt64(archive.count) == (try TarWriter.archiveSize(name: "disk.img", size: UInt64(size))))
            for pieces in [1, 333, 1 << 20] where pieces > 1 || size < 2000 {
                let (name, readSize, readContent) = try Self.read(archive, pieces: pieces)
                #expect(name == "disk.img")
                #expect(readSize == UInt64(size))
                #expect(readContent == content)
            }
        }

        @Test("sizes of 8 GiB and more use the GNU base-256 field")
        func base256Size() throws {
            let size: UInt64 = (8 << 30) + 12345
            let header = try TarWriter.header(name: "big.img", size: size)
            #expect(header.count == 512)
            #expect(header[124] == 0x80)
            var value: UInt64 = 0
            for byte in header[125..<136] { value = value << 8 | UInt64(byte) }
            #expect(value == size)
            let reader = TarReader()
            try header.withUnsafeBytes { try reader.consume($0) { _ in } }
            #expect(reader.member?.size == size)
            // The largest octal size stays octal, as Python's tarfile writes it.
            let octal = try TarWriter.header(name: "x", size: TarWriter.largestOctalSize)
            #expect(Array(octal[124..<136]) == Array("77777777777".utf8) + [0])
        }

        @Test("Python's tarfile reads the base-256 header of an image over 8 GiB")
        func pythonReadsBase256() throws {
            let size: UInt64 = (9 << 30) + 1
            let header = try TarWriter.header(name: "big.img", size: size)
            let script = "import sys,tarfile; t=tarfile.TarInfo.frombuf(sys.stdin.buffer.read(512),'utf-8','surrogateescape'); print(t.name, t.size, t.isreg())"
            let result = try BundleTestSupport.run(["python3", "-c", script], input: Data(header))
            #expect(result.status == 0, "\(result.error)")
            #expect(String(decoding: result.output, as: UTF8.self) == "big.img \(size) True\n")
        }

        @Test("a name over 100 bytes gets a GNU long-name header that tar and the reader accept")
        func longName() throws {
            let name = String(repeating: "n", count: 150) + ".img"
            let archive = try Self.archive(name: name, content: Array("hello".utf8))
            #expect(try Self.read(archive).name == name)
            let listed = try BundleTestSupport.run(["tar", "-tf", "-"], input: Data(archive))
            #expect(String(decoding: listed.output, as: UTF8.self) == name + "\n")
        }

        @Test("GNU tar and Python's tarfile read what the writer writes")
        func standardToolsRead() throws {
            let content = BundleTestSupport.text(70_000)
            let archive = try Self.archive(name: "small.img", content: content)
            let listed = try BundleTestSupport.run(["tar", "-tvf", "-"], input: Data(archive))
            #expect(listed.status == 0)
            let line = String(decoding: listed.output, as: UTF8.self)
            #expect(line.hasPrefix("-rw-r--r-- 0/0"))
            #expect(line.contains(" 70000 1970-01-01 00:00 small.img"))
            let extracted = try BundleTestSupport.run(["tar", "-xOf", "-"], input: Data(archive))
            #expect(Array(extracted.output) == content)
            let script = "import sys,tarfile,io,hashlib; t=tarfile.open(fileobj=io.BytesIO(sys.stdin.buffer.read())); m=t.getmembers(); print(len(m), m[0].name, m[0].size, oct(m[0].mode), m[0].uid, m[0].gid, m[0].mtime, repr(m[0].uname), repr(m[0].gname), hashlib.sha1(t.extractfile(m[0]).read()).hexdigest())"
            let python = try BundleTestSupport.run(["python3", "-c", script], input: Data(archive))
            let expected = "1 small.img 70000 0o644 0 0 0 '' '' \(Digest.hash(.sha1, content).hexString)\n"
            #expect(String(decoding: python.output, as: UTF8.self) == expected)
        }

        @Test("pax headers override size and name")
        func paxHeader() throws {
            // A pax extended header as Python's tarfile writes in PAX_FORMAT.
            let script = "import sys,tarfile,io; b=io.BytesIO(); t=tarfile.open(fileobj=b,mode='w',format=tarfile.PAX_FORMAT); i=tarfile.TarInfo('p'*120+'.img'); d=b'x'*1000; i.size=len(d); i.pax_headers={'comment':'hi'}; t.addfile(i,io.BytesIO(d)); t.close(); sys.stdout.buffer.write(b.getvalue())"
            let made = try BundleTestSupport.run(["python3", "-c", script])
            #expect(made.status == 0)
            let (name, size, content) = try Self.read(Array(made.output))
            #expect(name == String(repeating: "p", count: 120) + ".img")
            #expect(size == 1000)
            #expect(content == [UInt8](repeating: UInt8(ascii: "x"), count: 1000))
        }

        @Test("a corrupt header, a directory, a second file and a truncated archive are errors")
        func rejects() throws {
            var archive = try Self.archive(name: "a.img", content: Array("data".utf8))
            var corrupt = archive
            corrupt[10] ^= 0xFF
            #expect(throws: TarError.self) { try Self.read(corrupt) }
            // Wrong key: random bytes are no tar header.
            #expect(throws: TarError.self) { try Self.read(BundleTestSupport.random(10240)) }
            var directory = archive
            directory[156] = UInt8(ascii: "5")
            // Fix the checksum so that only the type is wrong.
            for index in 148..<156 { directory[index] = 0x20 }
            let sum = directory[0..<512].reduce(0) { $0 + Int($1) }
            let text = Array(String(sum, radix: 8).utf8)
            for index in 148..<156 { directory[index] = 0 }
            for (offset, byte) in (Array(repeating: UInt8(ascii: "0"), count: 6 - text.count) + text).enumerated() {
                directory[148 + offset] = byte
            }
            directory[155] = 0x20
            #expect(throws: TarError.self) { try Self.read(directory) }
            let two = Array(archive[0..<1024]) + archive
            #expect(throws: TarError.self) { try Self.read(two) }
            archive = try Self.archive(name: "a.img", content: BundleTestSupport.random(5000))
            #expect(throws: TarError.self) { try Self.read(Array(archive[0..<3000])) }
            #expect(throws: TarError.self) { try Self.read([]) }
            #expect(throws: TarError.self) { try Self.read([UInt8](repeating: 0, count: 10240)) }
            // Writing more or less than announced.
            let writer = try TarWriter(name: "x", size: 3) { _ in }
            #expect(throws: TarError.self) { try [UInt8](repeating: 1, count: 4).withUnsafeBytes { try writer.write($0) } }
            let short = try TarWriter(name: "x", size: 3) { _ in }
            #expect(throws: TarError.self) { try short.finish() }
        }
    }
}
