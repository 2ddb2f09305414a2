import CLibCrypto

/// Bytes from OpenSSL's CSPRNG (seeded from the operating system), for keys and IVs.
public enum SecureRandom {
    public static func bytes(count: Int) throws -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "SecureRandom: bad count \(count)")
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        guard RAND_bytes(&out, Int32(count)) == 1 else {
            throw CryptoError.openSSL("the system's random number generator is not available")
        }
        return out
    }
}
