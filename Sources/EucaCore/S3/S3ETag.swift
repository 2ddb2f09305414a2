import Foundation

/// What an S3 ETag says about an object's bytes.
///
/// Not specified by AWS beyond "an opaque string", but every server this project talks to
/// (AWS, Walrus/objectstorage, Ceph RGW, MinIO, moto) does the same: a single PUT's ETag is the
/// hex MD5 of the body; a multipart upload's is the hex MD5 of the concatenated binary part
/// MD5s followed by `-` and the part count. Both arrive wrapped in double quotes. Objects that
/// the server encrypts with a key of its own choosing (SSE-KMS, SSE-C) have ETags that are not
/// an MD5 of the data, though they look like one; `isContentMD5` takes that into account.
public enum S3ETag {
    /// The ETag without its quotes (and without a weak-validator `W/`), lower-cased.
    public static func normalize(_ etag: String) -> String {
        var text = Substring(etag.trimmed())
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 {
            text = text.dropFirst().dropLast()
        }
        return text.lowercased()
    }

    /// The ETag a single PUT of these bytes gets: the hex MD5, unquoted.
    public static func singlePart(md5: [UInt8]) -> String { md5.hexString }

    /// Whether `etag` is 32 hex digits, the shape of a single-PUT ETag.
    public static func isMD5Shaped(_ etag: String) -> Bool {
        let text = normalize(etag)
        return text.utf8.count == 32 && text.utf8.allSatisfy { isHexDigit($0) }
    }

    /// Whether the ETag in `headers` is the MD5 of the object's bytes: MD5-shaped, and the
    /// response does not say the server encrypted it with KMS or a customer key.
    public static func isContentMD5(_ etag: String, headers: HTTPHeaders) -> Bool {
        guard isMD5Shaped(etag) else { return false }
        if headers["x-amz-server-side-encryption-customer-algorithm"] != nil { return false }
        if let sse = headers["x-amz-server-side-encryption"]?.lowercased(), sse.hasPrefix("aws:kms") {
            return false
        }
        return true
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }
}
