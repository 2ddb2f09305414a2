import Foundation

/// Reads one HTTP/1.1 response from a byte source: the status line, the headers, and the body
/// framed by `Transfer-Encoding: chunked` (trailers kept), `Content-Length`, or the end of the
/// connection; HEAD, 1xx, 204 and 304 answers have none. Strict: anything outside RFC 9112's
/// grammar or over `limits` is `malformedResponse`, never guessed at. Bodies are returned as
/// sent (no content decoding).
struct HTTPResponseReader {
    /// The parsed response and whether the connection may carry another request.
    struct Result {
        var response: HTTPResponse
        var reusable: Bool
    }

    let limits: HTTPResponseLimits
    private let source: (UnsafeMutableRawBufferPointer) throws(WireFailure) -> Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var received = 0

    init(limits: HTTPResponseLimits = HTTPResponseLimits(),
         source: @escaping (UnsafeMutableRawBufferPointer) throws(WireFailure) -> Int) {
        self.limits = limits
        self.source = source
    }

    mutating func read(method: String) throws(WireFailure) -> Result {
        var interim = 0
        while true {
            let (status, minorVersion, headers) = try readHead()
            if (100..<200).contains(status) {
                // 100 Continue and friends precede the real answer (we never send Expect, but
                // a server may still send one).
                interim += 1
                guard interim <= limits.maxInterimResponses else { throw .malformedResponse("more than \(limits.maxInterimResponses) interim responses") }
                continue
            }
            var reusable = HTTPResponseReader.keepsAlive(minorVersion: minorVersion, headers: headers)
            var allHeaders = headers
            let body: Data
            if method == "HEAD" || status == 204 || status == 304
                || (method == "CONNECT" && (200..<300).contains(status)) {
                body = Data()
            } else if let encoding = headers["Transfer-Encoding"] {
                guard encoding.trimmed().lowercased() == "chunked" else {
                    throw .malformedResponse("unsupported Transfer-Encoding \"\(encoding)\"")
                }
                body = try readChunked(trailers: &allHeaders)
            } else if let length = try HTTPResponseReader.contentLength(headers) {
                guard length <= limits.maxBodyBytes else { throw .malformedResponse("Content-Length \(length) is over the limit of \(limits.maxBodyBytes) bytes") }
                body = try readExactly(length, announced: length)
            } else {
                body = try readToEnd()
                reusable = false
            }
            return Result(response: HTTPResponse(status: status, headers: allHeaders, body: body), reusable: reusable)
        }
    }

    // MARK: head

    private mutating func readHead() throws(WireFailure) -> (Int, Int, HTTPHeaders) {
        let statusLine = try readLine(isFirst: true)
        var headBytes = statusLine.count
        let (status, minor) = try HTTPResponseReader.parseStatusLine(statusLine)
        var headers = HTTPHeaders()
        var count = 0
        while true {
            let line = try readLine(isFirst: false)
            if line.isEmpty { break }
            count += 1
            guard count <= limits.maxHeaderCount else { throw .malformedResponse("more than \(limits.maxHeaderCount) header fields") }
            headBytes += line.count + 2
            guard headBytes <= limits.maxHeadBytes else {
                throw .malformedResponse("response head is over \(limits.maxHeadBytes) bytes")
            }
            let (name, value) = try HTTPResponseReader.parseHeaderLine(line)
            headers.add(name, value)
        }
        return (status, minor, headers)
    }

    static func parseStatusLine(_ line: [UInt8]) throws(WireFailure) -> (status: Int, minorVersion: Int) {
        // HTTP/1.x SP 3DIGIT [SP reason]
        let text = String(decoding: line, as: UTF8.self)
        guard line.count >= 12, text.hasPrefix("HTTP/1."), let minor = line[7].asciiDigit,
              line[8] == UInt8(ascii: " "),
              let d1 = line[9].asciiDigit, let d2 = line[10].asciiDigit, let d3 = line[11].asciiDigit,
              line.count == 12 || line[12] == UInt8(ascii: " ")
        else { throw .malformedResponse("not an HTTP/1.x status line: \"\(String(text.prefix(60)))\"") }
        let status = d1 * 100 + d2 * 10 + d3
        guard status >= 100 else { throw .malformedResponse("status \(status) is not a valid HTTP status") }
        return (status, minor)
    }

