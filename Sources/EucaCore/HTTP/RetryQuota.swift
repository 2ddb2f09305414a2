import Foundation

/// The standard mode's retry quota: a bucket of 500 tokens shared by every request this process
/// makes. A retry costs 5 (10 after a timeout) and a success gives back what its retries took,
/// or 1 token when it needed none. When the endpoint keeps failing the bucket empties and
/// requests fail at once instead of hammering it.
public final class RetryQuota: Sendable {
    public static let capacity = 500
    public static let retryCost = 5
    public static let timeoutCost = 10

    private let state = LockedValue(RetryQuota.capacity)

    public init() {}

    public var available: Int { state.withLock { $0 } }

    /// Takes the cost of one retry; nil when the bucket cannot pay for it.
    public func acquire(isTimeout: Bool) -> Int? {
        let cost = isTimeout ? RetryQuota.timeoutCost : RetryQuota.retryCost
        return state.withLock { tokens -> Int? in
            guard tokens >= cost else { return nil }
            tokens -= cost
            return cost
        }
    }

    /// A request succeeded; `spent` is what its retries cost (0 when it needed none).
    public func recordSuccess(spent: Int) {
        state.withLock { tokens in
            tokens = min(RetryQuota.capacity, tokens + (spent > 0 ? spent : 1))
        }
    }
}

/// A value guarded by a lock, for the few pieces of state shared across tasks.
public final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    @discardableResult
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
