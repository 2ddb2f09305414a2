import Foundation

/// Makes the parts of an image bundle in one streaming pass:
///
///     image → tar (one member) → SHA-1 of the tar stream → gzip on every core
///           → AES-128-CBC → parts of exactly `partSize` bytes, each with its SHA-1
///
/// The calling thread reads the image, frames it as tar, hashes it and hands it to the
/// parallel compressor block by block (reading straight into the compressor's block buffer);
/// the compressor's writer thread gets the compressed blocks back in order and encrypts them
/// and writes the parts, while the caller reads on.
/// Memory use is a fixed handful of 1 MiB blocks whatever the image size. Holes in sparse files
/// are not read (see `ImageSource`), and runs of zeros cost almost nothing to compress.
///
/// The manifest is not written here: see `BundleManifest`. On failure every part written so
/// far is removed.
public enum BundleWriter {
    public enum Input: Sendable {
        /// A file or block device.
        case file(String)
        /// An already open descriptor (standard input) delivering exactly `size` bytes.
        case descriptor(Int32, name: String, size: UInt64)
    }

    public struct Options: Sendable {
        /// Bytes per part file (euca2ools and EC2: 10 MiB).
        public var partSize: Int = 10 << 20
        public var compression = ParallelGzipCompressor.Configuration()
        /// A fixed key and IV instead of random ones (testing and reproducing bundles only).
        public var keys: BundleKeys?
        /// Called on the writing thread with each part as soon as it is complete, e.g. to upload
        /// it while the rest is bundled; it may block to hold bundling back, and what it throws
        /// fails the bundle.
        public var partCompleted: (@Sendable (BundlePartFile) throws -> Void)?
        /// Print the compression pipeline's counters on stderr when done (`EUCA_BUNDLE_STATS`).
        public var printStats = false

        public init() {}
    }

    public struct Result: Sendable {
        public var parts: [BundlePartFile]
        /// Lowercase hex SHA-1 of the tar stream (the manifest's image digest).
        public var tarDigest: String
        public var imageSize: UInt64
        public var bundledSize: UInt64
        public var keys: BundleKeys
    }

    /// How much room a bundle of this image may need: the compressed size is at most the data
    /// (incompressible data grows by well under 0.1 %) and stretches of zeros shrink about a
    /// thousandfold, so for a sparse file the allocated size is what counts.
    static func estimatedBundleSize(size: UInt64, allocated: UInt64?) -> UInt64 {
        let data = min(size, allocated ?? size)
        return data + data / 1000 + size / 500 + (1 << 20)
    }

    /// Bundles `input` as a tar member called `name` into `directory`/`prefix`.part.NN.
    public static func bundle(_ input: Input, name: String, directory: String, prefix: String,
                              options: Options = Options(),
                              progress: ProgressReporter = .silent()) throws -> Result {
        let source: ImageSource
        switch input {
        case .file(let path):
            source = try ImageSource(path: path)
        case .descriptor(let fd, let label, let size):
            source = ImageSource(descriptor: fd, name: label, size: size)
        }
        try DiskSpace.require(estimatedBundleSize(size: source.size, allocated: source.allocatedBytes),
                              in: directory, for: "the bundle", hint: "; choose another directory with -d")
        let keys = try options.keys ?? BundleKeys.random()
        let cipher = try AESCBCCipher(mode: .encrypt, key: keys.key, iv: keys.iv)
        let parts = PartWriter(directory: directory, prefix: prefix, partSize: options.partSize)
        parts.completed = options.partCompleted
        var encrypted = ByteBuffer(capacity: options.compression.blockSize * 2)
        let compressor = ParallelGzipCompressor(configuration: options.compression) { compressed in
            let room = AESCBCCipher.maximumOutputCount(forInputCount: compressed.count)
            if room > encrypted.capacity { encrypted = ByteBuffer(capacity: room) }
            let count = try cipher.update(compressed, into: encrypted.whole)
            try parts.write(UnsafeRawBufferPointer(start: encrypted.base, count: count))
        }
        do {
            let tarDigest = try feed(source, name: name, into: compressor, progress: progress)
            try compressor.finish()
            let last = try cipher.finalize()
            try last.withUnsafeBytes { try parts.write($0) }
            let files = try parts.finish()
            if options.printStats {
                StandardStream.error.writeLine("bundle pipeline: \(compressor.stats.summary)")
            }
            progress.finish()
            for file in files { InterruptCleanup.shared.forget(file.path) }
            return Result(parts: files, tarDigest: tarDigest, imageSize: source.size,
                          bundledSize: files.reduce(0) { $0 + $1.size }, keys: keys)
        } catch {
            compressor.shutdown()
            parts.removeFiles()
            progress.fail()
            throw error
        }
    }

    /// Writes the tar stream (header, image, padding) into the compressor, hashing it on the
    /// way; returns the hex SHA-1 of the tar stream.
    static func feed(_ source: ImageSource, name: String, into compressor: ParallelGzipCompressor,
                     progress: ProgressReporter) throws -> String {
        let digest = Digest(.sha1)
        let header = try TarWriter.header(name: name, size: source.size)
        var headerOffset = 0
        while headerOffset < header.count {
            try compressor.fill { space in
                let count = min(space.count, header.count - headerOffset)
                header.withUnsafeBytes { bytes in
                    space.baseAddress!.copyMemory(from: bytes.baseAddress! + headerOffset, byteCount: count)
                }
                digest.update(UnsafeRawBufferPointer(rebasing: space[..<count]))
                headerOffset += count
                return count
            }
        }
        progress.update(0)
        while source.bytesRead < source.size {
            try compressor.fill { space in
                let count = try source.read(into: space)
                digest.update(UnsafeRawBufferPointer(rebasing: space[..<count]))
                return count
            }
            progress.update(source.bytesRead)
        }
        try source.checkAtEnd()
        var trailer = TarWriter.trailerCount(headerCount: header.count, size: source.size)
        while trailer > 0 {
            try compressor.fill { space in
                let count = min(space.count, trailer)
                memset(space.baseAddress!, 0, count)
                digest.update(UnsafeRawBufferPointer(rebasing: space[..<count]))
                trailer -= count
                return count
            }
        }
        return digest.finalize().hexString
    }
}
