import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Enforces `--connect-timeout`, which URLSession on Linux has no setting for (its only timer
/// is the idle timer we use as the read timeout). For the first request to each host:port the
/// transport races the request against a plain TCP connect to the same address: if that
/// connect has not completed within the timeout, the host is unreachable and the request is
/// cancelled. Later requests reuse URLSession's connection and are not probed. With a proxy
/// configured the target is not what we connect to, so no probe runs and the read timeout
/// bounds connecting instead.
final class ConnectProbes: @unchecked Sendable {
    private let lock = NSLock()
    private var reachable: Set<String> = []
    private let proxied: Bool

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        proxied = ["http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
            .contains { environment[$0]?.isEmpty == false }
    }

    /// Starts a probe unless this host:port already answered; `onTimeout` cancels the request.
    func start(host: String, port: Int, timeout: Double, scheme: String,
               onTimeout: @escaping @Sendable () -> Void) -> Probe? {
        guard !proxied else { return nil }
        let key = "\(host):\(port)"
        lock.lock()
        let known = reachable.contains(key)
        lock.unlock()
        guard !known else { return nil }
        let probe = Probe(onTimeout: onTimeout) { [weak self] in
            guard let self else { return }
            self.lock.lock()
            self.reachable.insert(key)
            self.lock.unlock()
        }
        DispatchQueue.global().async {
            probe.report(ConnectProbes.connect(host: host, port: port, timeout: timeout))
        }
        return probe
    }

    enum Outcome { case connected, failed, timedOut }

    static func connect(host: String, port: Int, timeout: Double) -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            return .failed
        }
        defer { freeaddrinfo(list) }
        var sawTimeout = false
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue), info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return .connected }
            guard errno == EINPROGRESS else { continue }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return .timedOut }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&pfd, 1, Int32(remaining * 1000))
            if ready == 0 {
                sawTimeout = true
                continue
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if ready > 0 && error == 0 { return .connected }
        }
        return sawTimeout ? .timedOut : .failed
    }
}

/// One probe's state, shared between the probing thread and the request.
final class Probe: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var didTimeOut = false
    private let onTimeout: @Sendable () -> Void
    private let onReachable: () -> Void

    init(onTimeout: @escaping @Sendable () -> Void, onReachable: @escaping () -> Void) {
        self.onTimeout = onTimeout
        self.onReachable = onReachable
    }

    var timedOut: Bool {
        lock.lock()
        defer { lock.unlock() }
        return didTimeOut
    }

    /// The request ended first: a late probe result changes nothing.
    func finish() {
        lock.lock()
        finished = true
        lock.unlock()
    }

    func report(_ outcome: ConnectProbes.Outcome) {
        lock.lock()
        let active = !finished
        if outcome == .timedOut && active { didTimeOut = true }
        lock.unlock()
        switch outcome {
        case .connected: onReachable()
        case .timedOut where active: onTimeout()
        default: break
        }
    }
}
