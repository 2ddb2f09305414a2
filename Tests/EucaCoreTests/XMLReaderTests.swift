import Foundation
import Testing
@testable import EucaCore

@Suite struct XMLReaderTests {
    @Test func readsAnEC2ResponseWithNamespacesEntitiesAndCDATA() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeKeyPairsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <!-- comment -->
          <requestId>r-1</requestId>
          <keySet>
            <item><keyName>a &amp; b &#x263A; &#65;</keyName><keyFingerprint><![CDATA[1<2 & 3]]></keyFingerprint></item>
            <item><keyName/><ec2:keyFingerprint xmlns:ec2="x">f2</ec2:keyFingerprint></item>
          </keySet>
        </DescribeKeyPairsResponse>
        """
        let root = try XML.parse(xml)
        #expect(root.name == "DescribeKeyPairsResponse")
        let items = root.items("keySet")
        #expect(items.count == 2)
        #expect(items[0].value("keyName") == "a & b ☺ A")
        #expect(items[0].value("keyFingerprint") == "1<2 & 3")
        #expect(items[1].value("keyName") == nil)
        #expect(items[1].value("keyFingerprint") == "f2")
        #expect(root.items("missing").isEmpty)
    }

    @Test(arguments: [
        "", "   ", "not xml", "<a>", "<a></b>", "<a><b></a></b>", "<a x=1/>", "<a x=\"1></a>",
        "<a>&bogus;</a>", "<a>&amp</a>", "<a/><b/>", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
        "<a><![CDATA[x</a>", "<a><!-- x</a>", "<html><body>502 Bad Gateway</body>",
        "<a></a", "<", "</a>", "<a b=\"<\"/>",
    ])
    func rejectsMalformedDocuments(text: String) {
        #expect(throws: XML.ParseError.self) { try XML.parse(text) }
    }

    @Test func refusesDeepNestingInsteadOfRecursingForever() {
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        #expect(throws: XML.ParseError.self) { try XML.parse(deep) }
    }

    @Test func reportsWhereItFailed() {
        do {
            _ = try XML.parse("<a><b></c></a>")
            Issue.record("expected a failure")
        } catch {
            #expect(error.description == "</c> does not close <b> at byte 9")
        }
    }
}
