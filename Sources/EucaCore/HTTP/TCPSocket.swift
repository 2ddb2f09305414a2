#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking TCP socket whose every wait is a `poll` with a timeout, so connect and read
/// timeouts hold exactly and a cancellation (which shuts the socket down) wakes it at once.
final class TCPSocket: ByteChannel {
    let fd: Int32
    let readTimeout: Double
    /// The exchange now using this socket (a pooled connection serves one after another).
    var cancellation: CancellationSwitch

    private init(fd: Int32, readTimeout: Double, cancellation: CancellationSwitch) {
        self.fd = fd
        self.readTimeout = readTimeout
        self.cancellation = cancellation
    }

    /// Resolves `host` (IPv4 and IPv6, in the resolver's order) and connects to the first
    /// address that answers within what is left of `connectTimeout`.
    static func connect(host: String, port: Int, connectTimeout: Double, readTimeout: Double,
                        cancellation: CancellationSwitch) throws(WireFailure) -> TCPSocket {
        let deadline = MonotonicClock.now() + connectTimeout
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .hostNotFound(String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }
        var failure = WireFailure.refused
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry?.pointee {
            entry = address.ai_next
            let fd = socket(address.ai_family,
                            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                            Int32(IPPROTO_TCP))
            guard fd >= 0 else { failure = .other("socket: \(errnoText())"); continue }
            let socket = TCPSocket(fd: fd, readTimeout: readTimeout, cancellation: cancellation)
            do {
                try socket.finishConnect(to: address, deadline: deadline)
                var on: Int32 = 1
                // Head and body go out in separate writes; Nagle would hold the body back for
                // the server's delayed ACK (40 ms) on every request.
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
                return socket
            } catch {
                socket.close()
                if error == .connectTimeout || error == .cancelled { throw error }
                failure = error
            }
        }
        throw failure
    }

    private func finishConnect(to address: addrinfo, deadline: Double) throws(WireFailure) {
        cancellation.watch(fd)
        defer { cancellation.unwatch() }
        if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return }
        guard errno == EINPROGRESS else { throw TCPSocket.connectFailure(errno) }
        try wait(for: Int16(POLLOUT), timeout: deadline - MonotonicClock.now(), onTimeout: .connectTimeout)
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
        if cancellation.isCancelled { throw .cancelled }
        if code != 0 { throw TCPSocket.connectFailure(code) }
    }

    static func connectFailure(_ code: Int32) -> WireFailure {
        code == ECONNREFUSED ? .refused : .other(String(cString: strerror(code)))
    }

    /// Waits until `fd` is ready for `events`; throws `onTimeout` after `timeout` seconds.
    func wait(for events: Int16, timeout: Double, onTimeout: WireFailure) throws(WireFailure) {
        let deadline = MonotonicClock.now() + timeout
        while true {
            if cancellation.isCancelled { throw .cancelled }
            let left = deadline - MonotonicClock.now()
            guard left > 0 else { throw onTimeout }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left * 1000, 1_000_000).rounded(.up)))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .other("poll: \(errnoText())") }
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(WireFailure) -> Int {
        cancellation.watch(fd)
        defer { cancellation.unwatch() }
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count >= 0 {
                if count == 0 && cancellation.isCancelled { throw .cancelled }
                return count
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLIN), timeout: readTimeout, onTimeout: .readTimeout)
            case EINTR: continue
            default:
                if cancellation.isCancelled { throw .cancelled }
                throw .closed(detail: errnoText(), beforeResponse: false)
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(WireFailure) {
        cancellation.watch(fd)
        defer { cancellation.unwatch() }
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a peer that hung up must be an error here, not a SIGPIPE.
            let count = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if count > 0 { offset += count; continue }
            switch errno {
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLOUT), timeout: readTimeout, onTimeout: .readTimeout)
            case EINTR: continue
            default:
                if cancellation.isCancelled { throw .cancelled }
                throw .closed(detail: errnoText(), beforeResponse: true)
            }
        }
    }

    var hasPendingInput: Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) != 0
    }

    func attach(_ cancellation: CancellationSwitch) { self.cancellation = cancellation }

    private var isClosed = false
    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    deinit { close() }
}

func errnoText() -> String { String(cString: strerror(errno)) }
