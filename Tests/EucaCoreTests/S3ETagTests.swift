import Foundation
import Testing
@testable import EucaCore

/// ETags against `Fixtures/conformance/s3-multipart-etag.json` (values observed from
/// a real S3-compatible server; see SOURCES.md there).
@Suite struct S3ETagTests {
    struct File: Decodable {
        struct Part: Decodable {
            let part_number: Int
            let content: String
            let etag: String
        }
        struct Vector: Decodable {
            let name: String
            let body_utf8: String?
            let etag: String?
            let parts: [Part]?
            let complete_etag: String?
        }
        let vectors: [Vector]
    }

    static let file = try! JSONDecoder().decode(File.self, from: Fixture.data("conformance/s3-multipart-etag.json"))

    /// The fixture describes part contents as Python expressions: `'a' * 5242880` or `'b'`.
    static func content(_ expression: String) throws -> Data {
        let pieces = expression.components(separatedBy: " * ")
        let literal = pieces[0].trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        let count = pieces.count > 1 ? try #require(Int(pieces[1])) : 1
        return Data(String(repeating: literal, count: count).utf8)
    }

    @Test func singlePutETagIsTheHexMD5() throws {
        let vector = try #require(Self.file.vectors.first { $0.name == "single-put" })
        let md5 = Digest.hash(.md5, Data(try #require(vector.body_utf8).utf8))
        #expect(S3ETag.singlePart(md5: md5) == S3ETag.normalize(try #require(vector.etag)))
        #expect(S3ObjectInfo(key: "k", size: 5, etag: vector.etag!).matches(size: 5, md5: md5))
    }

    /// An object someone else uploaded in parts: its ETag says nothing about the MD5 of the whole.
    @Test func multipartETagIsNotTheContentMD5() throws {
        let vector = try #require(Self.file.vectors.first { $0.name == "mpu-2-parts" })
        for part in try #require(vector.parts) {
            let md5 = Digest.hash(.md5, try Self.content(part.content))
            #expect(md5.hexString == S3ETag.normalize(part.etag), "part \(part.part_number)")
        }
        let expected = S3ETag.normalize(try #require(vector.complete_etag))
        #expect(expected.hasSuffix("-2"))
        #expect(!S3ETag.isMD5Shaped(expected))
        #expect(!S3ObjectInfo(key: "k", size: 5_242_881, etag: expected).etagIsContentMD5)
    }

    @Test func normalizationAndShape() {
        #expect(S3ETag.normalize("\"5D41402ABC4B2A76B9719D911017C592\"") == "5d41402abc4b2a76b9719d911017c592")
        #expect(S3ETag.normalize("W/\"abc\"") == "abc")
        #expect(S3ETag.normalize(" abc ") == "abc")
        #expect(S3ETag.normalize("\"") == "\"")
        #expect(S3ETag.isMD5Shaped("\"5d41402abc4b2a76b9719d911017c592\""))
        #expect(!S3ETag.isMD5Shaped("5d41402abc4b2a76b9719d911017c59"))
        #expect(!S3ETag.isMD5Shaped("5d41402abc4b2a76b9719d911017c59g"))
    }

    @Test func encryptedObjectsETagsAreNotTheirMD5() {
        let etag = "\"5d41402abc4b2a76b9719d911017c592\""
        #expect(S3ETag.isContentMD5(etag, headers: ["x-amz-server-side-encryption": "AES256"]))
        #expect(!S3ETag.isContentMD5(etag, headers: ["x-amz-server-side-encryption": "aws:kms"]))
        #expect(!S3ETag.isContentMD5(etag, headers: ["x-amz-server-side-encryption-customer-algorithm": "AES256"]))
    }

    @Test func objectInfoFromHeaders() throws {
        let headers: HTTPHeaders = [
            "Content-Length": "11", "ETag": "\"5d41402abc4b2a76b9719d911017c592\"",
            "Last-Modified": "Tue, 27 Mar 2007 19:36:42 GMT", "Content-Type": "text/plain",
            "x-amz-meta-Owner": "me",
        ]
        let info = try #require(S3ObjectInfo.from(headers: headers, key: "k"))
        #expect(info.size == 11)
        #expect(info.etag == "5d41402abc4b2a76b9719d911017c592" && info.etagIsContentMD5)
        #expect(info.metadata == ["owner": "me"])
        #expect(info.lastModified == Date(timeIntervalSince1970: 1_175_024_202))
        #expect(S3ObjectInfo.from(headers: [:], key: "k") == nil)
    }

    @Test func createBucketBodyOnlyOutsideTheDefaultRegion() {
        #expect(S3Client.createBucketBody(location: nil).isEmpty)
        #expect(S3Client.createBucketBody(location: "").isEmpty)
        #expect(S3Client.createBucketBody(location: "us-east-1").isEmpty)
        #expect(String(decoding: S3Client.createBucketBody(location: "eu-west-1"), as: UTF8.self)
            == "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>")
    }
}
