import CLibCrypto

/// HMAC through OpenSSL 3's EVP_MAC interface (the HMAC_CTX functions are deprecated and hidden
/// by our shim).
public enum HMAC {
    public static func authenticationCode(_ algorithm: DigestAlgorithm, key: [UInt8],
                                          message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.byteCount)
        var length = 0
        // HMAC needs *a* key pointer even for an empty key: a null one means "no key set".
        let padded = key.isEmpty ? [0] : key
        let ok = padded.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                withUnsafeBytes(of: UInt8(0)) { empty in
                    EVP_Q_mac(nil, "HMAC", nil, algorithm.openSSLName, nil,
                              keyBytes.baseAddress, key.count,
                              (messageBytes.baseAddress ?? empty.baseAddress)?
                                  .bindMemory(to: UInt8.self, capacity: max(message.count, 1)),
                              message.count, &out, out.count, &length)
                }
            }
        }
        // Only a libcrypto without HMAC or the digest can fail here.
        guard ok != nil, length == out.count else {
            fatalError("EVP_Q_mac failed: \(CryptoError.openSSL("HMAC"))")
        }
        return out
    }
}
