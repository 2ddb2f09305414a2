import Foundation
import Testing
@testable import EucaCore

@Suite struct ServiceErrorTests {
    @Test func readsEC2Errors() {
        let body = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Response><Errors><Error><Code>InvalidKeyPair.NotFound</Code><Message>The key pair 'x' does not exist</Message></Error></Errors><RequestID>abc</RequestID></Response>
        """
        let error = ServiceError.from(HTTPResponse(status: 400, body: Data(body.utf8)), host: "ec2.example.com")
        #expect(error.code == "InvalidKeyPair.NotFound")
        #expect(error.requestId == "abc")
        #expect(error.description == "(InvalidKeyPair.NotFound): The key pair 'x' does not exist")
    }

    @Test func readsS3ErrorsWithTheirDetails() {
        let body = "<Error><Code>PermanentRedirect</Code><Message>Use the endpoint</Message><Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint><Region>eu-west-1</Region></Error>"
        let error = ServiceError.from(HTTPResponse(status: 301, body: Data(body.utf8)), host: "s3")
        #expect(error.details["Region"] == "eu-west-1")
    }

    @Test func summarisesBodiesThatAreNotErrorDocuments() {
        let html = ServiceError.from(HTTPResponse(status: 502, body: Data("<html><body>Bad gateway</body></html>".utf8)), host: "proxy:8080")
        #expect(html.code == nil)
        #expect(html.description == "HTTP 502 Bad Gateway from proxy:8080 with an HTML page instead of an AWS error document (is the URL right?); --debug shows the response")
        let empty = ServiceError.from(HTTPResponse(status: 403), host: "h")
        #expect(empty.description == "HTTP 403 Forbidden from h with an empty body; --debug shows the response")
        let garbage = ServiceError.from(HTTPResponse(status: 500, body: Data([0xff, 0x00, 0x12])), host: "h")
        #expect(garbage.description.hasPrefix("HTTP 500 Internal Server Error from h with a body that is not"))
    }

    @Test func saysHowManyAttemptsWereMade() {
        var error = ServiceError(status: 503, code: "ServiceUnavailable", message: "try later", host: "h")
        error.attempts = 3
        #expect(error.description == "(ServiceUnavailable): try later (gave up after 3 attempts)")
    }
}
