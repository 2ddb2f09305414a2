import Foundation

/// One page of a ListObjects (version 1) response.
///
/// Version 1 (`marker`) rather than ListObjectsV2 (`list-type=2`, `continuation-token`):
/// Walrus and Eucalyptus objectstorage only implement version 1, and every other server
/// (AWS, RGW, MinIO, moto) still answers it. Paging follows the documented v1 rule: continue
/// after `NextMarker` when the server sends one (AWS only does with a delimiter), else after the
/// last key or common prefix of the page, whichever sorts last.
public struct S3ListPage: Sendable, Equatable {
    public var objects: [S3ObjectInfo]
    public var commonPrefixes: [String]
    public var isTruncated: Bool
    /// Where the next page starts (the `marker` to send); nil on the last page.
    public var nextMarker: String?

    public init(objects: [S3ObjectInfo], commonPrefixes: [String], isTruncated: Bool,
                nextMarker: String?) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.isTruncated = isTruncated
        self.nextMarker = nextMarker
    }

    /// Reads a `<ListBucketResult>`. A truncated page that gives no way to continue (no
    /// `NextMarker`, no keys, no prefixes) is malformed: following it would loop forever.
    public static func parse(_ document: XML.Element, host: String) throws(ResponseFormatError) -> S3ListPage {
        guard document.name == "ListBucketResult" else {
            throw ResponseFormatError(host: host, problem: "expected a ListBucketResult document, got <\(document.name)>")
        }
        var objects: [S3ObjectInfo] = []
        for entry in document.all("Contents") {
            guard let key = entry["Key"]?.text, let sizeText = entry.value("Size"),
                  let size = Int64(sizeText.trimmed())
            else {
                throw ResponseFormatError(host: host, problem: "a <Contents> entry without a Key or a numeric Size")
            }
            objects.append(S3ObjectInfo(key: key, size: size, etag: entry.value("ETag") ?? "",
                                        lastModified: entry.value("LastModified").flatMap(UTCDateTime.parseISO8601)))
        }
        let prefixes = document.all("CommonPrefixes").compactMap { $0["Prefix"]?.text }
        let isTruncated = document.value("IsTruncated")?.trimmed().lowercased() == "true"
        guard isTruncated else {
            return S3ListPage(objects: objects, commonPrefixes: prefixes, isTruncated: false, nextMarker: nil)
        }
        let lastSeen = (objects.map(\.key) + prefixes).max { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard let next = document.value("NextMarker") ?? lastSeen else {
            throw ResponseFormatError(host: host, problem: "a truncated object listing with no NextMarker and no entries")
        }
        return S3ListPage(objects: objects, commonPrefixes: prefixes, isTruncated: true, nextMarker: next)
    }
}

/// Everything under a prefix, all pages joined.
public struct S3Listing: Sendable, Equatable {
    public var objects: [S3ObjectInfo]
    public var commonPrefixes: [String]
    /// How many requests it took.
    public var pages: Int
}
