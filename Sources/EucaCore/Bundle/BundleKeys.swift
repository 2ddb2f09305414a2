/// The AES-128-CBC key and IV of one bundle. The manifest carries them as 32 lowercase hex
/// characters each, RSA-wrapped for two certificates; what is wrapped is the ASCII hex text,
/// not the 16 raw bytes.
public struct BundleKeys: Sendable, Equatable {
    public var key: [UInt8]
    public var iv: [UInt8]

    public init(key: [UInt8], iv: [UInt8]) throws {
        guard key.count == 16, iv.count == 16 else {
            throw CryptoError("a bundle key and IV are 16 bytes each")
        }
        self.key = key
        self.iv = iv
    }

    /// 128 random bits each, from the CSPRNG.
    public static func random() throws -> BundleKeys {
        try BundleKeys(key: SecureRandom.bytes(count: 16), iv: SecureRandom.bytes(count: 16))
    }

    /// From 32-character hex strings (what `--enc-key`/`--enc-iv` and the manifest hold).
    public init(keyHex: String, ivHex: String) throws {
        guard let key = BundleKeys.parseHex(keyHex), let iv = BundleKeys.parseHex(ivHex) else {
            throw CryptoError("a bundle key and IV are 32 hexadecimal characters each")
        }
        try self.init(key: key, iv: iv)
    }

    public var keyHex: String { key.hexString }
    public var ivHex: String { iv.hexString }

    /// 16 bytes from exactly 32 hex digits (either case, surrounding whitespace ignored).
    static func parseHex(_ text: String) -> [UInt8]? {
        let trimmed = text.trimmed()
        guard trimmed.utf8.count == 32, let bytes = Hex.bytes(fromHex: trimmed) else { return nil }
        return bytes
    }
}
