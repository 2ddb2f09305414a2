import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Two suites. The first checks on the wire, with raw sockets, that each fault of
// Scripts/fault-proxy.py sends exactly what it promises: other tests build on that. The
// second runs the real `euca` binary against the shared moto through the proxy, which pins
// down how our client (EucaCore's ServiceClient and HTTPTransport) reacts to each failure.
//
// Every test starts its own proxy (about 50 ms), so its log holds only its own requests and
// the tests can run in parallel. Timeouts are short (--read-timeout 1 or 2) to keep the
// whole file at a few seconds of wall time.

// MARK: - On the wire

@Suite("Fault proxy: what each fault puts on the wire")
struct FaultProxyWireTests {
    /// moto answers this without a signature (/moto-api/* is never authenticated), always
    /// with the same 63-byte JSON body: a stable upstream response to cut up.
    static let upstreamPath = "/moto-api/config"

    @Test("error: an EC2 or S3 error document, not forwarded, on a kept-alive connection")
    func errorDocuments() throws {
        let proxy = try FaultProxy.start(upstream: nil, schedule: [
            .init(match: .path("^/ec2"), fault: .error(status: 503, code: "RequestLimitExceeded", style: .ec2)),
            .init(match: .path("^/s3-bucket/"), fault: .error(status: 503, code: "SlowDown", style: .s3)),
        ])
        defer { proxy.stop() }

        let connection = try RawHTTPConnection(port: proxy.port)
        try connection.send(RawHTTPConnection.request("POST", "/ec2", host: proxy.hostHeader, body: Data("Action=X".utf8)))
        let ec2 = try connection.readResponse(timeout: 5)
        try connection.send(RawHTTPConnection.request("GET", "/s3-bucket/key", host: proxy.hostHeader))
        let s3 = try connection.readResponse(timeout: 5)

        #expect(ec2.status == 503)
        #expect(ec2.header("Content-Type")?.hasPrefix("text/xml") == true)
        #expect(ec2.text.contains(
            "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>fault-proxy-1</RequestID></Response>"))
        #expect(s3.status == 503)
        #expect(s3.header("x-amz-request-id") == "fault-proxy-2")
        #expect(s3.text.contains("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>fault-proxy-2</RequestId>"))

        let records = try proxy.requests()
        #expect(records.map(\.fault) == ["error", "error"])
        #expect(records.map(\.upstreamStatus) == [nil, nil])
        #expect(records[0].connection == records[1].connection, "both requests used one connection")
        #expect(records[1].bucket == "s3-bucket" && records[1].key == "key")
    }

    @Test("skew: 403 RequestTimeTooSkewed with a Date that far ahead")
    func skewDate() throws {
        let proxy = try FaultProxy.start(upstream: nil, schedule: [.init(fault: .skew(seconds: 3600, style: .s3))])
        defer { proxy.stop() }
        let response = try exchange(proxy, "GET", "/bucket")
        #expect(response.status == 403)
        #expect(response.text.contains("<Code>RequestTimeTooSkewed</Code>"))
        let date = try #require(response.header("Date").flatMap(parseHTTPDate))
        // A value carried in the message, compared with ours: the point is "an hour ahead",
        // not how fast the answer came, so anything within 10 minutes of that will do (a
        // proxy that sent the real time would be 50 minutes off).
        #expect(abs(date.timeIntervalSinceNow - 3600) < 600, "Date should be an hour ahead of ours: \(response.header("Date") ?? "")")
    }

    @Test("html: an nginx-style error page")
    func htmlPage() throws {
        let proxy = try FaultProxy.start(upstream: nil, schedule: [.init(fault: .html(status: 502))])
        defer { proxy.stop() }
        let response = try exchange(proxy, "GET", "/")
        #expect(response.status == 502)
        #expect(response.header("Content-Type") == "text/html")
        #expect(response.text.contains("<html>") && response.text.contains("<h1>502 Bad Gateway</h1>"))
    }

    @Test("garbage: random bytes without a '<', the same ones for the same seed")
    func garbageBody() throws {
        let rules: [FaultRule] = [.init(fault: .garbage(bytes: 300))]
        let proxy = try FaultProxy.start(upstream: nil, schedule: rules, seed: 7)
        defer { proxy.stop() }
        let first = try exchange(proxy, "GET", "/")
        try proxy.setSchedule(rules)  // re-seeds
        let again = try exchange(proxy, "GET", "/")
        #expect(first.status == 200)
        #expect(first.body.count == 300)
        #expect(!first.body.contains(UInt8(ascii: "<")))
        #expect(first.body == again.body)
    }

    @Test("redirect: Location, x-amz-bucket-region and S3's PermanentRedirect document")
    func redirectDocument() throws {
        let proxy = try FaultProxy.start(upstream: nil, schedule: [
            .init(fault: .redirect(status: 301, location: "http://127.0.0.1:9/bucket", region: "eu-west-1")),
        ])
        defer { proxy.stop() }
        let response = try exchange(proxy, "GET", "/bucket")
        #expect(response.status == 301)
        #expect(response.header("Location") == "http://127.0.0.1:9/bucket")
        #expect(response.header("x-amz-bucket-region") == "eu-west-1")
        #expect(response.text.contains("<Code>PermanentRedirect</Code>"))
        #expect(response.text.contains("<Endpoint>127.0.0.1:9</Endpoint><Bucket>bucket</Bucket>"))
    }

    @Test("reset: the request is read, then the connection is reset (or closed) with no byte sent")
    func resetWithoutResponse() throws {
        let proxy = try FaultProxy.start(upstream: nil, schedule: [
            .init(match: .path("^/rst"), fault: .reset),
            .init(match: .path("^/fin"), fault: .reset(close: .fin)),
        ])
        defer { proxy.stop() }
        for (path, expected) in [("/rst", ConnectionEnd.reset), ("/fin", .closed)] {
            let connection = try RawHTTPConnection(port: proxy.port)
            try connection.send(RawHTTPConnection.request("POST", path, host: proxy.hostHeader, body: Data("x=1".utf8)))
            let (data, end) = connection.readUntilEnd(timeout: 5)
            #expect(data.isEmpty, "\(path): \(String(decoding: data, as: UTF8.self))")
            #expect(end == expected, "\(path)")
        }
        let records = try proxy.requests()
        #expect(records.map(\.requestBytes) == [3, 3], "the body was read before closing")
        #expect(records.map(\.status) == [nil, nil])
    }

    @Test("faults on the upstream's response cut it exactly as documented")
    func responseCutting() throws {
        let moto = try MotoEndpoint.shared
        let proxy = try FaultProxy.start(upstream: moto.endpoint)
        defer { proxy.stop() }
        let original = try exchange(proxy, "GET", Self.upstreamPath)
        #expect(original.status == 201 && original.body.count == 63, "\(original.text)")

        try proxy.setSchedule([.init(fault: .truncate(keepBytes: 10))])
        let truncated = try exchange(proxy, "GET", Self.upstreamPath)
        #expect(truncated.header("Content-Length") == "63")
        #expect(truncated.body == original.body.prefix(10))
        #expect(truncated.end == .closed)

        try proxy.setSchedule([.init(fault: .wrongLength(extra: 5))])
        let tooLong = try exchange(proxy, "GET", Self.upstreamPath)
        #expect(tooLong.header("Content-Length") == "68")
        #expect(tooLong.body == original.body)
        #expect(tooLong.end == .closed)

        try proxy.setSchedule([.init(fault: .resetMidBody(afterBytes: 10))])
        let reset = try exchange(proxy, "GET", Self.upstreamPath)
        #expect(reset.header("Content-Length") == "63")
        #expect(reset.body == original.body.prefix(10), "the 10 bytes arrive before the reset")
        #expect(reset.end == .reset)

        try proxy.setSchedule([.init(fault: .malformedXML)])
        let cut = try exchange(proxy, "GET", Self.upstreamPath)
        #expect(cut.status == 200)
        #expect(cut.header("Content-Length") == "31")
        #expect(cut.body == original.body.prefix(31))

        try proxy.setSchedule([.init(fault: .forwardThenDrop)])
        let dropped = try exchange(proxy, "GET", Self.upstreamPath)
        #expect(dropped.head == nil && dropped.body.isEmpty)
        #expect(dropped.end == .closed)

        let records = try proxy.requests()
        #expect(records.map(\.fault) == ["pass", "truncate", "wrong_length", "reset_mid_body", "malformed_xml", "forward_then_drop"])
        #expect(records.allSatisfy { $0.upstreamStatus == 201 }, "every one was forwarded: \(records)")
        #expect(records.map(\.responseBytes) == [63, 10, 63, 10, 31, 0])
        #expect(records.last?.status == nil, "forward_then_drop sent nothing")
    }

    /// Whether a response is held back is seen by order, not by a clock: a request sent on
    /// another connection after the held one had been read is answered first, and at that
    /// point the proxy's log still shows the held one unfinished.
    @Test("delay and stall_body: the response is held back (a later request overtakes it), the stall comes after the headers")
    func delayAndStall() throws {
        let moto = try MotoEndpoint.shared
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .path("^/moto-api/config$", method: "GET").nth(1), fault: .delay(seconds: 1.5)),
            .init(match: .path("^/moto-api/config$", method: "GET").nth(2), fault: .stallBody(seconds: 1.5)),
            // Answered by the proxy itself, at once.
            .init(match: .path("^/overtake$"), fault: .html(status: 503)),
        ])
        defer { proxy.stop() }
        func overtake() throws {
            #expect(try exchange(proxy, "GET", "/overtake").status == 503, "the overtaking request is answered")
        }
        func record(_ seq: Int) throws -> ProxyRecord {
            var found: ProxyRecord?
            _ = waitUntil(timeout: 30) { found = try? proxy.requests().first { $0.seq == seq }; return found != nil }
            return try #require(found, "the proxy recorded request #\(seq)")
        }

        let delayed = try RawHTTPConnection(port: proxy.port)
        try delayed.send(RawHTTPConnection.request("GET", Self.upstreamPath, host: proxy.hostHeader))
        #expect(try record(1).fault == "delay")
        try overtake()
        #expect(delayed.receive(timeout: 0.01) == .end(.timedOut), "nothing arrives while the response is delayed")
        let whileDelayed = try record(1)
        #expect(!whileDelayed.done && whileDelayed.upstreamStatus == nil, "not yet forwarded: \(whileDelayed)")
        let response = try delayed.readResponse(timeout: 10)
        #expect(response.status == 201 && response.body.count == 63, "then the upstream's answer, whole")
        #expect(try record(1).upstreamStatus == 201)

        let stalled = try RawHTTPConnection(port: proxy.port)
        try stalled.send(RawHTTPConnection.request("GET", Self.upstreamPath, host: proxy.hostHeader))
        var head = Data()
        while !head.ends(with: "\r\n\r\n") {  // the stall starts right after the empty line
            guard case .data(let chunk) = stalled.receive(timeout: 10) else {
                Issue.record("the headers did not arrive: \(String(decoding: head, as: UTF8.self))")
                return
            }
            head += chunk
        }
        #expect(String(decoding: head, as: UTF8.self).contains("\r\nContent-Length: 63\r\n"))
        try overtake()
        #expect(stalled.receive(timeout: 0.01) == .end(.timedOut), "nothing of the body during the stall")
        let whileStalled = try record(3)
        #expect(whileStalled.fault == "stall_body" && !whileStalled.done && whileStalled.responseBytes == 0,
                "headers sent, body held: \(whileStalled)")
        guard case .data(let body) = stalled.receive(timeout: 10) else {
            Issue.record("no body after the stall")
            return
        }
        #expect(body.count == 63, "then the whole body (then: finish)")
    }

    @Test("pass-through keeps the connection alive and drops moto's hop-by-hop Connection: close")
    func keepAlive() throws {
        let moto = try MotoEndpoint.shared
        let proxy = try FaultProxy.start(upstream: moto.endpoint)
        defer { proxy.stop() }
        let connection = try RawHTTPConnection(port: proxy.port)
        var responses: [RawHTTPResponse] = []
        for _ in 0..<3 {
            try connection.send(RawHTTPConnection.request("GET", Self.upstreamPath, host: proxy.hostHeader))
            responses.append(try connection.readResponse(timeout: 5))
        }
        #expect(responses.map(\.status) == [201, 201, 201])
        #expect(responses.allSatisfy { $0.header("Connection") == nil && $0.header("Server")?.hasPrefix("Werkzeug") == true })
        let records = try proxy.requests()
        #expect(Set(records.map(\.connection)).count == 1, "\(records)")
        #expect(records.allSatisfy { $0.host == proxy.hostHeader })
    }

    @Test("rules: first match wins, nth counts per rule, times runs out, unmatched requests pass")
    func ruleSemantics() throws {
        let proxy = try FaultProxy.start(upstream: nil, schedule: [
            .init(match: .path("^/a").nth(2), fault: .error(status: 500, code: "InternalError")),
            .init(match: .path("^/a"), times: 2, fault: .error(status: 503)),
            .init(match: .path("^/a"), fault: .html(status: 504)),
        ])
        defer { proxy.stop() }
        let connection = try RawHTTPConnection(port: proxy.port)
        var statuses: [Int] = []
        for path in ["/a", "/a", "/a", "/a", "/b"] {
            try connection.send(RawHTTPConnection.request("GET", path, host: proxy.hostHeader))
            statuses.append(try connection.readResponse(timeout: 5).status)
        }
        // "/b" matches nothing and passes; with no upstream the proxy itself answers 502.
        #expect(statuses == [503, 500, 503, 504, 502])
        let records = try proxy.requests()
        #expect(records.map(\.rule) == [1, 0, 1, 2, nil])
        #expect(records.last?.error?.contains("no --upstream") == true)
    }

    @Test("probability: seeded, so the same seed makes the same decisions")
    func probabilityIsSeeded() throws {
        let rules: [FaultRule] = [.init(probability: 0.5, fault: .error(status: 503))]
        let proxy = try FaultProxy.start(upstream: nil, schedule: rules, seed: 1)
        defer { proxy.stop() }
        func decisions() throws -> [Bool] {
            let connection = try RawHTTPConnection(port: proxy.port)
            return try (0..<24).map { _ in
                try connection.send(RawHTTPConnection.request("GET", "/", host: proxy.hostHeader))
                return try connection.readResponse(timeout: 5).status == 503
            }
        }
        let first = try decisions()
        try proxy.setSchedule(rules)
        let again = try decisions()
        try proxy.setSchedule(rules, seed: 2)
        let otherSeed = try decisions()
        #expect(first == again)
        #expect(first != otherSeed)
        #expect((4...20).contains(first.filter { $0 }.count), "\(first)")
    }

    @Test("a misspelt schedule is rejected with the reason, at start and later")
    func invalidSchedules() throws {
        let proxy = try FaultProxy.start(upstream: nil)
        defer { proxy.stop() }
        let refused = #expect(throws: FaultProxyError.self) {
            try proxy.setSchedule([.init(fault: Fault("refuse"))])
        }
        #expect(refused?.description.contains("'refuse' is not one of") == true)
        #expect(refused?.description.contains("use a closed port") == true)
        let misspelt = #expect(throws: FaultProxyError.self) {
            try proxy.setSchedule([.init(fault: Fault("error", ["statuss": .int(503)]))])
        }
        #expect(misspelt?.description.contains("error takes no 'statuss'") == true, "\(String(describing: misspelt))")
        let incomplete = #expect(throws: FaultProxyError.self) {
            try proxy.setSchedule([.init(fault: Fault("truncate"))])
        }
        #expect(incomplete?.description.contains("truncate needs 'keep_bytes'") == true)
        #expect(throws: FaultProxyError.self) {
            try FaultProxy.start(upstream: nil, schedule: [.init(fault: .redirect(status: 200, location: "x"))]).stop()
        }
    }

    @Test("control calls are not recorded; reset clears the log and the schedule")
    func controlAPI() throws {
        let proxy = try FaultProxy.start(upstream: nil, schedule: [.init(fault: .html())])
        defer { proxy.stop() }
        #expect(try proxy.requests().isEmpty)
        #expect(try exchange(proxy, "GET", "/").status == 502)
        #expect(try proxy.requests().count == 1)
        try proxy.reset()
        #expect(try proxy.requests().isEmpty)
        let afterReset = try exchange(proxy, "GET", "/")
        #expect(afterReset.header("X-Fault-Proxy-Error") == "upstream", "no schedule: passed through to no upstream")
        #expect(try proxy.requests().map(\.fault) == ["pass"])
    }

    @Test("an upstream that is down gets a 502 that says so")
    func upstreamDown() throws {
        let proxy = try FaultProxy.start(upstream: "http://127.0.0.1:\(try FaultProxy.closedPort())")
        defer { proxy.stop() }
        let response = try exchange(proxy, "GET", "/")
        #expect(response.status == 502)
        #expect(response.text.contains("Connection refused") || response.text.contains("ConnectionRefused"), "\(response.text)")
        #expect(try proxy.requests().first?.error?.contains("upstream") == true)
    }

    @Test("--max-requests and --max-seconds stop the proxy by itself")
    func stopsByItself() throws {
        let counted = try FaultProxy.start(upstream: nil, schedule: [.init(fault: .html())], maxRequests: 2)
        defer { counted.stop() }
        _ = try exchange(counted, "GET", "/")
        _ = try exchange(counted, "GET", "/")
        #expect(waitUntil(timeout: 30) { !counted.isRunning }, "exits after answering 2 requests")

        // The deadlines only keep a broken proxy from hanging the test; the check is that it
        // stops by itself at all.
        let timed = try FaultProxy.start(upstream: nil, maxSeconds: 0.5)
        defer { timed.stop() }
        #expect(waitUntil(timeout: 30) { !timed.isRunning }, "exits by itself (--max-seconds 0.5)")
    }
}

