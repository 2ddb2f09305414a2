import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A reverse proxy in front of a moto endpoint that fails requests on purpose, started with
/// `Scripts/fault-proxy.py` (its header documents every fault, the schedule and the log).
///
///     let moto = try MotoEndpoint.shared
///     let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
///         .init(match: .action("DescribeAvailabilityZones"), times: 2,
///               fault: .error(status: 503, code: "ServiceUnavailable")),
///     ])
///     defer { proxy.stop() }
///     var env = endpointEnv(moto)
///     env["EC2_URL"] = proxy.endpoint
///     let result = euca("describe-availability-zones", env: env)
///     let seen = try proxy.requests()   // what reached the proxy, and what it did
///
/// Requests are forwarded byte for byte, Host header included, so signatures stay valid
/// and moto still checks them. Each test should start its own proxy (it is cheap: about
/// 50 ms) so that its log holds only its own requests; tests then run in parallel safely.
///
/// The control calls (`setSchedule`, `requests`, `reset`) use a plain socket, not
/// an HTTP client: no proxy settings, retries or connection reuse of a client can get
/// between the test and the proxy.
///
/// Lifetime: as for `MotoEndpoint` (see `HelperScript`): the proxy exits when the test
/// process does, however it ends. `EUCA_TEST_PROXY_VERBOSE=1` logs every request and
/// copies the proxy's stderr to the test's stderr.
final class FaultProxy: Sendable {
    /// `http://127.0.0.1:PORT`: what EC2_URL/S3_URL point at.
    let endpoint: String
    let port: Int
    /// What the proxy forwards to (nil: nothing; requests that would be forwarded get 502).
    let upstream: String?

    private let script: HelperScript

    /// The Host header clients send to the proxy (and sign): `127.0.0.1:PORT`.
    var hostHeader: String { "127.0.0.1:\(port)" }
    var pid: Int32 { script.pid }
    var isRunning: Bool { script.isRunning }
    /// The end of the proxy's stderr: warnings, and every request with EUCA_TEST_PROXY_VERBOSE=1.
    var recentLog: String { script.recentLog }

    /// Starts a proxy on a free 127.0.0.1 port. Call `stop()` when done.
    ///
    /// - Parameters:
    ///   - upstream: the base URL to forward to (`http://127.0.0.1:PORT`), or nil for a
    ///     proxy that only answers from its schedule (a redirect target, say).
    ///   - schedule: the initial rules; change them later with `setSchedule`.
    ///   - seed: for `probability` draws and garbage bodies.
    ///   - maxRequests, maxSeconds: the proxy exits by itself after answering that many
    ///     requests, or after that long.
    static func start(
        upstream: String?, schedule: [FaultRule] = [], seed: Int = 0,
        maxRequests: Int? = nil, maxSeconds: Double? = nil, timeout: TimeInterval = 30
    ) throws -> FaultProxy {
        let verbose = !(ProcessInfo.processInfo.environment["EUCA_TEST_PROXY_VERBOSE"] ?? "").isEmpty
        var arguments = ["--seed", String(seed)]
        if let upstream { arguments += ["--upstream", upstream] }
        if !schedule.isEmpty { arguments += ["--schedule", try FaultRule.json(schedule)] }
        if let maxRequests { arguments += ["--max-requests", String(maxRequests)] }
        if let maxSeconds { arguments += ["--max-seconds", String(maxSeconds)] }
        if verbose { arguments.append("--verbose") }

        struct ReadyLine: Decodable {
            let endpoint: String
            let pid: Int32
        }
        let launched: (script: HelperScript, ready: ReadyLine)
        do {
            launched = try HelperScript.launch(
                "fault-proxy.py", arguments: arguments, echoStderr: verbose, timeout: timeout, ready: ReadyLine.self)
        } catch {
            throw FaultProxyError(error.description)
        }
        guard let port = URLComponents(string: launched.ready.endpoint)?.port else {
            launched.script.stop()
            throw FaultProxyError("fault-proxy.py reported an endpoint without a port: \(launched.ready.endpoint)")
        }
        return FaultProxy(endpoint: launched.ready.endpoint, port: port, upstream: upstream, script: launched.script)
    }

