import Foundation
import Testing
@testable import EucaCore

/// Groups the bundling suites so `--filter Bundle` selects them all.
@Suite enum BundleTests {}

/// Helpers for the bundling tests: scratch directories, test data, the fixture keys and
/// standard tools run as independent checks.
enum BundleTestSupport {
    /// A new empty directory, removed by the caller with `remove`.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("euca-bundle-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func random(_ count: Int) -> [UInt8] {
        (try? SecureRandom.bytes(count: count)) ?? []
    }

    /// Text-like data: words from a small vocabulary with a deterministic pseudo-random choice,
    /// compressible about 3:1 like real text.
    static func text(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        let words = ["the", "image", "bundle", "part", "manifest", "cloud", "kernel", "ramdisk",
                     "euca", "volume", "snapshot", "instance", "region", "zone", "key", "digest",
                     "sha1", "gzip", "tar", "aes", "cipher", "block", "device", "mapping"].map { Array($0.utf8) }
        var state = seed | 1
        var out = [UInt8]()
        out.reserveCapacity(count + 16)
        while out.count < count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            out += words[Int(state % UInt64(words.count))]
            out.append(state & 0x70 == 0 ? 0x0A : 0x20)
            if state & 0x300 == 0 { out += Array(String(state % 100_000).utf8) }
        }
        return Array(out.prefix(count))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func sha1(ofFile path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let digest = Digest(.sha1)
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            digest.update(chunk)
        }
        return digest.finalize().hexString
    }

    // MARK: Keys

    static var userCertificate: RSAPublicKey { try! RSAPublicKey(certificatePEM: Fixture.string("keys/user-cert.pem")) }
    static var cloudCertificate: RSAPublicKey { try! RSAPublicKey(certificatePEM: Fixture.string("keys/cloud-cert.pem")) }
    static var userKey: RSAPrivateKey { try! RSAPrivateKey(pem: Fixture.string("keys/user-key.pem")) }
    static var cloudKey: RSAPrivateKey { try! RSAPrivateKey(pem: Fixture.string("keys/cloud-key.pem")) }

    /// Small blocks so that tests cross many block boundaries quickly.
    static func options(partSize: Int = 10 << 20, blockSize: Int = 64 << 10) -> BundleWriter.Options {
        var options = BundleWriter.Options()
        options.partSize = partSize
        options.compression = ParallelGzipCompressor.Configuration(blockSize: blockSize)
        return options
    }

    /// Bundles `image` into `directory` and writes a sealed manifest beside the parts.
    @discardableResult
    static func bundle(_ image: String, into directory: String, name: String? = nil,
                       options: BundleWriter.Options = options()) throws -> (BundleManifest, BundleWriter.Result) {
        let name = name ?? (image as NSString).lastPathComponent
        let result = try BundleWriter.bundle(.file(image), name: name, directory: directory, prefix: name,
                                             options: options)
        var manifest = BundleManifest(
            architecture: "x86_64", imageName: name, accountId: "123456789012", imageType: "machine",
            imageDigest: result.tarDigest, imageSize: result.imageSize, bundledSize: result.bundledSize,
            parts: result.parts.map { BundleManifest.Part(filename: $0.filename, digest: $0.digest) })
        try manifest.seal(keys: result.keys, cloudCertificate: cloudCertificate,
                          userCertificate: userCertificate, signingKey: userKey)
        try Data(manifest.document.utf8).write(to: URL(fileURLWithPath: directory + "/" + name + ".manifest.xml"))
        return (manifest, result)
    }

    // MARK: Standard tools

    struct ToolResult {
        var status: Int32
        var output: Data
        var error: String
    }

    /// Runs a program found on PATH with `arguments`, feeding `input` on stdin.
    static func run(_ arguments: [String], input: Data? = nil) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe(), error = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            let handle = stdin.fileHandleForWriting
            let thread = Thread {
                try? handle.write(contentsOf: input)
                try? handle.close()
            }
            thread.start()
        }
        let errorData = Box()
        let reader = Thread { errorData.data = error.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while errorData.data == nil { usleep(1000) }
        return ToolResult(status: process.terminationStatus, output: data,
                          error: String(decoding: errorData.data ?? Data(), as: UTF8.self))
    }

    final class Box: @unchecked Sendable {
        var data: Data?
    }
}
