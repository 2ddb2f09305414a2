/// How a bucket is named in a request: in the path (`https://endpoint/bucket/key`) or in the
/// host (`https://bucket.endpoint/key`).
///
/// `auto` (the default) uses virtual-host style only where it is known to work: AWS endpoints
/// (`*.amazonaws.com`, `*.amazonaws.com.cn`), and only for DNS-compatible bucket names without
/// dots (a dotted name breaks the `*.s3.amazonaws.com` certificate under HTTPS, which is what
/// botocore's auto mode avoids too). Everything else — Eucalyptus Walrus/objectstorage, Ceph
/// RGW, MinIO, moto, any IP address — gets path style, which all of them accept and which needs
/// no wildcard DNS.
///
/// Set with the environment variable `EUCA_S3_ADDRESSING_STYLE` or the key
/// `s3-addressing-style` in the euca2ools `[region NAME]` section (`auto`, `path`, `virtual`);
/// the environment wins.
public enum S3AddressingStyle: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case auto
    case path
    case virtual

    public static let environmentVariable = "EUCA_S3_ADDRESSING_STYLE"
    public static let configKey = "s3-addressing-style"

    public var description: String { rawValue }

    /// The style a setting names (`virtual-host` is accepted for `virtual`); an unknown value
    /// is a configuration error naming where it came from.
    static func parse(_ text: Sourced<String>) throws(ConfigError) -> Sourced<S3AddressingStyle> {
        let normalized = text.value.lowercased() == "virtual-host" ? "virtual" : text.value.lowercased()
        guard let style = S3AddressingStyle(rawValue: normalized) else {
            throw ConfigError("\(text.source): S3 addressing style must be auto, path or virtual, got \(quoted(text.value))")
        }
        return Sourced(style, text.source)
    }
}