// MARK: - With the euca client

@Suite("Fault proxy: how euca reacts to each fault")
struct FaultProxyClientTests {
    @Test("pass-through: the signature over Host 127.0.0.1:PROXYPORT stays valid, and moto checks it")
    func passThrough() throws {
        let moto = try MotoEndpoint.shared
        let proxy = try FaultProxy.start(upstream: moto.endpoint)
        defer { proxy.stop() }

        let result = describeZones(moto, proxy, ["--debug"])
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout.contains("AVAILABILITYZONE\tus-east-1a"))

        var wrongSecret = environment(moto, through: proxy)
        wrongSecret["AWS_SECRET_ACCESS_KEY"] = "x" + moto.secretAccessKey
        let rejected = euca("describe-availability-zones", ["--max-attempts", "1"], env: wrongSecret, timeout: 30)
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("(AuthFailure)"), "moto still verifies signatures: \(rejected)")

        let records = try proxy.requests()
        #expect(records.count == 2)
        let first = try #require(records.first)
        #expect(first.fault == "pass" && first.upstreamStatus == 200 && first.status == 200)
        #expect(first.host == proxy.hostHeader)
        #expect(first.action == "DescribeAvailabilityZones" && first.service == "ec2")
        // The body the proxy relayed, against what the client says it read (--debug): two
        // ends of the connection, not two fields the proxy filled from one buffer.
        let received = result.stderr.split(separator: "\n").lazy.compactMap { line -> Int? in
            guard let found = line.range(of: "response: HTTP 200, ") else { return nil }
            return Int(line[found.upperBound...].prefix(while: \.isNumber))
        }.first
        #expect(received != nil && first.responseBytes == received, "proxy sent \(first.responseBytes) body bytes: \(result)")
        #expect(records.last?.upstreamStatus == 401)
    }

    @Test("503 once: retried, the command succeeds, the proxy saw 2 requests")
    func serviceUnavailableOnce() throws {
        let (result, records) = try run(
            [.init(match: .action("DescribeAvailabilityZones"), times: 1, fault: .error(status: 503, code: "ServiceUnavailable"))])
        #expect(result.succeeded, "\(result)")
        #expect(records.map(\.fault) == ["error", "pass"])
        #expect(records.map(\.status) == [503, 200])
        // The 503 was a complete response, so the retry rides the same kept-alive connection.
        #expect(records[0].connection == records[1].connection, "the connection is reused")
    }

    @Test("HTML 502 every time: exit 1 with ONE clear line naming the status and the endpoint")
    func htmlErrorPage() throws {
        let moto = try MotoEndpoint.shared
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [.init(fault: .html(status: 502))])
        defer { proxy.stop() }
        let result = describeZones(moto, proxy)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result)")
        #expect(result.stderr.contains("HTTP 502") && result.stderr.contains(proxy.hostHeader), "\(result)")
        #expect(result.stderr.contains("HTML page"))
        #expect(!result.stderr.contains("<html"), "the page itself only appears under --debug")
        #expect(try proxy.requests().count == 3, "502 is retried like any server fault")
    }

    /// A 200 that is not the action's document (a captive portal, a web server at a wrong URL)
    /// is no success: exit 1, nothing on stdout, one line with the status, type and host.
    @Test("HTML 200: not the service's document, so exit 1 and nothing printed", arguments: [
        ["describe-availability-zones"],
        ["create-volume", "-s", "1", "-z", "us-east-1a"],
        ["allocate-address"],
        ["download-bundle", "-b", "some-bucket", "-d", "/tmp"],
    ])
    func htmlPageWithStatus200(_ command: [String]) throws {
        let moto = try MotoEndpoint.shared
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [.init(fault: .html(status: 200))])
        defer { proxy.stop() }
        let result = euca(command[0], Array(command.dropFirst()), env: environment(moto, through: proxy), timeout: 30)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
        #expect(result.stderr.contains("HTTP 200 (text/html)") && result.stderr.contains(proxy.hostHeader), "\(result)")
        #expect(result.stderr.contains("not a "), "\(result)")
    }

    @Test("500 every time: exit 1 after exactly 3 attempts (the default), and the line says so")
    func serverErrorEveryTime() throws {
        let (result, records) = try run([.init(fault: .error(status: 500, code: "InternalError"))])
        #expect(result.status == 1)
        #expect(records.count == 3)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
        #expect(result.stderr.contains("(InternalError)") && result.stderr.contains("gave up after 3 attempts"), "\(result)")
    }

    @Test("--max-attempts 1: one request, no retry")
    func maxAttemptsOne() throws {
        let (result, records) = try run([.init(fault: .error(status: 503))], ["--max-attempts", "1"])
        #expect(result.status == 1)
        #expect(records.count == 1)
        #expect(!result.stderr.contains("gave up after"), "\(result)")
    }

    struct SkewCase: Sendable, CustomTestStringConvertible {
        let name: String
        let rule: FaultRule
        var testDescription: String { name }
    }

    @Test("clock skew: one retry with the server's clock; the second signature is dated an hour later",
          arguments: [
              SkewCase(name: "RequestExpired once", rule: .init(times: 1, fault: .skew(seconds: 3600))),
              SkewCase(name: "AuthFailure once (only the Date tells)",
                       rule: .init(times: 1, fault: .skew(seconds: 3600, code: "AuthFailure"))),
              SkewCase(name: "a server that rejects every request off by more than 15 minutes",
                       rule: .init(fault: .skew(seconds: 3600, tolerance: 900))),
          ])
    func clockSkew(_ skew: SkewCase) throws {
        let (result, records) = try run([skew.rule])
        #expect(result.succeeded, "\(result)")
        #expect(records.map(\.fault) == ["skew", "pass"])
        let first = try #require(records.first?.signedAt), second = try #require(records.last?.signedAt)
        // Two X-Amz-Date values from the messages: the retry must be dated by the server's
        // clock, an hour on. The tolerance is about the value (one-second resolution, the
        // moments between the two signatures), not about speed, so it can be generous.
        #expect(abs(second.timeIntervalSince(first) - 3600) < 600,
                "the second signature should be dated an hour after the first: \(records.compactMap(\.xAmzDate))")
    }

    /// That each attempt gave up instead of waiting the server out is seen by the proxy: the
    /// client closed every connection while the delay still held its response back. How long
    /// that takes is measured in docs/reliability.md (Scripts/reliability-report.py).
    @Test("a server slower than --read-timeout 1: exit 1 after 3 attempts, each abandoned while the server was still silent")
    func readTimeout() throws {
        let (result, records) = try run([.init(fault: .delay(seconds: 3))], ["--read-timeout", "1"],
                                        until: { $0.count == 3 && $0.allSatisfy(\.clientClosed) })
        #expect(result.status == 1)
        #expect(records.count == 3, "\(records)")
        #expect(result.stderr.contains("sent nothing for 1 s (--read-timeout)"), "the message names the timeout: \(result)")
        #expect(result.stderr.contains("gave up after 3 attempts"), "\(result)")
        #expect(records.allSatisfy { $0.clientClosed }, "the client closed each connection during the delay: \(records)")
        #expect(Set(records.map(\.connection)).count == 3, "a timed-out connection is not reused: \(records)")
    }

    struct TransientCase: Sendable, CustomTestStringConvertible {
        let fault: Fault
        var args: [String] = []
        var testDescription: String { fault.description }
    }

    @Test("an unreadable or lost response once: retried, and the command succeeds",
          arguments: [
              TransientCase(fault: .garbage),
              TransientCase(fault: .malformedXML),
              TransientCase(fault: .truncate(keepBytes: 100)),
              TransientCase(fault: .wrongLength(extra: 10)),
              TransientCase(fault: .reset),
              TransientCase(fault: .reset(close: .fin)),
              TransientCase(fault: .resetMidBody(afterBytes: 100)),
              TransientCase(fault: .forwardThenDrop),
              TransientCase(fault: .stallBody(seconds: 2), args: ["--read-timeout", "1"]),
              TransientCase(fault: .error(status: 503, code: "RequestLimitExceeded")),
              TransientCase(fault: .error(status: 400, code: "Throttling")),
              TransientCase(fault: .error(status: 503, code: "SlowDown", style: .s3)),
          ])
    func transientFaultOnce(_ transient: TransientCase) throws {
        let stalls = transient.fault.type == "stall_body"
        let (result, records) = try run([.init(times: 1, fault: transient.fault)], transient.args,
                                        until: { !stalls || $0.first?.clientClosed == true })
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout.contains("AVAILABILITYZONE"))
        #expect(records.map(\.fault) == [transient.fault.type, "pass"], "\(records)")
        #expect(records.last?.status == 200)
        if stalls {
            #expect(records.first?.clientClosed == true, "the read timeout fired during the stall: \(records)")
        }
    }

    struct RedirectCase: Sendable, CustomTestStringConvertible {
        let status: Int
        let region: String?
        var testDescription: String { "\(status)" + (region.map { " to region \($0)" } ?? "") }
    }

    @Test("a redirect is reported with its Location and never followed",
          arguments: [RedirectCase(status: 301, region: nil), RedirectCase(status: 307, region: "eu-west-1")])
    func redirectNotFollowed(_ redirect: RedirectCase) throws {
        let moto = try MotoEndpoint.shared
        // The Location points at a second proxy: anything arriving there was followed.
        let elsewhere = try FaultProxy.start(upstream: nil)
        defer { elsewhere.stop() }
        let location = "\(elsewhere.endpoint)/moved"
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(fault: .redirect(status: redirect.status, location: location, region: redirect.region)),
        ])
        defer { proxy.stop() }

        let result = describeZones(moto, proxy)
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
        #expect(result.stderr.contains("HTTP \(redirect.status)") && result.stderr.contains(location), "\(result)")
        if let region = redirect.region { #expect(result.stderr.contains("--region \(region)")) }
        #expect(try proxy.requests().count == 1, "a redirect is not retried")
        #expect(try elsewhere.requests().isEmpty, "the client followed the redirect")
    }

    @Test("connection refused: the proxy cannot refuse, so a closed port stands in")
    func connectionRefused() throws {
        let moto = try MotoEndpoint.shared
        var env = endpointEnv(moto)
        env["EC2_URL"] = "http://127.0.0.1:\(try FaultProxy.closedPort())"
        let result = euca("describe-availability-zones", env: env, timeout: 30)
        #expect(result.status == 1)
        #expect(result.stderr.contains("connection refused") && result.stderr.contains("gave up after 3 attempts"), "\(result)")
    }

    /// A kept-alive connection closed before any response byte is retried once on a fresh
    /// connection, and the retry must carry the whole body. (Under FoundationNetworking,
    /// libcurl re-sent such a request without its body, and the attempt hung for the whole
    /// read timeout; this keeps that from coming back.) A bodiless resend shows in the
    /// proxy's log as "incomplete", and the read timeout it would cost in the --debug log.
    @Test("a connection closed without a response costs no read timeout")
    func resetAfterAnAnsweredRequest() throws {
        // Attempt 1 is answered (503); attempt 2 is reset; attempt 3 gets through.
        let (result, records) = try run([
            .init(match: .nth(1), fault: .error(status: 503)),
            .init(match: .nth(2), fault: .reset),
        ], ["--read-timeout", "3", "--debug"])
        #expect(result.succeeded, "the third attempt gets through: \(result)")
        #expect(!records.contains { $0.fault == "incomplete" }, "a request went out without its body: \(records)")
        #expect(records.map(\.fault) == ["error", "reset", "pass"], "\(records)")
        #expect(Set(records.compactMap(\.requestBytes)).count == 1, "every attempt carried the same body: \(records)")
        #expect(records.count == 3 && records[2].connection != records[1].connection,
                "the retry after the reset used a fresh connection: \(records)")
        #expect(!result.stderr.contains("sent nothing for"), "no attempt waited for the read timeout: \(result)")
    }
}

