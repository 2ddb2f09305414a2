import CLibSSL
#if canImport(Glibc)
import Glibc
#endif

/// TLS 1.2+ over a connected `TCPSocket`: SNI, and — unless verification is off — the chain
/// checked against the context's trust and the certificate's name against the host we meant.
final class TLSChannel: ByteChannel {
    let socket: TCPSocket
    let ssl: OpaquePointer

    /// Performs the handshake within `timeout` seconds.
    init(socket: TCPSocket, host: String, context: TLSContext, timeout: Double) throws(WireFailure) {
        self.socket = socket
        guard let ssl = SSL_new(try context.sslContext()) else { throw .tls("cannot start TLS: \(TLSContext.lastError())") }
        self.ssl = ssl
        SSL_set_fd(ssl, socket.fd)
        let isAddress = TLSChannel.isIPAddress(host)
        // RFC 6066: SNI carries host names only, never an address literal.
        if !isAddress { euca_ssl_set_sni(ssl, host) }
        if context.settings.verify {
            if isAddress {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
            } else {
                SSL_set1_host(ssl, host)
            }
        }
        let deadline = MonotonicClock.now() + timeout
        socket.cancellation.watch(socket.fd)
        defer { socket.cancellation.unwatch() }
        while true {
            ERR_clear_error()
            let result = SSL_connect(ssl)
            if result == 1 { return }
            let code = SSL_get_error(ssl, result)
            guard try waitIfBlocked(code, timeout: deadline - MonotonicClock.now(), onTimeout: .connectTimeout) else {
                if socket.cancellation.isCancelled { throw .cancelled }
                throw .tls(handshakeFailure(code: code))
            }
        }
    }

    deinit {
        SSL_free(ssl)
        socket.close()
    }

    /// The reason in an operator's words: a failed verification says why the certificate was
    /// refused (unknown issuer, expired, name mismatch), anything else OpenSSL's reason.
    private func handshakeFailure(code: Int32) -> String {
        let verification = SSL_get_verify_result(ssl)
        if verification != Int(X509_V_OK) {
            let reason = String(cString: X509_verify_cert_error_string(verification))
            ERR_clear_error()
            return "certificate not trusted: \(reason)"
        }
        if code == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 {
            return "the server closed the connection during the TLS handshake"
        }
        return TLSContext.lastError()
    }

    static func isIPAddress(_ host: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(WireFailure) -> Int {
        socket.cancellation.watch(socket.fd)
        defer { socket.cancellation.unwatch() }
        while true {
            ERR_clear_error()
            let count = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
            if count > 0 { return Int(count) }
            let code = SSL_get_error(ssl, count)
            if try waitIfBlocked(code, timeout: socket.readTimeout, onTimeout: .readTimeout) { continue }
            switch code {
            case SSL_ERROR_ZERO_RETURN:
                return 0
            case SSL_ERROR_SYSCALL where ERR_peek_error() == 0:
                // An EOF without close_notify: servers that delimit a body by closing often
                // skip the alert; the HTTP framing decides whether anything is missing.
                if socket.cancellation.isCancelled { throw .cancelled }
                return 0
            default:
                if socket.cancellation.isCancelled { throw .cancelled }
                throw .closed(detail: "TLS: \(TLSContext.lastError())", beforeResponse: false)
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(WireFailure) {
        socket.cancellation.watch(socket.fd)
        defer { socket.cancellation.unwatch() }
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let chunk = Int32(min(bytes.count - offset, 1 << 20))
            let count = SSL_write(ssl, bytes.baseAddress! + offset, chunk)
            if count > 0 { offset += Int(count); continue }
            let code = SSL_get_error(ssl, count)
            if try waitIfBlocked(code, timeout: socket.readTimeout, onTimeout: .readTimeout) { continue }
            if socket.cancellation.isCancelled { throw .cancelled }
            throw .closed(detail: "TLS: \(TLSContext.lastError())", beforeResponse: true)
        }
    }

    /// For SSL_ERROR_WANT_READ/WANT_WRITE (TLS may need to read to write, and the reverse),
    /// waits for the socket and returns true; false for any other code.
    private func waitIfBlocked(_ code: Int32, timeout: Double, onTimeout: WireFailure) throws(WireFailure) -> Bool {
        switch code {
        case SSL_ERROR_WANT_READ: try socket.wait(for: Int16(POLLIN), timeout: timeout, onTimeout: onTimeout)
        case SSL_ERROR_WANT_WRITE: try socket.wait(for: Int16(POLLOUT), timeout: timeout, onTimeout: onTimeout)
        default: return false
        }
        return true
    }

    var hasPendingInput: Bool { SSL_pending(ssl) > 0 || socket.hasPendingInput }

    func attach(_ cancellation: CancellationSwitch) { socket.attach(cancellation) }

    func close() { socket.close() }
}
