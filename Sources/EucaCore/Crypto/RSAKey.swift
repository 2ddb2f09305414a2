import CLibCrypto

// Both key types wrap one EVP_PKEY that is never modified after init; every operation makes
// its own EVP_PKEY_CTX/EVP_MD_CTX. openssl-threads(7) allows sharing an object between threads
// as long as nothing modifies it, hence @unchecked Sendable.

/// An RSA private key, read from unencrypted PEM: PKCS#1 (`BEGIN RSA PRIVATE KEY`, what
/// euca2ools and `openssl genrsa` of old write) or PKCS#8 (`BEGIN PRIVATE KEY`).
public final class RSAPrivateKey: @unchecked Sendable {
    let key: OpaquePointer

    public init(pem: String) throws {
        if pem.contains("ENCRYPTED") {
            throw CryptoError("the private key is protected by a passphrase; decrypt it first "
                + "(for example: openssl pkey -in KEY.pem -out PLAIN.pem)")
        }
        let key = try withMemoryBIO(pem) { bio in
            // A callback that refuses to give a passphrase: OpenSSL's default would prompt on
            // the terminal.
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in -1 }, nil)
        }
        guard let key else { throw CryptoError.openSSL("not a PEM private key") }
        self.key = key
        try requireRSA(key)
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Key size in bits (2048 for the keys Eucalyptus issues).
    public var bitCount: Int { Int(EVP_PKEY_get_bits(key)) }

    public var publicKey: RSAPublicKey {
        // A DER round trip, so the public key object holds no private material at all.
        let der = derSubjectPublicKeyInfo(key)
        guard let publicKey = try? RSAPublicKey(derSubjectPublicKeyInfo: der) else {
            fatalError("OpenSSL could not read back its own public key encoding")
        }
        return publicKey
    }

    /// The unencrypted PKCS#8 PrivateKeyInfo DER. AWS fingerprints keys it created as the SHA-1
    /// of exactly these bytes; it is key material, so hash it and drop it.
    public var derPKCS8: [UInt8] {
        guard let info = EVP_PKEY2PKCS8(key) else {
            fatalError("EVP_PKEY2PKCS8 failed: \(CryptoError.openSSL("PKCS#8 encoding"))")
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        return derEncode { i2d_PKCS8_PRIV_KEY_INFO(info, $0) }
    }

    public func decryptPKCS1v15(_ ciphertext: [UInt8]) throws -> [UInt8] {
        try withPKeyContext(key) { context in
            guard EVP_PKEY_decrypt_init(context) == 1,
                  EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1,
                  disableImplicitRejection(context)
            else { throw CryptoError.openSSL("cannot set up RSA decryption") }
            var length = 0
            guard EVP_PKEY_decrypt(context, nil, &length, ciphertext, ciphertext.count) == 1 else {
                throw CryptoError.openSSL("cannot set up RSA decryption")
            }
            var out = [UInt8](repeating: 0, count: length)
            guard EVP_PKEY_decrypt(context, &out, &length, ciphertext, ciphertext.count) == 1 else {
                ERR_clear_error()
                throw CryptoError("RSA decryption failed: wrong key or corrupt data")
            }
            out.removeLast(out.count - length)
            return out
        }
    }

    /// RSASSA-PKCS1-v1_5 with SHA-1 over `message`: the image manifest signature.
    public func signSHA1PKCS1v15(_ message: [UInt8]) throws -> [UInt8] {
        try withDigestContext { context in
            guard EVP_DigestSignInit_ex(context, nil, "SHA1", nil, nil, key, nil) == 1 else {
                throw CryptoError.openSSL("cannot set up RSA-SHA1 signing")
            }
            var length = 0
            guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
                throw CryptoError.openSSL("RSA-SHA1 signing failed")
            }
            var out = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(context, &out, &length, message, message.count) == 1 else {
                throw CryptoError.openSSL("RSA-SHA1 signing failed")
            }
            out.removeLast(out.count - length)
            return out
        }
    }
}

/// An RSA public key, from an X.509 certificate (what Eucalyptus hands out: the cloud and user
/// certificates) or from a SubjectPublicKeyInfo PEM (`BEGIN PUBLIC KEY`).
public final class RSAPublicKey: @unchecked Sendable {
    let key: OpaquePointer

    public init(certificatePEM pem: String) throws {
        let certificate = try withMemoryBIO(pem) { bio in
            PEM_read_bio_X509(bio, nil, { _, _, _, _ in -1 }, nil)
        }
        guard let certificate else { throw CryptoError.openSSL("not a PEM X.509 certificate") }
        defer { X509_free(certificate) }
        guard let key = X509_get_pubkey(certificate) else {
            throw CryptoError.openSSL("the certificate's public key cannot be read")
        }
        self.key = key
        try requireRSA(key)
    }

    public init(pem: String) throws {
        let key = try withMemoryBIO(pem) { bio in
            PEM_read_bio_PUBKEY(bio, nil, { _, _, _, _ in -1 }, nil)
        }
        guard let key else { throw CryptoError.openSSL("not a PEM public key") }
        self.key = key
        try requireRSA(key)
    }

