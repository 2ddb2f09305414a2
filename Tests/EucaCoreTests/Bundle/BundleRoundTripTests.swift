import Foundation
import Testing
@testable import EucaCore

extension BundleTests {
    /// Bundle → unbundle through the library, and the failure cases.
    @Suite struct RoundTripTests {
        static let partSize = 64 << 10

        /// Bundles `content` with small parts, checks the parts, unbundles with both keys and
        /// compares. Returns the bundle's directory (to be removed by the caller).
        @discardableResult
        static func roundTrip(_ content: [UInt8], partSize: Int = partSize,
                              check: (BundleManifest, BundleWriter.Result) throws -> Void = { _, _ in }) throws -> String {
            let directory = try BundleTestSupport.temporaryDirectory()
            let image = directory + "/disk.img"
            try BundleTestSupport.write(content, to: image)
            let bundleDirectory = directory + "/bundle"
            try FileManager.default.createDirectory(atPath: bundleDirectory, withIntermediateDirectories: true)
            let (manifest, result) = try BundleTestSupport.bundle(image, into: bundleDirectory,
                                                                  options: BundleTestSupport.options(partSize: partSize))
            try check(manifest, result)
            for (index, part) in result.parts.enumerated() {
                #expect(part.filename == String(format: "disk.img.part.%02d", index))
                #expect(part.size == (index == result.parts.count - 1 ? part.size : UInt64(partSize)))
                #expect(try BundleTestSupport.sha1(ofFile: part.path) == part.digest)
            }
            #expect(result.bundledSize == result.parts.reduce(0) { $0 + $1.size })
            #expect(result.parts.last!.size <= UInt64(partSize) && result.parts.last!.size > 0)
            for key in [BundleTestSupport.userKey, BundleTestSupport.cloudKey] {
                let out = directory + "/out-\(UUID().uuidString)"
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let keys = try manifest.decryptKeys(with: key).keys
                let unbundled = try Unbundler.unbundle(manifest: manifest, keys: keys, partsDirectory: bundleDirectory,
                                                       destinationDirectory: out)
                #expect(unbundled.path == out + "/disk.img")
                #expect(unbundled.size == UInt64(content.count))
                #expect(try Array(Data(contentsOf: URL(fileURLWithPath: out + "/disk.img"))) == content)
                #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["disk.img"])
            }
            return directory
        }

        @Test("byte-identical round trips", arguments: [0, 1, 511, 512, 10_000, partSize, partSize + 1, 5 * partSize / 2 + 17])
        func sizes(size: Int) throws {
            let content = size % 2 == 0 ? BundleTestSupport.random(size) : BundleTestSupport.text(size)
            BundleTestSupport.remove(try Self.roundTrip(content))
        }

        @Test("an image exactly one part size, and a bundle exactly one part size (and one byte more)")
        func exactPartSizes() throws {
            // Random data stores at a fixed overhead, so the bundle size is known from one run.
            let content = BundleTestSupport.random(200_000)
            var bundled: UInt64 = 0
            BundleTestSupport.remove(try Self.roundTrip(content, partSize: 10 << 20) { _, result in
                bundled = result.bundledSize
                #expect(result.parts.count == 1)
            })
            BundleTestSupport.remove(try Self.roundTrip(content, partSize: Int(bundled)) { _, result in
                #expect(result.parts.map(\.size) == [bundled])
            })
            BundleTestSupport.remove(try Self.roundTrip(content, partSize: Int(bundled) - 1) { _, result in
                #expect(result.parts.map(\.size) == [bundled - 1, 1])
            })
            BundleTestSupport.remove(try Self.roundTrip(content, partSize: 200_000) { _, result in
                #expect(result.parts.first?.size == 200_000)
            })
        }

        @Test("many parts: two-digit names up to .part.99, then three digits")
        func manyParts() throws {
            let content = BundleTestSupport.random(1_700_000)
            BundleTestSupport.remove(try Self.roundTrip(content, partSize: 16 << 10) { _, result in
                #expect(result.parts.count > 100)
                #expect(result.parts[99].filename == "disk.img.part.99")
                #expect(result.parts[100].filename == "disk.img.part.100")
            })
        }

