import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends one HTTP/1.1 request and returns whatever came back — redirects included, never
/// followed (they would re-send our credentials elsewhere) — over our own sockets and libssl:
/// connections kept alive and reused within the process, trust and verification as configured,
/// forward proxies from the environment. Exactly what the signer signed goes out: the path and
/// query as encoded, the headers given plus `Host` and `Content-Length`, nothing else.
/// Retrying, signing and interpreting responses happen above this layer.
///
/// Each exchange blocks a thread of its own in `poll` rather than a thread of Swift's
/// cooperative pool, which has only as many threads as cores: parallel part uploads would
/// otherwise wait for each other.
public final class HTTPTransport: Sendable {
    public struct Options: Sendable {
        public var connectTimeout: Double
        public var readTimeout: Double
        public var tls: TLSSettings
        public var proxies: ProxySettings
        public var limits: HTTPResponseLimits

        public init(connectTimeout: Double = TransportDefaults.connectTimeout,
                    readTimeout: Double = TransportDefaults.readTimeout,
                    tls: TLSSettings = TLSSettings(), proxies: ProxySettings = .none,
                    limits: HTTPResponseLimits = HTTPResponseLimits()) {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.tls = tls
            self.proxies = proxies
            self.limits = limits
        }
    }

    public let options: Options
    let pool = ConnectionPool()
    let tlsContext: TLSContext