    private init(endpoint: String, port: Int, upstream: String?, script: HelperScript) {
        self.endpoint = endpoint
        self.port = port
        self.upstream = upstream
        self.script = script
    }

    /// Stops the proxy (EOF on stdin, SIGTERM, then SIGKILL). Safe to call more than once.
    func stop() { script.stop() }

    // MARK: Control API

    /// Replaces the schedule and resets its counters (and the random generator). Throws
    /// with the proxy's explanation if it rejects a rule.
    func setSchedule(_ rules: [FaultRule], seed: Int? = nil) throws {
        struct Body: Encodable {
            let rules: [FaultRule]
            let seed: Int?
        }
        _ = try control("POST", "schedule", body: try JSONEncoder().encode(Body(rules: rules, seed: seed)))
    }

    /// Every request the proxy has seen since it started (or since `reset()`), oldest first.
    func requests() throws -> [ProxyRecord] {
        let body = try control("GET", "log")
        do {
            return try ProxyRecord.decoder.decode([ProxyRecord].self, from: body)
        } catch {
            throw FaultProxyError("cannot decode the proxy's log: \(error)\n\(String(decoding: body, as: UTF8.self))")
        }
    }

    /// Clears the log and the schedule.
    func reset() throws {
        _ = try control("POST", "reset")
    }

    private func control(_ method: String, _ name: String, body: Data = Data()) throws -> Data {
        let response: RawHTTPResponse
        do {
            let connection = try RawHTTPConnection(port: port)
            defer { connection.close() }
            try connection.send(RawHTTPConnection.request(
                method, "/__proxy/\(name)", host: hostHeader, body: body,
                headers: ["Content-Type": "application/json", "Connection": "close"]))
            response = try connection.readResponse(timeout: 10)
        } catch {
            throw FaultProxyError("\(method) /__proxy/\(name) failed: \(error)\n--- proxy stderr ---\n\(recentLog)")
        }
        guard response.status == 200 else {
            throw FaultProxyError("\(method) /__proxy/\(name): HTTP \(response.status): \(response.text)")
        }
        return response.body
    }

    // MARK: Helpers for tests

    /// A 127.0.0.1 port that nothing listens on, for "connection refused" tests (a proxy
    /// cannot refuse a connection it has accepted). The port was free a moment ago; another
    /// process could take it meanwhile, which is unlikely enough on a test machine.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FaultProxyError("socket(): \(String(cString: strerror(errno)))") }
        defer { closeDescriptor(fd) }
        var address = sockaddr_in.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw FaultProxyError("bind(127.0.0.1:0): \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct FaultProxyError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - The schedule

/// One rule of the proxy's schedule: requests that `match` get `fault`, `times` times (nil:
/// every time), each with `probability` (nil: always). Rules are tried in order.
struct FaultRule: Encodable, Sendable {
    var match: Match
    var times: Int?
    var probability: Double?
    /// Copied into the log records of the requests this rule takes.
    var label: String?
    var fault: Fault

    init(match: Match = .any, times: Int? = nil, probability: Double? = nil, label: String? = nil,
         fault: Fault) {
        self.match = match
        self.times = times
        self.probability = probability
        self.label = label
        self.fault = fault
    }

    /// The schedule as the proxy reads it (a JSON list).
    static func json(_ rules: [FaultRule]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rules), as: UTF8.self)
    }
}

/// Which requests a rule applies to; every field that is set must match.
struct Match: Encodable, Sendable {
    var method: String?
    /// A regular expression searched for in the path (without the query).
    var path: String?
    /// The EC2/Query `Action`.
    var action: String?
    /// The service of the SigV4 credential scope: "ec2", "s3", ...
    var service: String?
    /// Only the Nth request (from 1) that matches the fields above.
    var nth: Int?

    static let any = Match()
    static func action(_ name: String) -> Match { Match(action: name) }
    static func path(_ regex: String, method: String? = nil) -> Match { Match(method: method, path: regex) }
    static func method(_ method: String) -> Match { Match(method: method) }
    static func service(_ service: String) -> Match { Match(service: service) }
    static func nth(_ n: Int) -> Match { Match(nth: n) }

