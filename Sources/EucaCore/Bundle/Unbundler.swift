import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns a bundle back into its image in one streaming pass on three threads:
///
///     parts (each SHA-1 checked) → AES-128-CBC decrypt   [thread 1]
///       → gunzip                                          [thread 2]
///       → untar, SHA-1 of the tar stream, write the image [calling thread]
///
/// At the end the tar digest and the image size must match the manifest. The image is written
/// under a temporary name beside its destination and renamed into place only after every check
/// passed; on any failure it is removed, so a truncated or corrupt image is never left behind.
/// When decryption, decompression or the tar stream fails, the remaining parts are still
/// hashed, so that the error names a corrupt part when one is the cause.
public enum Unbundler {
    public struct Result: Sendable {
        /// The image file written (nil when written to a descriptor).
        public var path: String?
        public var imageName: String
        public var size: UInt64
        /// Lowercase hex SHA-1 of the tar stream.
        public var tarDigest: String
    }

    static let chunkSize = 1 << 20
    static let buffersPerStage = 6

    /// Unbundles the parts `manifest` lists, found in `partsDirectory`, into
    /// `destinationDirectory`/(the manifest's image name).
    public static func unbundle(manifest: BundleManifest, keys: BundleKeys, partsDirectory: String,
                                destinationDirectory: String,
                                progress: ProgressReporter = .silent()) throws -> Result {
        let source = try PartFilesSource(manifest: manifest, directory: partsDirectory)
        try DiskSpace.require(manifest.imageSize, in: destinationDirectory, for: "the image \(manifest.imageName)",
                              hint: "; choose another directory with -d")
        let sink = try ImageFileSink(directory: destinationDirectory, name: manifest.imageName)
        do {
            let (member, digest) = try run(source: source, keys: keys, sink: sink, progress: progress)
            try check(member: member, digest: digest, manifest: manifest)
            try sink.commit()
            progress.finish()
            return Result(path: sink.path, imageName: manifest.imageName, size: member.size, tarDigest: digest)
        } catch {
            sink.abort()
            progress.fail()
            throw error
        }
    }

    /// Unbundles the concatenated parts read from `input` and writes the image to `output`.
    /// The checks are the same, but what was written to `output` before a failure stays written.
    public static func unbundleStream(input: Int32, inputName: String, output: Int32, outputName: String,
                                      keys: BundleKeys, expectedSize: UInt64?, expectedDigest: String?,
                                      progress: ProgressReporter = .silent()) throws -> Result {
        try unbundleStream(input: input, inputName: inputName,
                           sink: DescriptorSink(descriptor: output, name: outputName), keys: keys,
                           expectedSize: expectedSize, expectedDigest: expectedDigest, progress: progress)
    }

    static func unbundleStream(input: Int32, inputName: String, sink: ImageSink, keys: BundleKeys,
                               expectedSize: UInt64?, expectedDigest: String?,
                               progress: ProgressReporter) throws -> Result {
        let source = StreamSource(descriptor: input, name: inputName)
        do {
            let (member, digest) = try run(source: source, keys: keys, sink: sink, progress: progress)
            if let expectedSize, member.size != expectedSize {
                throw BundleError("the bundle is corrupt: the image is \(member.size) bytes, expected \(expectedSize)")
            }
            if let expectedDigest, digest != expectedDigest.lowercased() {
                throw BundleError("the bundle is corrupt: its SHA-1 is \(digest), expected \(expectedDigest.lowercased())")
            }
            progress.finish()
            return Result(path: nil, imageName: member.name, size: member.size, tarDigest: digest)
        } catch {
            progress.fail()
            throw error
        }
    }

    static func check(member: (name: String, size: UInt64), digest: String, manifest: BundleManifest) throws {
        guard digest == manifest.imageDigest else {
            throw BundleError("the bundle is corrupt: the SHA-1 of its contents is \(digest), the manifest says \(manifest.imageDigest)")
        }
        guard member.size == manifest.imageSize else {
            throw BundleError("the bundle is corrupt: the image is \(member.size) bytes, the manifest says \(manifest.imageSize)")
        }
    }