        @Test("a sparse image: holes read as zeros, unbundled sparse again")
        func sparse() throws {
            let directory = try BundleTestSupport.temporaryDirectory()
            defer { BundleTestSupport.remove(directory) }
            let image = directory + "/sparse.img"
            let size = 64 << 20
            #expect(FileManager.default.createFile(atPath: image, contents: nil))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: image))
            for (offset, data) in [(0, BundleTestSupport.text(300_000)), (20 << 20, BundleTestSupport.random(70_000)),
                                   ((40 << 20) + 7, BundleTestSupport.text(5))] {
                try handle.seek(toOffset: UInt64(offset))
                try handle.write(contentsOf: data)
            }
            try handle.truncate(atOffset: UInt64(size))
            try handle.close()
            let bundleDirectory = directory + "/bundle"
            try FileManager.default.createDirectory(atPath: bundleDirectory, withIntermediateDirectories: true)
            let (manifest, result) = try BundleTestSupport.bundle(image, into: bundleDirectory,
                                                                  options: BundleTestSupport.options(blockSize: 1 << 20))
            #expect(result.bundledSize < 400_000)
            let out = directory + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            _ = try Unbundler.unbundle(manifest: manifest, keys: result.keys, partsDirectory: bundleDirectory,
                                       destinationDirectory: out)
            #expect(try BundleTestSupport.sha1(ofFile: out + "/sparse.img") == (try BundleTestSupport.sha1(ofFile: image)))
            var info = stat()
            stat(out + "/sparse.img", &info)
            #expect(info.st_size == off_t(size))
            #expect(Int(info.st_blocks) * 512 < 8 << 20)  // the holes stayed holes
        }

        @Test("the euca2ools 3.4.1 bundle unbundles to the recorded SHA-1 with either private key")
        func euca2oolsFixture() throws {
            let directory = Fixture.url("bundle-euca2ools-3.4.1").path
            let manifest = try BundleManifest.read(contentsOf: directory + "/small.img.manifest.xml")
            let expected = String(Fixture.string("bundle-euca2ools-3.4.1/ORIGINAL.sha1").prefix(40))
            for key in [BundleTestSupport.userKey, BundleTestSupport.cloudKey] {
                let out = try BundleTestSupport.temporaryDirectory()
                defer { BundleTestSupport.remove(out) }
                let keys = try manifest.decryptKeys(with: key).keys
                _ = try Unbundler.unbundle(manifest: manifest, keys: keys, partsDirectory: directory, destinationDirectory: out)
                #expect(try BundleTestSupport.sha1(ofFile: out + "/small.img") == expected)
            }
        }