    /// This match, restricted to the Nth request it matches: `.action("RunInstances").nth(2)`.
    func nth(_ n: Int) -> Match {
        var copy = self
        copy.nth = n
        return copy
    }
}

/// What the proxy does to a request; see `Scripts/fault-proxy.py` for exactly what each
/// one sends. Parameters left out take the script's defaults.
struct Fault: Encodable, Sendable, CustomStringConvertible {
    enum Style: String, Sendable { case ec2, s3 }
    /// How a fault closes the client connection: orderly (FIN) or abortive (RST).
    enum Close: String, Sendable { case fin, rst }
    enum StallEnd: String, Sendable { case finish, close, reset }

    let type: String
    let parameters: [String: Parameter]

    enum Parameter: Encodable, Sendable, Equatable, CustomStringConvertible {
        case int(Int), number(Double), string(String), strings([String: String])

        var description: String {
            switch self {
            case .int(let value): return String(value)
            case .number(let value): return value == value.rounded() ? String(Int(value)) : String(value)
            case .string(let value): return value
            case .strings(let value): return "\(value)"
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .int(let value): try container.encode(value)
            case .number(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            case .strings(let value): try container.encode(value)
            }
        }
    }

    init(_ type: String, _ parameters: [String: Parameter?] = [:]) {
        self.type = type
        self.parameters = parameters.compactMapValues { $0 }
    }

    /// Forward unchanged, but count as a use of the rule and mark the record.
    static let pass = Fault("pass")

    /// An AWS error document (EC2 or S3 style), not forwarded. `style` nil: S3 for requests
    /// signed for s3, else EC2.
    static func error(status: Int = 503, code: String = "ServiceUnavailable", message: String? = nil,
                      style: Style? = nil, headers: [String: String]? = nil) -> Fault {
        Fault("error", ["status": .int(status), "code": .string(code), "message": message.map(Parameter.string),
                        "style": style.map { .string($0.rawValue) }, "headers": headers.map(Parameter.strings)])
    }

    /// A 403 clock-skew error whose `Date` is `seconds` ahead of the real time. `code` nil:
    /// RequestTimeTooSkewed (S3) or RequestExpired (EC2). With `tolerance`, only requests
    /// signed more than that far from the skewed clock are rejected, like a real server.
    static func skew(seconds: Int, code: String? = nil, tolerance: Int? = nil, style: Style? = nil) -> Fault {
        Fault("skew", ["seconds": .int(seconds), "code": code.map(Parameter.string),
                       "tolerance": tolerance.map(Parameter.int), "style": style.map { .string($0.rawValue) }])
    }

    /// Read the request, then close the connection without a response (RST).
    static let reset = Fault("reset")
    static func reset(close: Close) -> Fault { Fault("reset", ["close": .string(close.rawValue)]) }

    /// Forward, send the headers and `afterBytes` body bytes, then reset the connection.
    static func resetMidBody(afterBytes: Int) -> Fault { Fault("reset_mid_body", ["after_bytes": .int(afterBytes)]) }

    /// Forward (the action happens), then close without sending the response.
    static let forwardThenDrop = Fault("forward_then_drop")

    /// Wait, then forward and answer normally.
    static func delay(seconds: Double) -> Fault { Fault("delay", ["seconds": .number(seconds)]) }

    /// Forward, send the headers (and `afterBytes` of the body), stall, then `then`.
    static func stallBody(seconds: Double, afterBytes: Int? = nil, then: StallEnd? = nil) -> Fault {
        Fault("stall_body", ["seconds": .number(seconds), "after_bytes": afterBytes.map(Parameter.int),
                             "then": then.map { .string($0.rawValue) }])
    }

    /// Forward, send the right Content-Length but only `keepBytes` of the body, close.
    static func truncate(keepBytes: Int) -> Fault { Fault("truncate", ["keep_bytes": .int(keepBytes)]) }

    /// Forward, send the whole body under a Content-Length `extra` bytes too large, close.
    static func wrongLength(extra: Int) -> Fault { Fault("wrong_length", ["extra": .int(extra)]) }

