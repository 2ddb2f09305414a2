import Foundation
import Testing
@testable import EucaCore

/// Table-driven: malformed values of every shared option type, and the exact message each gets.
@Suite struct ValueTypeTests {
    static func problem(_ type: ValueType, _ value: String) -> String? {
        do {
            _ = try type.convert(value)
            return nil
        } catch {
            return error.problem
        }
    }

    @Test(arguments: [
        ("22", nil), ("-1", nil), ("80-81", nil), ("0-65535", nil), ("-1--1", nil),
        ("22:80", "expected PORT or FROM-TO (a range is separated by \"-\", not \":\"), got \"22:80\""),
        ("http", "expected PORT or FROM-TO, got \"http\""),
        ("70000", "port 70000 is out of range -1 to 65535"),
        ("80-70000", "port 70000 is out of range -1 to 65535"),
        ("90-80", "port range \"90-80\" starts after it ends"),
        ("", "expected PORT or FROM-TO, got \"\""),
        ("1-2-3", "expected PORT or FROM-TO, got \"1-2-3\""),
    ] as [(String, String?)])
    func portRanges(value: String, problem: String?) {
        #expect(Self.problem(.portRange, value) == problem)
    }

    @Test(arguments: [
        ("10.0.0.0/8", true), ("0.0.0.0/0", true), ("192.168.1.1/32", true),
        ("10.0.0.0", false), ("10.0.0/8", false), ("256.0.0.0/8", false), ("10.0.0.0/33", false),
        ("10.0.0.0/", false), ("a.b.c.d/8", false), ("10.0.0.0/8/8", false), ("١٠.0.0.0/8", false),
    ])
    func cidrBlocks(value: String, valid: Bool) {
        #expect((Self.problem(.cidr, value) == nil) == valid)
    }

    @Test(arguments: [
        ("-1:-1", nil), ("8:0", nil),
        ("8", "expected TYPE:CODE with each from -1 to 255, got \"8\""),
        ("300:0", "expected TYPE:CODE with each from -1 to 255, got \"300:0\""),
        ("a:b", "expected TYPE:CODE with each from -1 to 255, got \"a:b\""),
    ] as [(String, String?)])
    func icmpTypeCodes(value: String, problem: String?) {
        #expect(Self.problem(.icmpTypeCode, value) == problem)
    }

    @Test func integersChoicesBooleansAndURLs() throws {
        #expect(Self.problem(.integer(1...20), "3") == nil)
        #expect(Self.problem(.integer(1...20), "0") == "expected an integer from 1 to 20, got \"0\"")
        #expect(Self.problem(.integer(1...Int.max), "x") == "expected an integer of at least 1, got \"x\"")
        #expect(Self.problem(.boolean, "maybe") == "expected true or false, got \"maybe\"")
        #expect(try ValueType.boolean.convert("yes") == [Field("", "true")])
        #expect(Self.problem(.seconds, "0") == "expected a number of seconds greater than 0, got \"0\"")
        #expect(Self.problem(.url, "ftp://x") == "expected an http:// or https:// URL, got \"ftp://x\"")
        #expect(Self.problem(.url, "http://") == "expected an http:// or https:// URL, got \"http://\"")
        #expect(Self.problem(.nonEmpty, "") == "expected a non-empty value")
    }

    @Test func filesMustExistAndBeFiles() throws {
        #expect(Self.problem(.readableFile, "/nonexistent/x") == "file \"/nonexistent/x\" does not exist")
        #expect(Self.problem(.readableFile, "/tmp") == "\"/tmp\" is a directory")
        #expect(Self.problem(.outputFile, "/nonexistent/dir/x") == "directory \"/nonexistent/dir\" does not exist")
        #expect(Self.problem(.directory, "/etc/hostname") == "\"/etc/hostname\" is not a directory")
        let path = NSTemporaryDirectory() + "/value-type-\(UUID().uuidString)"
        try Data("ssh-rsa AAAA".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ValueType.base64FileContents.convert(path) == [Field("", "c3NoLXJzYSBBQUFB")])
    }

    @Test func messagesStayOnOneLine() {
        #expect(quoted("a\nb\t\u{1}") == "\"a\\nb\\t\\u{1}\"")
    }
}
