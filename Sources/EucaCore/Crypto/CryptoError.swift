import CLibCrypto

/// A failed cryptographic operation, worded for the person running the command. Messages never
/// carry key material or plaintext: at most they add OpenSSL's own reason text, which is a fixed
/// string such as "bad decrypt".
public struct CryptoError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// `message`, plus the reason OpenSSL queued for the failure; empties OpenSSL's per-thread
    /// error queue so a stale entry cannot be blamed for a later, unrelated failure.
    static func openSSL(_ message: String) -> CryptoError {
        let code = ERR_peek_last_error()
        ERR_clear_error()
        guard code != 0, let reason = ERR_reason_error_string(code) else {
            return CryptoError(message)
        }
        return CryptoError("\(message) (\(String(cString: reason)))")
    }
}