// MARK: - Helpers

/// The environment for euca talking to `moto` through `proxy`.
private func environment(_ moto: MotoEndpoint, through proxy: FaultProxy) -> [String: String] {
    var env = endpointEnv(moto)
    env["EC2_URL"] = proxy.endpoint
    env["S3_URL"] = proxy.endpoint
    return env
}

private func describeZones(_ moto: MotoEndpoint, _ proxy: FaultProxy, _ args: [String] = []) -> RunResult {
    euca("describe-availability-zones", args, env: environment(moto, through: proxy), timeout: 30)
}

/// Runs `euca-describe-availability-zones args` through a new proxy with `schedule` in
/// front of the shared moto, and returns the result and what the proxy saw. With `until`,
/// the log is read again until it holds (for what the proxy notes after the client is gone,
/// such as a close during a delay); the deadline only keeps a broken proxy from hanging.
private func run(_ schedule: [FaultRule], _ args: [String] = [],
                 until settled: ([ProxyRecord]) -> Bool = { _ in true }) throws -> (RunResult, [ProxyRecord]) {
    let moto = try MotoEndpoint.shared
    let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: schedule)
    defer { proxy.stop() }
    let result = describeZones(moto, proxy, args)
    var records = try proxy.requests()
    _ = waitUntil(timeout: 30) {
        records = (try? proxy.requests()) ?? records
        return settled(records)
    }
    return (result, records)
}