        /// Makes a 3-part bundle, lets `damage` break it, and expects unbundling to fail with
        /// a message containing `message`, leaving the destination empty.
        static func expectFailure(_ message: String, damage: (String, inout BundleManifest) throws -> Void) throws {
            let directory = try BundleTestSupport.temporaryDirectory()
            defer { BundleTestSupport.remove(directory) }
            let image = directory + "/disk.img"
            try BundleTestSupport.write(BundleTestSupport.random(150_000), to: image)
            let bundleDirectory = directory + "/bundle"
            try FileManager.default.createDirectory(atPath: bundleDirectory, withIntermediateDirectories: true)
            var (manifest, result) = try BundleTestSupport.bundle(image, into: bundleDirectory,
                                                                  options: BundleTestSupport.options(partSize: 64 << 10))
            #expect(result.parts.count == 3)
            try damage(bundleDirectory, &manifest)
            let out = directory + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            do {
                _ = try Unbundler.unbundle(manifest: manifest, keys: result.keys, partsDirectory: bundleDirectory,
                                           destinationDirectory: out)
                Issue.record("unbundling a damaged bundle succeeded")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
                #expect(!"\(error)".contains("\n"))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [])
        }

        static func flipByte(_ path: String, at offset: UInt64) throws {
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.seek(toOffset: offset)
            let byte = try handle.read(upToCount: 1)![0]
            try handle.seek(toOffset: offset)
            try handle.write(contentsOf: [byte ^ 0x01])
            try handle.close()
        }

        @Test("a corrupt part is named, whichever part it is", arguments: [0, 1, 2])
        func corruptPart(index: Int) throws {
            try Self.expectFailure("disk.img.part.0\(index)\" is corrupt") { directory, _ in
                try Self.flipByte(directory + "/disk.img.part.0\(index)", at: 1000)
            }
        }

        @Test("a missing part, a truncated part, a wrong digest or wrong size in the manifest")
        func otherDamage() throws {
            try Self.expectFailure("bundle part \"") { directory, _ in
                try FileManager.default.removeItem(atPath: directory + "/disk.img.part.01")
            }
            try Self.expectFailure("disk.img.part.02\" is corrupt") { directory, _ in
                let handle = try FileHandle(forUpdating: URL(fileURLWithPath: directory + "/disk.img.part.02"))
                try handle.truncate(atOffset: 100)
                try handle.close()
            }
            try Self.expectFailure("the manifest says") { _, manifest in
                manifest.imageDigest = String(repeating: "0", count: 40)
            }
            try Self.expectFailure("the manifest says 1") { _, manifest in
                manifest.imageSize = 1
            }
        }

        @Test("the wrong key: the tar header check catches it, nothing is left")
        func wrongKeys() throws {
            let directory = try BundleTestSupport.temporaryDirectory()
            defer { BundleTestSupport.remove(directory) }
            let image = directory + "/disk.img"
            try BundleTestSupport.write(BundleTestSupport.text(100_000), to: image)
            let (manifest, _) = try BundleTestSupport.bundle(image, into: directory)
            let out = directory + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            #expect(throws: BundleError.self) {
                _ = try Unbundler.unbundle(manifest: manifest, keys: try BundleKeys.random(), partsDirectory: directory,
                                           destinationDirectory: out)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [])
        }

        @Test("bundling fails cleanly: no parts are left when the image shrinks underneath")
        func bundleFailureCleansUp() throws {
            let directory = try BundleTestSupport.temporaryDirectory()
            defer { BundleTestSupport.remove(directory) }
            // A pipe with less data than declared (less than a pipe holds, so no reader is needed).
            var fds: [Int32] = [0, 0]
            pipe(&fds)
            let data = BundleTestSupport.random(50_000)
            data.withUnsafeBytes { _ = write(fds[1], $0.baseAddress!, $0.count) }
            close(fds[1])
            let out = directory + "/bundle"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            #expect(throws: BundleError.self) {
                _ = try BundleWriter.bundle(.descriptor(fds[0], name: "pipe", size: 200_000), name: "x", directory: out,
                                            prefix: "x", options: BundleTestSupport.options(partSize: 16 << 10))
            }
            close(fds[0])
            #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [])
        }

