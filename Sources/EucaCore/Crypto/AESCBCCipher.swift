import CLibCrypto

/// Streaming AES-128-CBC with PKCS#7 padding, as in image bundles (no OpenSSL `Salted__`
/// header, key and IV given explicitly). Create one per message: `update` any number of times,
/// then `finalize()` exactly once.
///
/// Speed matters here (bundles are gigabytes, and EVP with AES-NI runs at 1.5–2 GB/s), so the
/// primitive `update(_:into:)` writes straight into the caller's buffer. The `[UInt8]` overload
/// is a convenience that costs one zero-fill of the appended region per call.
public final class AESCBCCipher {
    public enum Mode: Sendable {
        case encrypt, decrypt
    }

    public static let blockSize = 16
    public static let keySize = 16

    public let mode: Mode
    private let context: OpaquePointer
    private var finished = false

    public init(mode: Mode, key: [UInt8], iv: [UInt8]) throws {
        guard key.count == Self.keySize else {
            throw CryptoError("AES-128 needs a 16-byte key, not \(key.count) bytes")
        }
        guard iv.count == Self.blockSize else {
            throw CryptoError("AES-CBC needs a 16-byte IV, not \(iv.count) bytes")
        }
        guard let context = EVP_CIPHER_CTX_new() else {
            throw CryptoError.openSSL("cannot create an AES context")
        }
        self.mode = mode
        self.context = context
        guard EVP_CipherInit_ex2(context, FetchedCipher.aes128CBC, key, iv,
                                 mode == .encrypt ? 1 : 0, nil) == 1 else {
            throw CryptoError.openSSL("cannot initialise AES-128-CBC")
        }
    }

    deinit {
        // Also wipes the expanded key schedule.
        EVP_CIPHER_CTX_free(context)
    }

    /// The most bytes one `update` can produce for `inputCount` input bytes. Decryption holds
    /// back the last block until it knows whether it is the padding block, so the output can
    /// run one block ahead of or behind the input.
    public static func maximumOutputCount(forInputCount inputCount: Int) -> Int {
        inputCount + blockSize
    }

    /// Processes `input` and writes the output to the start of `output`, which must hold at least
    /// `maximumOutputCount(forInputCount: input.count)` bytes. Returns how many bytes it wrote.
    public func update(_ input: UnsafeRawBufferPointer,
                       into output: UnsafeMutableRawBufferPointer) throws -> Int {
        precondition(!finished, "AESCBCCipher.update after finalize")
        precondition(output.count >= Self.maximumOutputCount(forInputCount: input.count),
                     "AESCBCCipher.update: output buffer too small")
        guard let inBase = input.baseAddress, !input.isEmpty, let outBase = output.baseAddress
        else { return 0 }
        // EVP counts in Int32; feed very large buffers in block-aligned slices.
        let sliceLimit = 1 << 30
        var consumed = 0
        var produced = 0
        while consumed < input.count {
            let sliceCount = min(sliceLimit, input.count - consumed)
            var written: Int32 = 0
            guard EVP_CipherUpdate(
                context,
                (outBase + produced).bindMemory(to: UInt8.self, capacity: output.count - produced), &written,
                (inBase + consumed).bindMemory(to: UInt8.self, capacity: sliceCount), Int32(sliceCount)) == 1
            else {
                throw CryptoError.openSSL("AES-128-CBC failed")
            }
            consumed += sliceCount
            produced += Int(written)
        }
        return produced
    }

    /// Processes `input` and appends the output to `output`.
    public func update(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        let start = output.count
        let room = Self.maximumOutputCount(forInputCount: input.count)
        output.append(contentsOf: repeatElement(0, count: room))
        let written = try output.withUnsafeMutableBytes { buffer in
            try update(input, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
        }
        output.removeLast(room - written)
    }

    /// Processes `input` and appends the output to `output`.
    public func update(_ input: [UInt8], into output: inout [UInt8]) throws {
        try input.withUnsafeBytes { try update($0, into: &output) }
    }

    /// Ends the message: encryption returns the final padded block, decryption the plaintext it
    /// held back, with the padding checked and removed. A padding error on decryption almost
    /// always means the wrong key or IV, or a truncated or corrupted ciphertext.
    public func finalize() throws -> [UInt8] {
        precondition(!finished, "AESCBCCipher.finalize called twice")
        finished = true
        var out = [UInt8](repeating: 0, count: Self.blockSize)
        var written: Int32 = 0
        guard EVP_CipherFinal_ex(context, &out, &written) == 1 else {
            ERR_clear_error()
            switch mode {
            case .encrypt:
                throw CryptoError("AES-128-CBC encryption failed")
            case .decrypt:
                throw CryptoError("AES decryption failed: wrong key or corrupt data (bad padding)")
            }
        }
        out.removeLast(out.count - Int(written))
        return out
    }
}

/// Fetched once per process, like the digests in Digest.swift: an explicit fetch spares the
/// implicit provider lookup on every init, and the fetched cipher is shareable across threads.
private enum FetchedCipher {
    nonisolated(unsafe) static let aes128CBC: OpaquePointer = {
        guard let cipher = EVP_CIPHER_fetch(nil, "AES-128-CBC", nil) else {
            fatalError("libcrypto has no AES-128-CBC: \(CryptoError.openSSL("fetch failed"))")
        }
        return cipher
    }()
}