    public init(options: Options = Options()) {
        self.options = options
        tlsContext = TLSContext(settings: options.tls)
        // libssl writes to the socket with write(2), which raises SIGPIPE on a closed peer.
        StandardStream.ignoreBrokenPipeSignal()
    }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let cancellation = CancellationSwitch()
        let result: Result<HTTPResponse, WireFailure> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread { continuation.resume(returning: self.exchange(request, cancellation)) }
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        switch result {
        case .success(let response): return response
        case .failure(let failure):
            // Through a proxy, a refusal or a timeout may be the proxy's: name both.
            let proxy = self.proxy(for: request).map { " (through proxy \($0.host):\($0.port))" } ?? ""
            throw transportError(failure, host: request.hostHeader + proxy)
        }
    }

    func proxy(for request: HTTPRequest) -> ProxySettings.Proxy? {
        options.proxies.proxy(scheme: request.scheme, host: request.host,
                              port: request.port ?? (request.scheme == "https" ? 443 : 80))
    }

    func exchange(_ request: HTTPRequest, _ cancellation: CancellationSwitch) -> Result<HTTPResponse, WireFailure> {
        do throws(WireFailure) {
            let port = request.port ?? (request.scheme == "https" ? 443 : 80)
            let proxy = proxy(for: request)
            // Through a proxy, http requests go to the proxy in absolute form; https ones
            // through a tunnel, in which the proxy sees nothing.
            let head = try HTTPTransport.head(of: request, proxy: request.scheme == "http" ? proxy : nil)
            let key = ConnectionPool.Key(scheme: request.scheme, host: request.host, port: port)
            if let channel = pool.checkOut(key) {
                channel.attach(cancellation)
                do {
                    return .success(try roundTrip(request, head: head, on: channel, key: key))
                } catch .closed(_, beforeResponse: true) {
                    // The server closed the idle connection as we reused it: it never saw the
                    // request, so send it once more on a fresh connection.
                }
            }
            let channel = try open(key, proxy: proxy, cancellation: cancellation)
            return .success(try roundTrip(request, head: head, on: channel, key: key))
        } catch {
            return .failure(error)
        }
    }

    private func roundTrip(_ request: HTTPRequest, head: [UInt8], on channel: ByteChannel,
                           key: ConnectionPool.Key) throws(WireFailure) -> HTTPResponse {
        do throws(WireFailure) {
            switch request.body {
            case .bytes(let body) where body.count <= 64 * 1024:
                // One write for a small request: one packet, one syscall.
                try channel.write(head + body)
            case .bytes(let body):
                try channel.write(head)
                try channel.write(body)
            case .file(let region):
                try channel.write(head)
                try HTTPTransport.send(region, on: channel)
            }
            var reader = HTTPResponseReader(limits: options.limits) { (buffer) throws(WireFailure) in try channel.read(into: buffer) }
            let result = try reader.read(method: request.method)
            if result.reusable { pool.checkIn(channel, for: key) } else { channel.close() }
            return result.response
        } catch {
            channel.close()
            throw error
        }
    }

    private func open(_ key: ConnectionPool.Key, proxy: ProxySettings.Proxy?,
                      cancellation: CancellationSwitch) throws(WireFailure) -> ByteChannel {
        let started = MonotonicClock.now()
        let socket = try TCPSocket.connect(host: proxy?.host ?? HTTPTransport.bare(key.host),
                                           port: proxy?.port ?? key.port,
                                           connectTimeout: options.connectTimeout,
                                           readTimeout: options.readTimeout, cancellation: cancellation)
        // The connect timeout bounds everything up to a usable connection: TCP, the proxy's
        // tunnel and the TLS handshake.
        let remaining = { max(0.001, self.options.connectTimeout - (MonotonicClock.now() - started)) }
        if let proxy, key.scheme == "https" {
            try HTTPTransport.openTunnel(through: socket, proxy: proxy, to: key, timeout: remaining())
        }
        guard key.scheme == "https" else { return socket }
        return try TLSChannel(socket: socket, host: HTTPTransport.bare(key.host), context: tlsContext, timeout: remaining())
    }

    /// A file body from disk, a piece at a time. Should the file end early, the connection
    /// is closed by the caller with the request incomplete, so the server cannot take what
    /// was sent for the whole body.
    static func send(_ region: FileRegion, on channel: ByteChannel) throws(WireFailure) {
        do {
            try region.forEachChunk { (chunk) throws(WireFailure) in try channel.write(chunk) }
        } catch {
            switch error {
            case .file(let failure): throw .other(failure.description)
            case .consumer(let failure): throw failure
            }
        }
    }

    /// `CONNECT host:port` through a forward proxy; the tunnel then carries our TLS.
    static func openTunnel(through socket: TCPSocket, proxy: ProxySettings.Proxy,
                           to key: ConnectionPool.Key, timeout: Double) throws(WireFailure) {
        let authority = key.host.contains(":") ? "[\(key.host)]:\(key.port)" : "\(key.host):\(key.port)"
        var text = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
        if let credentials = proxy.credentials {
            text += "Proxy-Authorization: \(basicCredentials(credentials))\r\n"
        }
        text += "\r\n"
        let request = Array(text.utf8)
        try socket.write(request)
        var reader = HTTPResponseReader { (buffer) throws(WireFailure) -> Int in
            try socket.wait(for: Int16(POLLIN), timeout: timeout, onTimeout: .connectTimeout)
            return try socket.read(into: buffer)
        }
        let answer: HTTPResponseReader.Result
        do {
            answer = try reader.read(method: "CONNECT")
        } catch .closed(let detail, _) {
            throw .proxy("proxy \(proxy.host):\(proxy.port) closed the connection instead of opening a tunnel (\(detail))")
        }
        guard (200..<300).contains(answer.response.status) else {
            throw .proxy("proxy \(proxy.host):\(proxy.port) refused the tunnel to \(authority): HTTP \(answer.response.status)")
        }
    }

    /// The request line and headers; with `proxy`, in the absolute form a forward proxy
    /// expects, with its credentials (added here, after signing and outside the `--debug`
    /// dump of the signed headers). Header text with CR or LF would let a value smuggle in
    /// headers of its own, so it is refused.
    static func head(of request: HTTPRequest, proxy: ProxySettings.Proxy? = nil) throws(WireFailure) -> [UInt8] {
        var target = request.encodedPath
        if !request.query.isEmpty { target += "?" + request.encodedQuery }
        if proxy != nil { target = "\(request.scheme)://\(request.hostHeader)\(target)" }
        var text = "\(request.method) \(target) HTTP/1.1\r\n"
        if request.headers["Host"] == nil { text += "Host: \(request.hostHeader)\r\n" }
        if let credentials = proxy?.credentials {
            text += "Proxy-Authorization: \(HTTPTransport.basicCredentials(credentials))\r\n"
        }
        for (name, value) in request.headers {
            guard !name.isEmpty, !(name + value).contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw .other("header \(name) contains a line break")
            }
            text += "\(name): \(value)\r\n"
        }
        if request.headers["Content-Length"] == nil,
           !request.body.isEmpty || ["PUT", "POST"].contains(request.method) {
            text += "Content-Length: \(request.body.count)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    static func basicCredentials(_ userAndPassword: String) -> String {
        "Basic " + Data(userAndPassword.utf8).base64EncodedString()
    }

    /// An IPv6 literal as the resolver wants it, without URL brackets.
    static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    func transportError(_ failure: WireFailure, host: String) -> TransportError {
        switch failure {
        case .hostNotFound(let detail): return TransportError(.hostNotFound, host: host, detail: detail)
        case .refused: return TransportError(.connectionRefused, host: host, detail: "connection refused")
        case .connectTimeout:
            return TransportError(.connectTimeout, host: host, detail: CommonOptions.formatSeconds(options.connectTimeout))
        case .readTimeout:
            return TransportError(.readTimeout, host: host, detail: CommonOptions.formatSeconds(options.readTimeout))
        case .closed(let detail, _): return TransportError(.connectionLost, host: host, detail: detail)
        case .tls(let detail): return TransportError(.tls, host: host, detail: detail)
        case .malformedResponse(let detail): return TransportError(.malformedResponse, host: host, detail: detail)
        case .proxy(let detail): return TransportError(.proxy, host: host, detail: detail)
        case .cancelled: return TransportError(.cancelled, host: host, detail: "cancelled")
        case .other(let detail): return TransportError(.other, host: host, detail: detail)
        }
    }
}
