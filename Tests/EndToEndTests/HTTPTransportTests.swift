@testable import EucaCore
import Foundation
import Testing

/// The transport in-process against Python's http.server (Scripts/http-shapes.py) answering
/// in each framing a response may have: Content-Length, chunked with an extension and a
/// trailer, a body ended by close, HEAD and 204 without body; kept-alive connections are
/// reused (the server counts them) and one that said `Connection: close` is not. A body
/// streamed from a file arrives whole, with its exact Content-Length.
@Suite(.serialized) struct HTTPTransportTests {
    static let server = Result<(port: Int, script: HelperScript), any Error> {
        struct Ready: Decodable { let port: Int }
        let launched = try HelperScript.launch("http-shapes.py", arguments: [], timeout: 30, ready: Ready.self)
        return (launched.ready.port, launched.script)
    }

    static func request(_ method: String, _ path: String, body: HTTPBody = .empty) throws -> HTTPRequest {
        HTTPRequest(method: method, scheme: "http", host: "127.0.0.1", port: try server.get().port, path: path, body: body)
    }

    static func connections(_ transport: HTTPTransport) async throws -> Int {
        let response = try await transport.send(try request("GET", "/connections"))
        struct Count: Decodable { let connections: Int }
        return try JSONDecoder().decode(Count.self, from: response.body).connections
    }

    @Test func everyFramingOnOneKeptAliveConnection() async throws {
        let transport = HTTPTransport()
        let before = try await Self.connections(transport)

        let length = try await transport.send(try Self.request("GET", "/length"))
        #expect(length.status == 200 && length.body == Data("length body".utf8))
        let chunked = try await transport.send(try Self.request("GET", "/chunked"))
        #expect(chunked.status == 200 && chunked.body == Data("chunked body, in three pieces".utf8))
        #expect(chunked.headers["X-Checksum"] == "42", "the trailer is kept")
        let head = try await transport.send(try Self.request("HEAD", "/length"))
        #expect(head.status == 200 && head.body.isEmpty && head.headers["Content-Length"] == "11")
        let empty = try await transport.send(try Self.request("GET", "/empty"))
        #expect(empty.status == 204 && empty.body.isEmpty)
        // Every answer above was framed, so they all went over the connection that asked
        // for the count first.
        #expect(try await Self.connections(transport) == before)

        let closed = try await transport.send(try Self.request("GET", "/close"))
        #expect(closed.status == 200 && closed.body == Data("body ended by close".utf8))
        // That connection is gone; the next request needs a new one, which is then kept.
        #expect(try await Self.connections(transport) == before + 1)
        #expect(try await Self.connections(transport) == before + 1)
    }

    @Test func fileBodiesAreStreamedWhole() async throws {
        let transport = HTTPTransport()
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("transport-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        struct Echo: Decodable, Equatable { let length: Int; let sha256: String }
        // The whole file, then a region from an offset, on the same kept-alive connection.
        for region in [try FileRegion.whole(file), FileRegion(path: file.path, offset: 1_000_001, length: 777_777)] {
            let response = try await transport.send(try Self.request("PUT", "/echo", body: .file(region)))
            let echo = try JSONDecoder().decode(Echo.self, from: response.body)
            let slice = bytes[Int(region.offset)..<Int(region.offset + region.length)]
            #expect(echo == Echo(length: Int(region.length), sha256: Digest.hash(.sha256, Array(slice)).hexString))
        }
    }

    @Test func aFileThatCannotBeReadFailsWithItsName() async throws {
        let transport = HTTPTransport()
        let missing = FileRegion(path: "/nonexistent/part.0", length: 10)
        await #expect {
            _ = try await transport.send(try Self.request("PUT", "/echo", body: .file(missing)))
        } throws: { error in
            "\(error)".contains("cannot read /nonexistent/part.0")
        }
        // The connection that carried the half-sent request is not reused for the next one.
        let after = try await transport.send(try Self.request("GET", "/length"))
        #expect(after.status == 200 && after.body == Data("length body".utf8))
    }
}
