/// Knobs for measuring the bundle pipeline and the uploader, read from the environment only
/// (they are for benchmarks and experiments, not for configuration files; docs/bundling.md
/// describes them). A value out of range is a configuration error naming the variable, rather
/// than silently falling back to the default the experiment meant to change.
public struct Tuning: Sendable, Equatable {
    /// `EUCA_BUNDLE_THREADS`: compressing threads (default: one per core).
    public var bundleThreads: Sourced<Int>?
    /// `EUCA_BUNDLE_BLOCK_KIB`: compression block size.
    public var bundleBlockKiB: Sourced<Int>?
    /// `EUCA_BUNDLE_INFLIGHT`: extra blocks queued per thread.
    public var bundleExtraBlocksInFlight: Sourced<Int>?
    /// `EUCA_BUNDLE_STORE_INCOMPRESSIBLE=0`: deflate every block, even those that do not shrink.
    public var deflateEveryBlock: Bool = false
    /// `EUCA_BUNDLE_STATS=1`: print the compression pipeline's counters when a bundle is written.
    public var printBundleStats: Bool = false
    /// `EUCA_UPLOAD_CONCURRENCY`: parts uploaded at once.
    public var uploadConcurrency: Sourced<Int>?

    public init() {}

    static func resolve(_ env: (String) -> Sourced<String>?) throws(ConfigError) -> Tuning {
        func integer(_ name: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Sourced<Int>? {
            guard let text = env(name) else { return nil }
            guard let value = Int(text.value), range.contains(value) else {
                throw ConfigError("\(text.source): expected an integer from \(range.lowerBound) to \(range.upperBound), got \(quoted(text.value))")
            }
            return Sourced(value, text.source)
        }
        var tuning = Tuning()
        tuning.bundleThreads = try integer("EUCA_BUNDLE_THREADS", 1...64)
        tuning.bundleBlockKiB = try integer("EUCA_BUNDLE_BLOCK_KIB", 64...16384)
        tuning.bundleExtraBlocksInFlight = try integer("EUCA_BUNDLE_INFLIGHT", 1...256)
        tuning.uploadConcurrency = try integer("EUCA_UPLOAD_CONCURRENCY", 1...64)
        tuning.deflateEveryBlock = env("EUCA_BUNDLE_STORE_INCOMPRESSIBLE")?.value == "0"
        tuning.printBundleStats = env("EUCA_BUNDLE_STATS") != nil
        return tuning
    }

    /// `--debug` lines for the knobs that are set.
    var debugLines: [String] {
        [("bundle threads", bundleThreads), ("bundle block KiB", bundleBlockKiB),
         ("bundle extra blocks in flight", bundleExtraBlocksInFlight),
         ("upload concurrency", uploadConcurrency)]
            .compactMap { name, value in value.map { "\(name) = \($0.value) (from \($0.source))" } }
            + (deflateEveryBlock ? ["deflate every block = true (from environment EUCA_BUNDLE_STORE_INCOMPRESSIBLE)"] : [])
    }
}
