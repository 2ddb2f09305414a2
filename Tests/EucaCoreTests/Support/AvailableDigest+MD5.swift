@testable import EucaCore

extension AvailableDigest {
    /// The tests run where libcrypto has MD5 (the FIPS-only case is tested end to end).
    static let md5: AvailableDigest = {
        do { return try DigestAlgorithm.md5.available() } catch { fatalError("\(error)") }
    }()
}
