import Foundation

/// What a HEAD, a GET or a listing says about one object.
public struct S3ObjectInfo: Sendable, Equatable {
    public var key: String
    public var size: Int64
    /// Unquoted, lower-cased (see `S3ETag.normalize`); empty when the server sent none.
    public var etag: String
    /// Whether `etag` is the hex MD5 of the bytes (single PUT, no KMS/customer-key encryption),
    /// so that a download can be checked against it.
    public var etagIsContentMD5: Bool
    public var lastModified: Date?
    /// Only from HEAD and GET.
    public var contentType: String?
    /// `x-amz-meta-*` headers, names lower-cased without the prefix. Only from HEAD and GET.
    public var metadata: [String: String]

    public init(key: String, size: Int64, etag: String, etagIsContentMD5: Bool? = nil,
                lastModified: Date? = nil, contentType: String? = nil,
                metadata: [String: String] = [:]) {
        self.key = key
        self.size = size
        self.etag = S3ETag.normalize(etag)
        self.etagIsContentMD5 = etagIsContentMD5 ?? S3ETag.isMD5Shaped(etag)
        self.lastModified = lastModified
        self.contentType = contentType
        self.metadata = metadata
    }

    /// Whether the object holds exactly the bytes with this size and MD5, as far as the ETag can
    /// tell; false when the ETag is not a plain MD5 (a multipart or encrypted object).
    public func matches(size: Int64, md5: [UInt8]) -> Bool {
        self.size == size && etagIsContentMD5 && etag == md5.hexString
    }

    /// From the headers of a HEAD or GET response. nil without a usable `Content-Length`.
    static func from(headers: HTTPHeaders, key: String) -> S3ObjectInfo? {
        guard let size = headers["Content-Length"].flatMap({ Int64($0.trimmed()) })
        else { return nil }
        let etag = headers["ETag"] ?? ""
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        return S3ObjectInfo(key: key, size: size, etag: etag,
                            etagIsContentMD5: S3ETag.isContentMD5(etag, headers: headers),
                            lastModified: headers["Last-Modified"].flatMap(HTTPDate.parse),
                            contentType: headers["Content-Type"], metadata: metadata)
    }
}
