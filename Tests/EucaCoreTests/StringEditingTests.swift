@testable import EucaCore
import Testing

struct StringEditingTests {
    @Test func trimmedRemovesWhitespaceAtBothEndsOnly() {
        #expect("  a b\t\r\n".trimmed() == "a b")
        #expect(" \t\n ".trimmed() == "")
        #expect("x".trimmed() == "x")
        #expect("\u{00A0}ünï\u{2003}".trimmed() == "ünï")
        #expect("  key = value ".split(separator: "=")[0].trimmed() == "key")
    }

    @Test func replacingAllReplacesEveryOccurrenceLeftToRight() {
        #expect("a&b&&c".replacingAll("&", with: "&amp;") == "a&amp;b&amp;&amp;c")
        #expect("secret=SECRET secret".replacingAll("secret", with: "<redacted>") == "<redacted>=SECRET <redacted>")
        #expect("aaa".replacingAll("aa", with: "b") == "ba")
        #expect("日本日本".replacingAll("本", with: "x") == "日x日x")
        #expect("abc".replacingAll("", with: "x") == "abc")
        #expect("ab".replacingAll("abc", with: "x") == "ab")
    }
}
