/// A bucket name or object key that this client refuses to put in a request.
public struct S3NameError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Checks on bucket names and object keys, made before any request is built.
public enum S3Names {
    /// Longest key S3 accepts, in UTF-8 bytes.
    public static let maximumKeyBytes = 1024

    /// Bucket names as the S3 family accepts them in path-style requests: 1-255 characters of
    /// `A-Z a-z 0-9 . - _` (the old us-east-1 and Walrus rules; newer servers are stricter and
    /// say so themselves). Anything else could not be told apart from the key in a path.
    public static func validateBucket(_ bucket: String) throws(S3NameError) {
        guard !bucket.isEmpty else { throw S3NameError("the bucket name is empty") }
        guard bucket.utf8.count <= 255 else {
            throw S3NameError("bucket name \(quoted(bucket)) is longer than 255 characters")
        }
        // "." and ".." are not bucket names; in a path they would read as dot segments.
        guard bucket != "." && bucket != ".." else {
            throw S3NameError("bucket name \(quoted(bucket)) is not a valid bucket name")
        }
        if let bad = bucket.unicodeScalars.first(where: { !isBucketCharacter($0) }) {
            throw S3NameError("bucket name \(quoted(bucket)) contains \(quoted(String(bad))); use only letters, digits, '.', '-' and '_'")
        }
    }

    /// Whether the name can be a DNS label sequence, as virtual-host addressing needs: 3-63
    /// characters, lower-case letters, digits, '-' and '.', each label starting and ending with
    /// a letter or digit, and not an IPv4 address.
    public static func isDNSCompatible(_ bucket: String) -> Bool {
        guard (3...63).contains(bucket.utf8.count) else { return false }
        let labels = bucket.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard let first = label.unicodeScalars.first, let last = label.unicodeScalars.last,
                  isLowerAlphanumeric(first), isLowerAlphanumeric(last),
                  label.unicodeScalars.allSatisfy({ isLowerAlphanumeric($0) || $0 == "-" })
            else { return false }
        }
        let looksLikeIP = labels.count == 4 && labels.allSatisfy { $0.allSatisfy(\.isASCII) && Int($0) != nil }
        return !looksLikeIP
    }

    /// Keys S3 can store and list. `.` and `..` segments are fine: our transport sends the
    /// path exactly as signed, without RFC 3986 dot-segment removal.
    public static func validateKey(_ key: String) throws(S3NameError) {
        guard !key.isEmpty else { throw S3NameError("the object key is empty") }
        guard key.utf8.count <= maximumKeyBytes else {
            throw S3NameError("object key \(quoted(String(key.prefix(60)) + "…")) is longer than \(maximumKeyBytes) bytes")
        }
        if let control = key.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw S3NameError("object key \(quoted(key)) contains the control character U+\(String(control.value, radix: 16, uppercase: true)), which S3 list responses cannot represent in XML")
        }
    }

    /// `prefix` and `name` joined with exactly one `/` (an empty prefix adds nothing).
    public static func key(prefix: String, name: String) -> String {
        var trimmed = Substring(prefix)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.isEmpty ? name : "\(trimmed)/\(name)"
    }

    static func isBucketCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_": return true
        default: return false
        }
    }

    static func isLowerAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "0"..."9": return true
        default: return false
        }
    }
}
