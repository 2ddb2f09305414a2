import Testing
@testable import EucaCore

@Suite struct PercentEncodingTests {
    @Test func keepsUnreservedAndEncodesTheRest() {
        #expect(PercentEncoding.encode("a-b_c.d~e f+g/h") == "a-b_c.d~e%20f%2Bg%2Fh")
        #expect(PercentEncoding.encode("/a b/ሴ", keepingSlash: true) == "/a%20b/%E1%88%B4")
    }

    @Test func decodesAndKeepsMalformedEscapes() {
        #expect(PercentEncoding.decode("a%20b%2") == "a b%2")
        #expect(PercentEncoding.decode("a+b", plusIsSpace: true) == "a b")
    }
}

@Suite struct FormEncodingTests {
    @Test func spacesArePlusesAndPlusesAreEscaped() {
        let body = FormEncoding.encode([QueryItem("GroupDescription", "web servers+db"), QueryItem("A", "~_.-")])
        #expect(body == "GroupDescription=web+servers%2Bdb&A=~_.-")
        #expect(FormEncoding.decode(body) == [QueryItem("GroupDescription", "web servers+db"), QueryItem("A", "~_.-")])
    }
}
