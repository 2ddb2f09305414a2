import Foundation

/// A strict, non-validating XML reader for service responses, written for this project rather
/// than using FoundationXML so that (a) the binary does not load libxml2 at start-up, and (b) every
/// malformed input ends in an `XML.ParseError` with a position — never a crash or a hang (it is
/// fuzzed). DOCTYPE declarations are rejected outright: no entity expansion, no external fetches.
extension XML {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    /// Nesting deeper than this is treated as hostile input rather than recursed into.
    static let maximumDepth = 256

    public static func parse(_ data: Data) throws(ParseError) -> Element {
        var reader = Reader(bytes: [UInt8](data))
        return try reader.document()
    }

    public static func parse(_ text: String) throws(ParseError) -> Element {
        try parse(Data(text.utf8))
    }
}

private struct Reader {
    let bytes: [UInt8]
    var pos = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    func fail(_ message: String) -> XML.ParseError {
        XML.ParseError(message: message, offset: pos)
    }

    var atEnd: Bool { pos >= bytes.count }

    func peek(_ offset: Int = 0) -> UInt8? {
        let i = pos + offset
        return i < bytes.count ? bytes[i] : nil
    }

    func startsWith(_ literal: String) -> Bool {
        let lit = Array(literal.utf8)
        guard pos + lit.count <= bytes.count else { return false }
        return bytes[pos..<pos + lit.count].elementsEqual(lit)
    }

    mutating func skipWhitespace() {
        while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { pos += 1 }
    }

    /// Skips up to and including `terminator`.
    mutating func skip(past terminator: String, what: String) throws(XML.ParseError) {
        let term = Array(terminator.utf8)
        while pos + term.count <= bytes.count {
            if bytes[pos..<pos + term.count].elementsEqual(term) {
                pos += term.count
                return
            }
            pos += 1
        }
        throw fail("unterminated \(what)")
    }

    mutating func document() throws(XML.ParseError) -> XML.Element {
        if startsWith("\u{FEFF}") { pos += 3 }
        try misc()
        guard peek() == UInt8(ascii: "<") else {
            throw fail(atEnd ? "empty document" : "document does not start with an element")
        }
        let root = try element(depth: 0)
        try misc()
        guard atEnd else { throw fail("content after the root element") }
        return root
    }

    /// Whitespace, comments and processing instructions around the root element.
    mutating func misc() throws(XML.ParseError) {
        while true {
            skipWhitespace()
            if startsWith("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if startsWith("<!--") {
                try skip(past: "-->", what: "comment")
            } else if startsWith("<!DOCTYPE") || startsWith("<!doctype") {
                throw fail("DOCTYPE declarations are not accepted")
            } else {
                return
            }
        }
    }

    mutating func name() throws(XML.ParseError) -> String {
        let start = pos
        while let b = peek(), !isNameTerminator(b) { pos += 1 }
        guard pos > start else { throw fail("expected a name") }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    func isNameTerminator(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="),
             UInt8(ascii: "<"), UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        default:
            return false
        }
    }

    static func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    mutating func element(depth: Int) throws(XML.ParseError) -> XML.Element {
        guard depth < XML.maximumDepth else { throw fail("elements nested too deeply") }
        pos += 1  // "<"
        let qualifiedName = try name()
        var node = XML.Element(name: Reader.localName(qualifiedName))
        while true {
            skipWhitespace()
            guard let b = peek() else { throw fail("unterminated start tag <\(qualifiedName)>") }
            if b == UInt8(ascii: "/") {
                guard peek(1) == UInt8(ascii: ">") else { throw fail("expected />") }
                pos += 2
                return node
            }
            if b == UInt8(ascii: ">") {
                pos += 1
                break
            }
            let attributeName = try name()
            skipWhitespace()
            guard peek() == UInt8(ascii: "=") else { throw fail("expected = after attribute name") }
            pos += 1
            skipWhitespace()
            guard let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'")
            else { throw fail("expected a quoted attribute value") }
            pos += 1
            let start = pos
            while let c = peek(), c != quote {
                guard c != UInt8(ascii: "<") else { throw fail("< in attribute value") }
                pos += 1
            }
            guard !atEnd else { throw fail("unterminated attribute value") }
            let raw = String(decoding: bytes[start..<pos], as: UTF8.self)
            pos += 1
            node.attributes[Reader.localName(attributeName)] = try decodeEntities(raw)
        }
        try content(of: &node, qualifiedName: qualifiedName, depth: depth)
        return node
    }

    mutating func content(of node: inout XML.Element, qualifiedName: String, depth: Int)
        throws(XML.ParseError)
    {
        var text = [UInt8]()
        while true {
            guard let b = peek() else { throw fail("unterminated element <\(qualifiedName)>") }
            if b != UInt8(ascii: "<") {
                let start = pos
                while let c = peek(), c != UInt8(ascii: "<") { pos += 1 }
                text.append(contentsOf: bytes[start..<pos])
                continue
            }
            if startsWith("</") {
                pos += 2
                let closing = try name()
                guard closing == qualifiedName else {
                    throw fail("</\(closing)> does not close <\(qualifiedName)>")
                }
                skipWhitespace()
                guard peek() == UInt8(ascii: ">") else { throw fail("expected > in end tag") }
                pos += 1
                node.text = try decodeEntities(String(decoding: text, as: UTF8.self))
                return
            } else if startsWith("<!--") {
                try skip(past: "-->", what: "comment")
            } else if startsWith("<![CDATA[") {
                pos += 9
                let start = pos
                try skip(past: "]]>", what: "CDATA section")
                // CDATA is literal text: protect its ampersands from entity decoding.
                let literal = String(decoding: bytes[start..<pos - 3], as: UTF8.self)
                text.append(contentsOf: Array(literal.replacingAll("&", with: "&amp;").utf8))
            } else if startsWith("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if startsWith("<!") {
                throw fail("unexpected markup declaration")
            } else {
                node.children.append(try element(depth: depth + 1))
            }
        }
    }

    func decodeEntities(_ raw: String) throws(XML.ParseError) -> String {
        guard raw.contains("&") else { return raw }
        var out = ""
        var rest = Substring(raw)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"),
                  rest.distance(from: amp, to: semi) <= 12
            else { throw fail("unterminated character reference") }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                guard let scalar = Reader.characterReference(entity) else {
                    throw fail("unknown entity \(quoted("&" + entity + ";"))")
                }
                out.unicodeScalars.append(scalar)
            }
            rest = rest[rest.index(after: semi)...]
        }
        out += rest
        return out
    }

    static func characterReference(_ entity: Substring) -> Unicode.Scalar? {
        guard entity.hasPrefix("#") else { return nil }
        let digits = entity.dropFirst()
        let value: UInt32?
        if digits.hasPrefix("x") || digits.hasPrefix("X") {
            value = UInt32(digits.dropFirst(), radix: 16)
        } else {
            value = UInt32(digits, radix: 10)
        }
        return value.flatMap(Unicode.Scalar.init)
    }
}