    init(derSubjectPublicKeyInfo der: [UInt8]) throws {
        let key = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let key else { throw CryptoError.openSSL("not a DER public key") }
        self.key = key
        try requireRSA(key)
    }

    deinit {
        EVP_PKEY_free(key)
    }

    public var bitCount: Int { Int(EVP_PKEY_get_bits(key)) }

    /// The DER SubjectPublicKeyInfo. AWS fingerprints imported keys as the MD5 of these bytes.
    public var derSubjectPublicKeyInfo: [UInt8] {
        EucaCore.derSubjectPublicKeyInfo(key)
    }

    public func encryptPKCS1v15(_ plaintext: [UInt8]) throws -> [UInt8] {
        // PKCS#1 v1.5 needs 11 bytes of padding; say so rather than relay OpenSSL's wording.
        let limit = Int(EVP_PKEY_get_size(key)) - 11
        guard plaintext.count <= limit else {
            throw CryptoError("\(plaintext.count) bytes is too long for RSA PKCS#1 v1.5 "
                + "encryption with a \(bitCount)-bit key (at most \(limit))")
        }
        return try withPKeyContext(key) { context in
            guard EVP_PKEY_encrypt_init(context) == 1,
                  EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1
            else { throw CryptoError.openSSL("cannot set up RSA encryption") }
            var length = 0
            guard EVP_PKEY_encrypt(context, nil, &length, plaintext, plaintext.count) == 1 else {
                throw CryptoError.openSSL("RSA encryption failed")
            }
            var out = [UInt8](repeating: 0, count: length)
            guard EVP_PKEY_encrypt(context, &out, &length, plaintext, plaintext.count) == 1 else {
                throw CryptoError.openSSL("RSA encryption failed")
            }
            out.removeLast(out.count - length)
            return out
        }
    }

    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 SHA-1 signature of `message`.
    public func verifySHA1PKCS1v15(signature: [UInt8], message: [UInt8]) -> Bool {
        let valid = try? withDigestContext { context -> Bool in
            guard EVP_DigestVerifyInit_ex(context, nil, "SHA1", nil, nil, key, nil) == 1 else {
                return false
            }
            return EVP_DigestVerify(context, signature, signature.count,
                                    message, message.count) == 1
        }
        // A bad signature leaves reasons on OpenSSL's queue; it is an answer, not an error.
        ERR_clear_error()
        return valid ?? false
    }
}

// MARK: - Helpers (OpenSSL types stay in this file)

private func requireRSA(_ key: OpaquePointer) throws {
    guard EVP_PKEY_is_a(key, "RSA") == 1 else {
        throw CryptoError("not an RSA key (only RSA keys are supported)")
    }
}

/// Runs `body` with a read-only memory BIO over the UTF-8 of `text`.
private func withMemoryBIO<T>(_ text: String, _ body: (OpaquePointer) throws -> T) throws -> T {
    var text = text
    return try text.withUTF8 { utf8 in
        guard let bio = BIO_new_mem_buf(utf8.baseAddress, Int32(utf8.count)) else {
            throw CryptoError.openSSL("out of memory")
        }
        defer { BIO_free(bio) }
        return try body(bio)
    }
}

private func withPKeyContext<T>(_ key: OpaquePointer,
                                _ body: (OpaquePointer) throws -> T) throws -> T {
    guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
        throw CryptoError.openSSL("cannot create an RSA context")
    }
    defer { EVP_PKEY_CTX_free(context) }
    return try body(context)
}

private func withDigestContext<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
    guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL("out of memory") }
    defer { EVP_MD_CTX_free(context) }
    return try body(context)
}

/// OpenSSL 3.2 and later answer a PKCS#1 v1.5 padding failure with random bytes instead of an
/// error (implicit rejection, a defence for servers that would otherwise be a decryption
/// oracle). This tool decrypts its user's own manifests locally and is nobody's oracle; an
/// explicit "wrong key" is what the user needs. OpenSSL 3.0/3.1 ignore the unknown parameter.
private func disableImplicitRejection(_ context: OpaquePointer) -> Bool {
    var off: UInt32 = 0
    return "implicit-rejection".withCString { name in
        var params = [
            OSSL_PARAM_construct_uint(name, &off),
            OSSL_PARAM_construct_end(),
        ]
        return EVP_PKEY_CTX_set_params(context, &params) == 1
    }
}

private func derSubjectPublicKeyInfo(_ key: OpaquePointer) -> [UInt8] {
    derEncode { i2d_PUBKEY(key, $0) }
}

/// Calls an OpenSSL `i2d_*` encoder twice: once for the length, once to write.
private func derEncode(
    _ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
) -> [UInt8] {
    let length = encode(nil)
    guard length > 0 else {
        fatalError("DER encoding failed: \(CryptoError.openSSL("i2d"))")
    }
    var out = [UInt8](repeating: 0, count: Int(length))
    let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
        var cursor = buffer.baseAddress
        return encode(&cursor)
    }
    precondition(written == length, "DER encoding changed length between calls")
    return out
}
