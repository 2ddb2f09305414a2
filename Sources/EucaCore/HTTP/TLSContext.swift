import CLibSSL
import Foundation

/// One OpenSSL `SSL_CTX` per transport, made on first use (a plain-http command never pays for
/// it). The system store is loaded as the hashed directory, whose certificates OpenSSL reads
/// lazily — the bundle *file* costs ~30 ms to parse, the directory ~2 ms (measured here).
final class TLSContext: @unchecked Sendable {
    static let systemCertificateDirectory = "/etc/ssl/certs"

    let settings: TLSSettings
    private let lock = NSLock()
    private var context: OpaquePointer?

    init(settings: TLSSettings) {
        self.settings = settings
    }

    deinit { if let context { SSL_CTX_free(context) } }

    func sslContext() throws(WireFailure) -> OpaquePointer {
        lock.lock()
        defer { lock.unlock() }
        if let context { return context }
        guard let made = SSL_CTX_new(TLS_client_method()) else { throw .tls("cannot create a TLS context: \(TLSContext.lastError())") }
        euca_ssl_ctx_set_min_tls12(made)
        if settings.verify {
            SSL_CTX_set_verify(made, SSL_VERIFY_PEER, nil)
            if let bundle = settings.caBundle {
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: bundle, isDirectory: &isDirectory)
                let loaded = exists && isDirectory.boolValue
                    ? SSL_CTX_load_verify_locations(made, nil, bundle)
                    : SSL_CTX_load_verify_locations(made, bundle, nil)
                guard loaded == 1 else {
                    SSL_CTX_free(made)
                    throw .tls("cannot load CA bundle \(bundle): \(TLSContext.lastError())")
                }
            } else if FileManager.default.fileExists(atPath: TLSContext.systemCertificateDirectory) {
                SSL_CTX_load_verify_locations(made, nil, TLSContext.systemCertificateDirectory)
            } else {
                SSL_CTX_set_default_verify_paths(made)
            }
        } else {
            SSL_CTX_set_verify(made, SSL_VERIFY_NONE, nil)
        }
        context = made
        return made
    }

    /// The oldest queued OpenSSL error as text (and the queue emptied).
    static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // "error:0A000086:SSL routines::certificate verify failed" → the reason at the end.
        return text.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? text
    }
}