        @Test("a stream of concatenated parts unbundles to a descriptor")
        func stream() throws {
            let directory = try BundleTestSupport.temporaryDirectory()
            defer { BundleTestSupport.remove(directory) }
            let image = directory + "/disk.img"
            let content = BundleTestSupport.text(300_000)
            try BundleTestSupport.write(content, to: image)
            let (manifest, result) = try BundleTestSupport.bundle(image, into: directory,
                                                                  options: BundleTestSupport.options(partSize: 50_000))
            var joined = Data()
            for part in result.parts { joined += try Data(contentsOf: URL(fileURLWithPath: part.path)) }
            try joined.write(to: URL(fileURLWithPath: directory + "/joined"))
            let input = open(directory + "/joined", O_RDONLY)
            let output = open(directory + "/result", O_WRONLY | O_CREAT, 0o644)
            let unbundled = try Unbundler.unbundleStream(input: input, inputName: "joined", output: output, outputName: "result",
                                                         keys: result.keys, expectedSize: manifest.imageSize,
                                                         expectedDigest: manifest.imageDigest)
            close(input)
            close(output)
            #expect(unbundled.size == UInt64(content.count))
            #expect(try Array(Data(contentsOf: URL(fileURLWithPath: directory + "/result"))) == content)
        }
    }

    @Suite struct SupportTests {
        static let sizes: [(String, UInt64)] = [
            ("10485760", 10_485_760), ("10M", 10_485_760), ("10m", 10_485_760), ("10MiB", 10_485_760),
            ("1k", 1024), ("2G", 2_147_483_648), ("1.5K", 1536), ("1T", 1_099_511_627_776), ("7b", 7),
        ]

        @Test("file sizes with suffixes", arguments: sizes)
        func fileSizes(text: String, bytes: UInt64) {
            #expect(FileSize.parse(text) == bytes)
        }

        @Test("not file sizes", arguments: ["", "M", "-1", "1.5", "ten", "1X", "1 M x"])
        func notFileSizes(text: String) {
            #expect(FileSize.parse(text) == nil)
        }

        @Test("block device mappings for the manifest")
        func mappings() throws {
            let fields = try ValueType.manifestBlockDeviceMappings.convert("ami=sda1, root=/dev/sda1,ephemeral0=sdb,")
            #expect(fields == [Field("ami", "sda1"), Field("root", "/dev/sda1"), Field("ephemeral0", "sdb")])
            #expect(throws: ValueError.self) { try ValueType.manifestBlockDeviceMappings.convert("ami") }
            #expect(throws: ValueError.self) { try ValueType.manifestBlockDeviceMappings.convert("a=b=c") }
            #expect(throws: ValueError.self) { try ValueType.manifestBlockDeviceMappings.convert(",") }
        }

        @Test("porcelain progress lines")
        func porcelain() {
            let progress = ProgressReporter(operation: "bundle-image", label: "Bundling image", total: 1000, mode: .porcelain)
            #expect(progress.porcelainLine(state: "running", elapsed: 2, rate: 250) ==
                    "progress op=bundle-image state=running bytes=0 total=1000 percent=0.0 rate=250 elapsed=2.0 eta=4")
            let unknown = ProgressReporter(operation: "x", label: "x", total: nil, mode: .porcelain)
            #expect(unknown.porcelainLine(state: "done", elapsed: 1, rate: 0) ==
                    "progress op=x state=done bytes=0 total=unknown percent=unknown rate=0 elapsed=1.0 eta=0")
            let bar = ProgressReporter(operation: "x", label: "Bundling image", total: 1 << 30, mode: .bar, width: 80)
            let line = bar.barLine(state: "running", elapsed: 1, rate: 1_048_576)
            #expect(line.hasPrefix("Bundling image   0% ["))
            #expect(line.contains("0 B/1.0 GiB  1.0 MiB/s  ETA 17:04"))
            #expect(line.count <= 80)
            #expect(ProgressReporter(operation: "x", label: "x", total: 1, mode: .auto, isTerminal: false).mode == .off)
            #expect(ProgressReporter(operation: "x", label: "x", total: 1, mode: .auto, isTerminal: true).mode == .bar)
        }

        @Test("free space: a clear error before anything is written")
        func freeSpace() throws {
            #expect(DiskSpace.available(in: "/tmp") != nil)
            do {
                try DiskSpace.require(1 << 60, in: "/tmp", for: "the bundle", hint: "; choose another directory with -d")
                Issue.record("no error")
            } catch {
                let message = "\(error)"
                #expect(message.hasPrefix("not enough free space in /tmp for the bundle: about 1024.0 PiB needed, "), "\(message)")
                #expect(message.hasSuffix(" available; choose another directory with -d"))
            }
            try DiskSpace.require(1, in: "/tmp", for: "x")
            // A sparse image needs room for its data, not its size.
            #expect(BundleWriter.estimatedBundleSize(size: 100 << 30, allocated: 1 << 20) < 300 << 20)
            #expect(BundleWriter.estimatedBundleSize(size: 1 << 30, allocated: nil) > 1 << 30)
        }

        @Test("zero detection")
        func zeros() {
            for count in [0, 1, 15, 16, 17, 4096, 100_001] {
                var bytes = [UInt8](repeating: 0, count: count)
                #expect(bytes.withUnsafeBytes { ZeroBytes.allZero($0) })
                if count > 0 {
                    for position in Set([0, count / 2, count - 1]) {
                        bytes[position] = 1
                        #expect(!bytes.withUnsafeBytes { ZeroBytes.allZero($0) })
                        bytes[position] = 0
                    }
                }
            }
        }
    }
}