    /// Random bytes (never a `<`) as the body; not forwarded.
    static let garbage = Fault("garbage")
    static func garbage(status: Int? = nil, bytes: Int? = nil) -> Fault {
        Fault("garbage", ["status": status.map(Parameter.int), "bytes": bytes.map(Parameter.int)])
    }

    /// Forward, answer 200 with the first half of the upstream's body.
    static let malformedXML = Fault("malformed_xml")

    /// A redirect to `location`, not forwarded; S3 style (the default with a `region`) adds
    /// the PermanentRedirect/TemporaryRedirect error document.
    static func redirect(status: Int = 301, location: String, region: String? = nil, style: Style? = nil) -> Fault {
        Fault("redirect", ["status": .int(status), "location": .string(location),
                           "region": region.map(Parameter.string), "style": style.map { .string($0.rawValue) }])
    }

    /// An nginx-style HTML error page, as a proxy or load balancer sends; not forwarded.
    static func html(status: Int = 502) -> Fault { Fault("html", ["status": .int(status)]) }

    /// Forward, then relay the response with its ETag replaced by `etag` (default: the quoted
    /// MD5 of "tampered by fault-proxy"): a server claiming to have stored other bytes.
    static func tamperETag(_ etag: String? = nil) -> Fault { Fault("tamper_etag", ["etag": etag.map(Parameter.string)]) }

    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(type, forKey: Key(stringValue: "type"))
        for (name, value) in parameters { try container.encode(value, forKey: Key(stringValue: name)) }
    }

    var description: String {
        let details = parameters.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return details.isEmpty ? type : "\(type)(\(details.joined(separator: ", ")))"
    }
}

// MARK: - The log

/// One request as the proxy recorded it (see the field list in `Scripts/fault-proxy.py`).
struct ProxyRecord: Decodable, Sendable, CustomStringConvertible {
    let seq: Int
    /// Monotonic seconds (the proxy's clock) when the request had been read, and when the
    /// proxy was done with it. Only differences mean anything.
    let t: Double
    let tDone: Double?
    /// The client connection's number: records with the same number came over one
    /// kept-alive connection.
    let connection: Int
    let method: String
    let path: String
    let query: String
    let host: String?
    let service: String?
    /// The region of the SigV4 credential scope the request was signed for.
    let region: String?
    let action: String?
    let bucket: String?
    let key: String?
    /// The X-Amz-Date the request was signed with (`yyyyMMdd'T'HHmmss'Z'`).
    let xAmzDate: String?
    let rule: Int?
    let label: String?
    /// The fault type applied, "pass", or "incomplete" (the body never arrived).
    let fault: String
    let upstreamStatus: Int?
    /// The status sent to the client; nil when none was (a reset, a dropped response).
    let status: Int?
    let requestBytes: Int?
    let upstreamBytes: Int?
    let responseBytes: Int
    let error: String?
    let done: Bool
    /// The client closed its connection while a delay or stall held the response back,
    /// i.e. it gave up waiting (a read timeout fired).
    let clientClosed: Bool

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// `xAmzDate` as a date.
    var signedAt: Date? {
        guard let xAmzDate else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: xAmzDate)
    }

    var description: String {
        var text = "#\(seq) conn \(connection) \(method) \(path) \(action ?? key ?? "") -> \(fault)"
        if let upstreamStatus { text += ", upstream \(upstreamStatus)" }
        text += ", sent \(status.map(String.init) ?? "nothing")"
        if let error { text += ", error: \(error)" }
        return text
    }
}

// MARK: - A raw HTTP/1.1 connection

/// How a connection ended when it was read to its end.
enum ConnectionEnd: Equatable, Sendable {
    /// The peer closed it in order (FIN).
    case closed
    /// The peer reset it (RST: ECONNRESET).
    case reset
    /// Nothing arrived for the whole timeout; the connection may still be open.
    case timedOut
}

