import Foundation
import Testing
@testable import EucaCore

/// The response parser on bytes in memory, delivered in pieces of a chosen size (a server may
/// split its answer anywhere).
@Suite struct HTTPResponseReaderTests {
    static func read(_ text: String, method: String = "GET", piece: Int = 7,
                     limits: HTTPResponseLimits = HTTPResponseLimits()) throws(WireFailure) -> HTTPResponseReader.Result {
        try read(Array(text.utf8), method: method, piece: piece, limits: limits)
    }

    static func read(_ bytes: [UInt8], method: String = "GET", piece: Int = 7,
                     limits: HTTPResponseLimits = HTTPResponseLimits()) throws(WireFailure) -> HTTPResponseReader.Result {
        var offset = 0
        var reader = HTTPResponseReader(limits: limits) { buffer in
            let count = min(piece, buffer.count, bytes.count - offset)
            for index in 0..<count { buffer[index] = bytes[offset + index] }
            offset += count
            return count
        }
        return try reader.read(method: method)
    }

    @Test func contentLengthBodyAndKeepAlive() throws {
        let result = try Self.read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b \r\n\r\nhelloEXTRA")
        #expect(result.response.status == 200)
        #expect(String(decoding: result.response.body, as: UTF8.self) == "hello")
        #expect(result.response.headers["x-a"] == "b")
        #expect(result.reusable)
    }

    @Test func chunkedWithExtensionsAndTrailers() throws {
        let result = try Self.read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Checksum: abc\r\n\r\n")
        #expect(String(decoding: result.response.body, as: UTF8.self) == "Wikipedia")
        #expect(result.response.headers["X-Checksum"] == "abc")
        #expect(result.reusable)
    }

    @Test func closeDelimitedBodyIsNotReusable() throws {
        let result = try Self.read("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n<a/>", piece: 1)
        #expect(String(decoding: result.response.body, as: UTF8.self) == "<a/>")
        #expect(!result.reusable)
    }

    @Test func connectionCloseAndHTTP10() throws {
        #expect(try !Self.read("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").reusable)
        #expect(try !Self.read("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").reusable)
        #expect(try Self.read("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").reusable)
    }

    @Test func noBodyForHeadAnd204And304() throws {
        #expect(try Self.read("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", method: "HEAD").response.body.isEmpty)
        #expect(try Self.read("HTTP/1.1 204 No Content\r\n\r\n").reusable)
        #expect(try Self.read("HTTP/1.1 304 Not Modified\r\n\r\n").response.status == 304)
    }

    @Test func interimResponsesAreSkipped() throws {
        let result = try Self.read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
        #expect(result.response.status == 201)
    }

    @Test func shortBodyIsALostConnection() {
        #expect(throws: WireFailure.closed(detail: "body ended after 3 of 10 bytes", beforeResponse: false)) {
            try Self.read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        }
    }

    @Test func closeBeforeAnyByteIsALostConnection() {
        #expect(throws: WireFailure.closed(detail: "the server closed the connection without answering", beforeResponse: false)) {
            try Self.read("")
        }
    }

    @Test(arguments: [
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "<html>hello</html>\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
    ])
    func malformedResponsesAreRejected(text: String) {
        #expect {
            try Self.read(text)
        } throws: { error in
            if case .malformedResponse = error as? WireFailure { return true }
            return false
        }
    }

    @Test func limitsHold() {
        var limits = HTTPResponseLimits()
        limits.maxHeaderCount = 3
        limits.maxLineBytes = 100
        limits.maxBodyBytes = 10
        let many = "HTTP/1.1 200 OK\r\n" + String(repeating: "A: b\r\n", count: 4) + "\r\n"
        let long = "HTTP/1.1 200 OK\r\nA: " + String(repeating: "b", count: 200) + "\r\n\r\n"
        for text in [many, long, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n"] {
            #expect(throws: WireFailure.self) { try Self.read(text, limits: limits) }
        }
    }

    static let tokens = ["HTTP/1.1 ", "HTTP/1.0 ", "200", " OK", "\r\n", "\n", "Content-Length: ", "5", "0",
                         "Transfer-Encoding: chunked", "Connection: close", "Connection: keep-alive",
                         "ff", "3;x=y", "abc", ":", " ", "\t", "X-Y: z", "100 Continue", "204", "-1",
                         "\u{0}", "\r", "ffffffffffffffffff", "HEAD"]

    /// No crash, no hang, bounded memory: every input ends in a response or a `WireFailure`.
    @Test func fuzzedResponsesNeverCrash() {
        var limits = HTTPResponseLimits()
        limits.maxBodyBytes = 1 << 16
        var outcomes = FuzzTests.Outcomes()
        FuzzTests.fuzz(seed: 0x5EED_4711, inputs: 20_000) { generator in
            let text = generator.text(Self.tokens, maxTokens: 30)
            let piece = 1 + generator.below(16)
            let method = generator.below(5) == 0 ? "HEAD" : "GET"
            do {
                let result = try Self.read(text, method: method, piece: piece, limits: limits)
                outcomes.accepted += 1
                #expect(result.response.body.count <= text.utf8.count)
            } catch {
                outcomes.rejected += 1
                #expect(!"\(error)".contains("\n") || "\(error)".count < 300)
            }
        }
        #expect(outcomes.reachedBoth, "inputs read as a response and inputs refused: \(outcomes)")
    }
}