/// One request with `Connection: close`, read until the proxy ends the connection.
private struct RawExchange {
    let head: String?
    let status: Int?
    let headers: [(name: String, value: String)]
    let body: Data
    let end: ConnectionEnd

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

private func exchange(_ proxy: FaultProxy, _ method: String, _ path: String) throws -> RawExchange {
    let connection = try RawHTTPConnection(port: proxy.port)
    try connection.send(RawHTTPConnection.request(method, path, host: proxy.hostHeader, headers: ["Connection": "close"]))
    var data = Data()
    var end = ConnectionEnd.timedOut
    reading: while true {
        switch connection.receive(timeout: 10) {
        case .data(let chunk):
            data.append(chunk)
        case .end(let how):
            end = how
            break reading
        }
    }
    guard let separator = data.range(of: Data("\r\n\r\n".utf8)) else {
        return RawExchange(head: nil, status: nil, headers: [], body: data, end: end)
    }
    let head = String(decoding: data[..<separator.lowerBound], as: UTF8.self)
    let lines = head.components(separatedBy: "\r\n")
    let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
    let status = lines[0].split(separator: " ").dropFirst().first.flatMap { Int($0) }
    return RawExchange(head: head, status: status, headers: headers, body: Data(data[separator.upperBound...]),
                       end: end)
}

private func parseHTTPDate(_ text: String) -> Date? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    return formatter.date(from: text)
}

extension Data {
    fileprivate func ends(with suffix: String) -> Bool { self.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) }
}

private func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}