struct RawHTTPResponse: Sendable {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// One TCP connection to 127.0.0.1 that reads and writes raw bytes. The proxy's control
/// calls use it, and so do the tests that check what a fault puts on the wire (a reset, a
/// short body, a stall), which an HTTP client would hide behind its own errors and retries.
final class RawHTTPConnection {
    private var fd: Int32
    /// Bytes read past the end of the last response (a pipelined or early next response).
    private var pending = Data()

    init(port: Int, timeout: TimeInterval = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FaultProxyError("socket(): \(String(cString: strerror(errno)))") }
        var address = sockaddr_in.loopback(port: UInt16(port))
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            let reason = String(cString: strerror(errno))
            closeDescriptor(fd)
            throw FaultProxyError("connect(127.0.0.1:\(port)): \(reason)")
        }
        var sendTimeout = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close() }

    func close() {
        if fd >= 0 { closeDescriptor(fd) }
        fd = -1
    }

    /// The bytes of a request: the request line, `Host`, `headers`, a Content-Length when
    /// there is a body, and the body.
    static func request(
        _ method: String, _ target: String, host: String, body: Data = Data(),
        headers: [String: String] = [:]
    ) -> Data {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || ["POST", "PUT"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        return Data((head + "\r\n").utf8) + body
    }

    func send(_ data: Data) throws {
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { bytes in
                sendBytes(fd, bytes.baseAddress! + offset, data.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw FaultProxyError("send(): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Reads whatever arrives until the peer closes or resets the connection, or nothing
    /// arrives for `timeout` seconds.
    func readUntilEnd(timeout: TimeInterval) -> (data: Data, end: ConnectionEnd) {
        var data = pending
        pending = Data()
        while true {
            switch receive(timeout: timeout) {
            case .data(let chunk): data.append(chunk)
            case .end(let end): return (data, end)
            }
        }
    }

    /// Reads one response framed by Content-Length (or ended by the connection's end);
    /// throws if the connection ends early or `timeout` passes without data.
    func readResponse(timeout: TimeInterval) throws -> RawHTTPResponse {
        var buffer = pending
        pending = Data()
        let separator = Data("\r\n\r\n".utf8)
        func more() throws {
            switch receive(timeout: timeout) {
            case .data(let chunk): buffer.append(chunk)
            case .end(let end): throw FaultProxyError("connection \(end) after \(buffer.count) bytes: \(String(decoding: buffer, as: UTF8.self))")
            }
        }
        while buffer.range(of: separator) == nil { try more() }
        let headEnd = buffer.range(of: separator)!
        let lines = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self)
            .components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw FaultProxyError("not an HTTP status line: \(lines[0])")
        }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Data(buffer[headEnd.upperBound...])
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) }
        if let length {
            while body.count < length {
                switch receive(timeout: timeout) {
                case .data(let chunk): body.append(chunk)
                case .end(let end):
                    throw FaultProxyError("connection \(end) after \(body.count) of \(length) body bytes")
                }
            }
            pending = body.count > length ? Data(body[(body.startIndex + length)...]) : Data()
            body = Data(body.prefix(length))
        } else {
            body += readUntilEnd(timeout: timeout).data
        }
        return RawHTTPResponse(status: status, headers: headers, body: body)
    }

    enum Received: Equatable { case data(Data), end(ConnectionEnd) }

    /// The next bytes that arrive (whatever one recv() returns), or how the connection ended.
    func receive(timeout: TimeInterval) -> Received {
        if !pending.isEmpty {
            defer { pending = Data() }
            return .data(pending)
        }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return .end(.timedOut) }
            let ready = poll(&pfd, 1, Int32(remaining * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { return .end(.timedOut) }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { return .data(Data(buffer[0..<count])) }
            if count == 0 { return .end(.closed) }
            if errno == EINTR { continue }
            return .end(errno == ECONNRESET ? .reset : .closed)
        }
    }
}

// The C functions under names that RawHTTPConnection's own `close` and `send` don't hide.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

private func sendBytes(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    // MSG_NOSIGNAL: a peer that has gone away must not kill the test process with SIGPIPE.
    send(fd, bytes, count, Int32(MSG_NOSIGNAL))
}

extension sockaddr_in {
    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
