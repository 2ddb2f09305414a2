import Foundation
import Testing
@testable import EucaCore

@Suite struct ServiceDocumentTests {
    static func response(_ body: String, type: String?) -> HTTPResponse {
        var headers = HTTPHeaders()
        if let type { headers.add("Content-Type", type) }
        return HTTPResponse(status: 200, headers: headers, body: Data(body.utf8))
    }

    @Test func theActionsDocumentIsAccepted() throws {
        let body = "<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><regionInfo/></DescribeRegionsResponse>"
        let document = try ServiceDocument.parse(Self.response(body, type: "text/xml"), root: "DescribeRegionsResponse", host: "h")
        #expect(document.name == "DescribeRegionsResponse")
    }

    @Test func anHTMLPageIsNamedWithStatusAndType() {
        #expect(throws: ResponseFormatError(host: "h:1", problem: "HTTP 200 (text/html) carried no XML document, not a CreateVolumeResponse document")) {
            try ServiceDocument.parse(Self.response("<html><body>Welcome<br></body></html>", type: "text/html; charset=utf-8"),
                                      root: "CreateVolumeResponse", host: "h:1")
        }
    }

    @Test func anotherDocumentOrNothingIsRefused() {
        #expect(throws: ResponseFormatError(host: "h", problem: "HTTP 200 (text/xml) carried a <ListAllMyBucketsResult> document, not a ListBucketResult document")) {
            try ServiceDocument.parse(Self.response("<ListAllMyBucketsResult/>", type: "text/xml"), root: "ListBucketResult", host: "h")
        }
        #expect(throws: ResponseFormatError(host: "h", problem: "HTTP 200 (no content type) carried an empty body, not a RunInstancesResponse document")) {
            try ServiceDocument.parse(Self.response("", type: nil), root: "RunInstancesResponse", host: "h")
        }
    }
}
