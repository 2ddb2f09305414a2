/// Where a bundle lives in object storage: `-b BUCKET[/PREFIX]`, as euca2ools reads it. The
/// prefix, when there is one, ends with exactly the `/` euca2ools adds, so a part `NAME.part.0`
/// is stored as `PREFIX/NAME.part.0` and printed as `BUCKET/PREFIX/NAME.part.0`.
public struct BundleLocation: Sendable, Equatable, CustomStringConvertible {
    public var bucket: String
    /// `""` or `images/centos/`.
    public var prefix: String

    public init(bucket: String, prefix: String = "") {
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Parses `BUCKET[/PREFIX]`; the bucket name is checked, the prefix gets a trailing `/`.
    public init(parsing text: String, option: String = "-b/--bucket") throws(UsageError) {
        let bucketPart = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        bucket = String(bucketPart[0])
        var rest = bucketPart.count > 1 ? String(bucketPart[1]) : ""
        if !rest.isEmpty && !rest.hasSuffix("/") { rest += "/" }
        prefix = rest
        do {
            try S3Names.validateBucket(bucket)
        } catch {
            throw UsageError("argument \(option): \(error.message)")
        }
    }

    /// The key of a file of the bundle.
    public func key(_ name: String) -> String { prefix + name }

    /// The file name of `key` under this location, or nil when `key` is not under it. Keys are
    /// matched by prefix, never cut by length: a listing may return keys that do not start with
    /// the prefix asked for (a server or proxy collapsing the `//` of `bucket//double`), and
    /// cutting `prefix.count` characters off those loses the start of the bundle's name.
    public func fileName(ofKey key: String) -> String? {
        guard key.hasPrefix(prefix) else { return nil }
        return String(key.dropFirst(prefix.count))
    }

    /// `BUCKET/KEY`, as euca2ools prints an uploaded object.
    public func path(_ name: String) -> String { "\(bucket)/\(key(name))" }

    /// `BUCKET/PREFIX` (without the trailing slash) for messages.
    public var description: String {
        prefix.isEmpty ? bucket : "\(bucket)/\(prefix.dropLast())"
    }

    /// The manifest's file name for `-p NAME`.
    public static func manifestName(forPrefix name: String) -> String { name + ".manifest.xml" }
}

extension BundleLocation {
    /// The `-b/--bucket BUCKET[/PREFIX]` every bundle transfer command takes.
    static func from(_ arguments: ParsedArguments) throws -> BundleLocation {
        try BundleLocation(parsing: try arguments.required("bucket"))
    }
}