    /// The pipeline; returns the tar member and the tar stream's hex SHA-1.
    static func run(source: CiphertextSource, keys: BundleKeys, sink: ImageSink,
                    progress: ProgressReporter) throws -> (member: (name: String, size: UInt64), digest: String) {
        let failure = FirstError()
        let freeDecrypted = PipelineChannel<ByteBuffer>(capacity: buffersPerStage)
        let decrypted = PipelineChannel<ByteBuffer>(capacity: buffersPerStage)
        let freeInflated = PipelineChannel<ByteBuffer>(capacity: buffersPerStage)
        let inflated = PipelineChannel<ByteBuffer>(capacity: buffersPerStage)
        for _ in 0..<buffersPerStage {
            freeDecrypted.send(ByteBuffer(capacity: chunkSize + AESCBCCipher.blockSize))
            freeInflated.send(ByteBuffer(capacity: chunkSize))
        }
        let channels = [freeDecrypted, decrypted, freeInflated, inflated]
        let fail: @Sendable (Error) -> Void = { error in
            failure.record(error)
            for channel in channels { channel.cancel() }
        }
        let cipher = try AESCBCCipher(mode: .decrypt, key: keys.key, iv: keys.iv)
        let box = UncheckedBox(source: source, cipher: cipher)

        // Thread 1: read and decrypt.
        let decrypter = PipelineThread(name: "unbundle-decrypt") {
            let scratch = ByteBuffer(capacity: chunkSize)
            do {
                while true {
                    let count = try box.source.read(into: scratch.whole)
                    guard let buffer = freeDecrypted.receive() else { return }
                    if count == 0 {
                        let last = try box.cipher.finalize()
                        last.withUnsafeBytes { buffer.base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                        buffer.count = last.count
                        if buffer.count > 0 { decrypted.send(buffer) }
                        decrypted.close()
                        return
                    }
                    buffer.count = try box.cipher.update(UnsafeRawBufferPointer(start: scratch.base, count: count),
                                                         into: buffer.whole)
                    if buffer.count > 0 {
                        guard decrypted.send(buffer) else { return }
                    } else {
                        freeDecrypted.send(buffer)
                    }
                }
            } catch {
                fail(error)
            }
        }

        // Thread 2: gunzip.
        let inflater = PipelineThread(name: "unbundle-gunzip") {
            let gzip = GzipDecompressor()
            var output: ByteBuffer?
            do {
                func flush() {
                    if let full = output, full.count > 0 {
                        output = nil
                        inflated.send(full)
                    }
                }
                while let input = decrypted.receive() {
                    var offset = 0
                    var more = true
                    while more {
                        if output == nil {
                            guard let next = freeInflated.receive() else { return }
                            next.count = 0
                            output = next
                        }
                        let out = output!
                        let rest = UnsafeRawBufferPointer(start: input.base + offset, count: input.count - offset)
                        let room = UnsafeMutableRawBufferPointer(start: out.base + out.count, count: out.capacity - out.count)
                        let (consumed, produced) = try gzip.decompress(rest, into: room)
                        offset += consumed
                        out.count += produced
                        if out.count == out.capacity { flush() }
                        // Done with this input once it is used up and zlib has nothing pending.
                        more = offset < input.count || produced == room.count
                        if consumed == 0 && produced == 0 && offset < input.count {
                            throw GzipError("corrupt compressed data (no progress)")
                        }
                    }
                    guard freeDecrypted.send(input) else { return }
                }
                if failure.error != nil { return }
                flush()
                try gzip.finish()
                inflated.close()
            } catch {
                fail(error)
            }
        }

        // This thread: untar, hash, write.
        let tar = TarReader()
        let digest = Digest(.sha1)
        var written: UInt64 = 0
        do {
            progress.update(0)
            while let buffer = inflated.receive() {
                digest.update(buffer.bytes)
                try tar.consume(buffer.bytes) { content in
                    try sink.write(content)
                    written += UInt64(content.count)
                }
                progress.update(written)
                guard freeInflated.send(buffer) else { break }
            }
        } catch {
            fail(error)
        }
        decrypter.join()
        inflater.join()
        if let error = failure.error {
            // A part that does not match its SHA-1 explains a failure to decode best.
            if suspectsParts(error), let partError = source.findCorruptPart() { throw partError }
            throw describe(error)
        }
        let member: (name: String, size: UInt64)
        do {
            member = try tar.finish()
        } catch {
            if let partError = source.findCorruptPart() { throw partError }
            throw describe(error)
        }
        return (member, digest.finalize().hexString)
    }

    /// Failures that a corrupt part could have caused.
    static func suspectsParts(_ error: Error) -> Bool {
        error is GzipError || error is TarError || error is CryptoError
    }

    /// Adds what a low-level failure most likely means for a bundle.
    static func describe(_ error: Error) -> Error {
        switch error {
        case let error as GzipError:
            return BundleError("the bundle is corrupt or was decrypted with the wrong key: \(error.message)")
        case let error as TarError:
            return BundleError("the bundle is corrupt or was decrypted with the wrong key: \(error.message)")
        case let error as CryptoError:
            return BundleError("the bundle is corrupt or was decrypted with the wrong key: \(error.message)")
        default:
            return error
        }
    }
}

/// The decrypting thread's state, handed over to it once and then used by it alone.
private final class UncheckedBox: @unchecked Sendable {
    let source: CiphertextSource
    let cipher: AESCBCCipher

    init(source: CiphertextSource, cipher: AESCBCCipher) {
        self.source = source
        self.cipher = cipher
    }
}