    static func parseHeaderLine(_ line: [UInt8]) throws(WireFailure) -> (String, String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            throw .malformedResponse("header line without a name: \"\(String(decoding: line.prefix(60), as: UTF8.self))\"")
        }
        let name = line[..<colon]
        // Obsolete line folding (a line starting with a space) and spaces before the colon
        // are request-smuggling material; RFC 9112 says reject.
        guard name.allSatisfy(\.isTokenCharacter) else {
            throw .malformedResponse("invalid header name \"\(String(decoding: name.prefix(60), as: UTF8.self))\"")
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        guard !value.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }) else {
            throw .malformedResponse("control character in header \(String(decoding: name, as: UTF8.self))")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    static func contentLength(_ headers: HTTPHeaders) throws(WireFailure) -> Int? {
        let values = headers.values("Content-Length").flatMap { $0.split(separator: ",") }
            .map { $0.trimmed() }
        guard let first = values.first else { return nil }
        // Repeated values must agree (RFC 9110 §8.6); differing ones mean the framing is a lie.
        guard values.allSatisfy({ $0 == first }), !first.isEmpty, first.count <= 18,
              first.utf8.allSatisfy({ $0.asciiDigit != nil }), let length = Int(first)
        else { throw .malformedResponse("invalid Content-Length \"\(values.joined(separator: ", "))\"") }
        return length
    }

    static func keepsAlive(minorVersion: Int, headers: HTTPHeaders) -> Bool {
        let tokens = headers.values("Connection").flatMap { $0.lowercased().split(separator: ",") }
            .map { $0.trimmed() }
        if tokens.contains("close") { return false }
        return minorVersion >= 1 || tokens.contains("keep-alive")
    }

    // MARK: body

    private mutating func readChunked(trailers: inout HTTPHeaders) throws(WireFailure) -> Data {
        var body = Data()
        while true {
            let line = try readLine(isFirst: false)
            let sizeText = line.prefix { $0 != UInt8(ascii: ";") }
                .drop { $0 == 0x20 }.prefix { $0 != 0x20 && $0 != 0x09 }
            guard !sizeText.isEmpty, sizeText.count <= 15,
                  let size = Int(String(decoding: sizeText, as: UTF8.self), radix: 16), size >= 0
            else { throw .malformedResponse("invalid chunk size line \"\(String(decoding: line.prefix(40), as: UTF8.self))\"") }
            if size == 0 { break }
            guard body.count + size <= limits.maxBodyBytes else { throw .malformedResponse("chunked body is over the limit of \(limits.maxBodyBytes) bytes") }
            body.append(try readExactly(size, announced: nil))
            guard try readLine(isFirst: false).isEmpty else { throw .malformedResponse("chunk not followed by CRLF") }
        }
        var count = 0
        while true {
            let line = try readLine(isFirst: false)
            if line.isEmpty { break }
            count += 1
            guard count <= limits.maxHeaderCount else { throw .malformedResponse("more than \(limits.maxHeaderCount) trailer fields") }
            let (name, value) = try HTTPResponseReader.parseHeaderLine(line)
            trailers.add(name, value)
        }
        return body
    }

    private mutating func readExactly(_ count: Int, announced: Int?) throws(WireFailure) -> Data {
        var body = Data()
        body.reserveCapacity(min(count, 16 << 20))
        while body.count < count {
            if position == buffer.count {
                guard try fill() else {
                    let what = announced.map { "body ended after \(body.count) of \($0) bytes" } ?? "connection closed inside a chunk"
                    throw .closed(detail: what, beforeResponse: false)
                }
            }
            let take = min(count - body.count, buffer.count - position)
            body.append(contentsOf: buffer[position..<(position + take)])
            position += take
        }
        return body
    }

    private mutating func readToEnd() throws(WireFailure) -> Data {
        var body = Data(buffer[position...])
        position = buffer.count
        while try fill() {
            guard body.count + buffer.count <= limits.maxBodyBytes else { throw .malformedResponse("body is over the limit of \(limits.maxBodyBytes) bytes") }
            body.append(contentsOf: buffer)
            position = buffer.count
        }
        return body
    }

    // MARK: bytes

    /// A line without its CRLF (a bare LF is accepted, as RFC 9112 allows recipients to).
    private mutating func readLine(isFirst: Bool) throws(WireFailure) -> [UInt8] {
        var line: [UInt8] = []
        while true {
            if position == buffer.count {
                guard try fill() else {
                    if isFirst && line.isEmpty && received == 0 {
                        // Not `beforeResponse`: the server may have acted on the request before
                        // hanging up, so only the retry layer, which counts attempts, may resend.
                        throw .closed(detail: "the server closed the connection without answering", beforeResponse: false)
                    }
                    throw .closed(detail: "the response ended in the middle of its head", beforeResponse: false)
                }
            }
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                line.append(contentsOf: buffer[position..<newline])
                position = newline + 1
                if line.last == 0x0D { line.removeLast() }
                guard line.count <= limits.maxLineBytes else { throw .malformedResponse("a line of over \(limits.maxLineBytes) bytes") }
                return line
            }
            line.append(contentsOf: buffer[position...])
            position = buffer.count
            guard line.count <= limits.maxLineBytes else { throw .malformedResponse("a line of over \(limits.maxLineBytes) bytes") }
        }
    }

    /// Reads more into the buffer; false at the end of the stream.
    private mutating func fill() throws(WireFailure) -> Bool {
        var count = 0
        var failure: WireFailure?
        let source = self.source
        // Uninitialised: zero-filling 64 KiB per read only to overwrite it is wasted work on
        // every piece of a large body.
        buffer = [UInt8](unsafeUninitializedCapacity: 64 * 1024) { raw, initialized in
            do throws(WireFailure) { count = try source(UnsafeMutableRawBufferPointer(raw)) } catch { failure = error }
            initialized = count
        }
        if let failure { throw failure }
        position = 0
        received += count
        return count > 0
    }
}

private extension UInt8 {
    var asciiDigit: Int? { (0x30...0x39).contains(self) ? Int(self - 0x30) : nil }

    /// RFC 9110 `tchar`.
    var isTokenCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(self)
        }
    }
}
