import Foundation
import Testing
@testable import EucaCore

/// The AWS-published SigV4 examples in `Fixtures/conformance/s3-sigv4.json`: S3 header and
/// presigned-URL signing, the IAM example from the general reference, the signing-key example.
///
/// Not covered: the per-chunk and trailer signatures of the two streaming (`aws-chunked`)
/// vectors. Streaming upload signing is not implemented (uploads send each part with its
/// payload hash); their seed requests, which are ordinary SigV4, are checked.
@Suite struct S3SigV4Tests {
    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let access_key: String?
        let secret_key: String
        let region: String
        let service: String
        let amz_date: String?
        let date: String?
        let method: String?
        let path: String?
        let query: [[String]]?
        let headers: [[String]]?
        let payload_hash: String?
        let body_utf8: String?
        let canonical_request: String?
        let signed_headers: String?
        let string_to_sign: String?
        let signature: String?
        let signing_key_hex: String?
        let presigned_url: String?

        var testDescription: String { name }

        var credentials: Credentials {
            Credentials(accessKeyId: access_key ?? "", secretAccessKey: secret_key)
        }

        var signer: SigV4Signer {
            SigV4Signer(credentials: credentials, region: region, service: service)
        }

        var signingDate: Date {
            if let amz_date { return Self.amzDate(amz_date) }
            return Self.amzDate(date! + "T000000Z")
        }

        /// The vector's request in decoded form: `Host` becomes the request's host.
        var request: HTTPRequest {
            var request = HTTPRequest(method: method!, host: "", path: path!,
                                      body: .bytes(Data((body_utf8 ?? "").utf8)))
            request.query = (query ?? []).map { QueryItem($0[0], $0[1]) }
            for header in headers ?? [] {
                if header[0].lowercased() == "host" {
                    request.host = header[1]
                } else {
                    request.headers.add(header[0], header[1])
                }
            }
            return request
        }

        static func amzDate(_ text: String) -> Date {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            return formatter.date(from: text)!
        }
    }

    struct File: Decodable {
        let vectors: [Vector]
    }

    static let vectors = try! JSONDecoder()
        .decode(File.self, from: Fixture.data("conformance/s3-sigv4.json")).vectors

    static let headerVectors = vectors.filter { $0.method != nil && $0.presigned_url == nil }
    static let presignVectors = vectors.filter { $0.presigned_url != nil }
    static let signingKeyVectors = vectors.filter { $0.signing_key_hex != nil }

    @Test func everyVectorIsUsed() {
        #expect(Self.vectors.count == 9)
        #expect(Self.headerVectors.count == 7)
        #expect(Self.presignVectors.count == 1)
        #expect(Self.signingKeyVectors.count == 2)
    }

    @Test(arguments: headerVectors)
    func headerSigning(_ vector: Vector) {
        // With a body given, let the signer hash it: the vector's payload hash then checks that.
        let payloadHash = vector.body_utf8 == nil ? vector.payload_hash : nil
        let signed = vector.signer.signed(vector.request, date: vector.signingDate,
                                          payloadHash: payloadHash)
        #expect(signed.canonicalRequest == vector.canonical_request)
        #expect(signed.signedHeaders == vector.signed_headers)
        #expect(signed.stringToSign == vector.string_to_sign)
        #expect(signed.signature == vector.signature)
        if vector.service == "s3" {
            #expect(signed.request.headers["x-amz-content-sha256"] == vector.payload_hash)
        }
    }

    @Test(arguments: presignVectors)
    func presignedURL(_ vector: Vector) {
        // The vector lists the X-Amz-* parameters the signer is to add; start without them.
        var request = vector.request
        request.query.removeAll { $0.name.hasPrefix("X-Amz-") }
        let expires = Int(vector.query!.first { $0[0] == "X-Amz-Expires" }![1])!
        let signed = vector.signer.presigned(request, date: vector.signingDate, expires: expires)
        #expect(signed.canonicalRequest == vector.canonical_request)
        #expect(signed.stringToSign == vector.string_to_sign)
        #expect(signed.signature == vector.signature)
        #expect(signed.request.url.absoluteString == vector.presigned_url)
    }

    @Test(arguments: signingKeyVectors)
    func signingKey(_ vector: Vector) {
        #expect(vector.signer.signingKey(date: vector.signingDate).hexString
                == vector.signing_key_hex)
    }

    @Test func s3SignsThePathOnceAndUnnormalized() {
        let signer = SigV4Signer(credentials: Credentials(accessKeyId: "a", secretAccessKey: "b"),
                                 region: "us-east-1", service: "s3")
        #expect(signer.rules == .s3)
        #expect(signer.addsContentSHA256Header)
        #expect(signer.canonicalPath("/bucket/a//b/../c d=") == "/bucket/a//b/../c%20d%3D")
    }

    @Test func sessionTokenIsSignedAndSentForS3() throws {
        let vector = try #require(Self.headerVectors.first { $0.name == "get-object-range" })
        var signer = vector.signer
        signer.credentials.sessionToken = "token/+="
        let signed = signer.signed(vector.request, date: vector.signingDate,
                                   payloadHash: SigV4Signer.unsignedPayload)
        #expect(signed.request.headers["X-Amz-Security-Token"] == "token/+=")
        #expect(signed.signedHeaders
                == "host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token")
        #expect(signed.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
        #expect(signed.request.headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD")
    }
}
