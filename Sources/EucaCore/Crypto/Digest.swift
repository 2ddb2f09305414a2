import CLibCrypto
import Foundation

public enum DigestAlgorithm: Sendable, CaseIterable {
    case md5, sha1, sha256

    /// Length of the digest in bytes.
    public var byteCount: Int {
        switch self {
        case .md5: 16
        case .sha1: 20
        case .sha256: 32
        }
    }

    /// The OpenSSL name, as `EVP_MD_fetch` and the HMAC `digest` parameter spell it.
    var openSSLName: String {
        switch self {
        case .md5: "MD5"
        case .sha1: "SHA1"
        case .sha256: "SHA256"
        }
    }

    private var fetched: Result<OpaquePointer, CryptoError> {
        switch self {
        case .md5: FetchedDigests.md5
        case .sha1: FetchedDigests.sha1
        case .sha256: FetchedDigests.sha256
        }
    }

    /// This digest, if libcrypto can supply it. A FIPS-only OpenSSL configuration has no MD5,
    /// which S3 needs for every upload's Content-MD5 and ETag check: an `S3Client` is made
    /// with the checked MD5, so that failure is one clear line when the client is made.
    public func available() throws(CryptoError) -> AvailableDigest {
        switch fetched {
        case .success(let md): return AvailableDigest(algorithm: self, md: md)
        case .failure(let error): throw error
        }
    }
}

/// A digest algorithm libcrypto has been checked to supply: the only way to hash. SHA-1 and
/// SHA-256 are in every OpenSSL provider (FIPS included) and are available unconditionally;
/// MD5 only through `DigestAlgorithm.md5.available()`.
public struct AvailableDigest: @unchecked Sendable {
    public let algorithm: DigestAlgorithm
    /// A fetched EVP_MD: immutable, shared by all threads.
    let md: OpaquePointer

    public static let sha1 = always(.sha1)
    public static let sha256 = always(.sha256)

    public var byteCount: Int { algorithm.byteCount }

    private static func always(_ algorithm: DigestAlgorithm) -> AvailableDigest {
        do {
            return try algorithm.available()
        } catch {
            // Not a configuration a user can make: every provider OpenSSL 3 ships has these.
            fatalError("\(error)")
        }
    }
}

/// Fetched once per process. OpenSSL 3 otherwise looks the implementation up (a locked search of
/// the provider store) on every init; fetched EVP_MD objects are immutable and may be shared by
/// all threads.
private enum FetchedDigests {
    nonisolated(unsafe) static let md5 = fetch("MD5")
    nonisolated(unsafe) static let sha1 = fetch("SHA1")
    nonisolated(unsafe) static let sha256 = fetch("SHA256")

    private static func fetch(_ name: String) -> Result<OpaquePointer, CryptoError> {
        guard let md = EVP_MD_fetch(nil, name, nil) else {
            let reason = CryptoError.openSSL("OpenSSL offers no \(name) digest").message
            return .failure(CryptoError("\(reason); is OpenSSL configured for FIPS only (OPENSSL_CONF, openssl.cnf)? S3 uploads and downloads need MD5"))
        }
        return .success(md)
    }
}

/// A streaming message digest. Feed it any number of `update` calls, then `finalize()`; the
/// object is then reset and can hash the next message. One EVP_MD_CTX is allocated per instance
/// and nothing per call, so hashing a multi-gigabyte stream in small pieces costs only the hash.
public final class Digest {
    public let algorithm: AvailableDigest
    private let context: OpaquePointer

    public init(_ algorithm: AvailableDigest) {
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
        self.algorithm = algorithm
        self.context = context
        reset()
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        // Only a broken context can fail here; carrying on would return a wrong digest.
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else {
            fatalError("EVP_DigestUpdate failed: \(CryptoError.openSSL("digest update"))")
        }
    }

    public func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything fed since creation or the previous `finalize()`.
    public func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.byteCount)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1, Int(length) == out.count else {
            fatalError("EVP_DigestFinal_ex failed: \(CryptoError.openSSL("digest final"))")
        }
        reset()
        return out
    }

    private func reset() {
        guard EVP_DigestInit_ex2(context, algorithm.md, nil) == 1 else {
            fatalError("EVP_DigestInit_ex2 failed: \(CryptoError.openSSL("digest init"))")
        }
    }

    // MARK: One-shot

    public static func hash(_ algorithm: AvailableDigest,
                            _ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.byteCount)
        var length: UInt32 = 0
        // EVP_Digest wants a non-null pointer even for empty input.
        let ok = withUnsafeBytes(of: UInt8(0)) { empty in
            EVP_Digest(bytes.baseAddress ?? empty.baseAddress, bytes.count, &out, &length,
                       algorithm.md, nil)
        }
        guard ok == 1, Int(length) == out.count else {
            fatalError("EVP_Digest failed: \(CryptoError.openSSL("digest"))")
        }
        return out
    }

    public static func hash(_ algorithm: AvailableDigest, _ data: Data) -> [UInt8] {
        data.withUnsafeBytes { hash(algorithm, $0) }
    }

    public static func hash(_ algorithm: AvailableDigest, _ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash(algorithm, $0) }
    }

    /// Hashes the UTF-8 bytes of `string`.
    public static func hash(_ algorithm: AvailableDigest, _ string: String) -> [UInt8] {
        var string = string
        return string.withUTF8 { hash(algorithm, UnsafeRawBufferPointer($0)) }
    }
}
