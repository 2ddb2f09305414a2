import Foundation

/// The client-side rate limiter of the AWS SDKs' "adaptive" retry mode (`AWS_RETRY_MODE=adaptive`).
/// Dormant until the first throttling response; from then on every request takes a token from
/// a bucket whose fill rate follows CUBIC congestion control: cut to 70 % of the measured send
/// rate on each throttle, then grown back along a cubic curve as requests succeed — so a burst
/// of commands backs off together instead of retrying in lock-step.
public final class AdaptiveRateLimiter: Sendable {
    static let beta = 0.7
    static let scaleConstant = 0.4
    static let minimumFillRate = 0.5
    static let smoothing = 0.8
    static let bucketSeconds = 0.5

    struct State {
        var enabled = false
        var fillRate = 0.0
        var capacity = 0.0
        var maxCapacity = 0.0
        var lastRefill: Double?
        var lastMaxRate = 0.0
        var lastThrottle = 0.0
        var timeWindow = 0.0
        // Measured send rate, smoothed over half-second buckets.
        var measuredRate = 0.0
        var requestCount = 0
        var lastTxBucket = 0.0
    }

    private let state = LockedValue(State())
    let now: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.now = now
    }

    /// The current fill rate in requests per second (0 while dormant).
    public var rate: Double { state.withLock { $0.enabled ? $0.fillRate : 0 } }

    /// Waits, if needed, until a request may be sent.
    public func acquire(sleep: @Sendable (Double) async -> Void) async {
        while true {
            let wait: Double = state.withLock { s in
                guard s.enabled else { return 0 }
                refill(&s)
                if s.capacity >= 1 {
                    s.capacity -= 1
                    return 0
                }
                return (1 - s.capacity) / s.fillRate
            }
            if wait <= 0 { return }
            await sleep(wait)
        }
    }

    public func recordThrottle() {
        state.withLock { s in
            let t = now()
            updateMeasuredRate(&s, at: t)
            let rateToUse = s.enabled ? min(s.measuredRate, s.fillRate) : s.measuredRate
            s.lastMaxRate = max(rateToUse, AdaptiveRateLimiter.minimumFillRate)
            s.lastThrottle = t
            s.timeWindow = cbrt(s.lastMaxRate * (1 - AdaptiveRateLimiter.beta) / AdaptiveRateLimiter.scaleConstant)
            let newRate = max(rateToUse * AdaptiveRateLimiter.beta, AdaptiveRateLimiter.minimumFillRate)
            s.enabled = true
            setRate(&s, newRate, at: t)
        }
    }

    public func recordSuccess() {
        state.withLock { s in
            let t = now()
            updateMeasuredRate(&s, at: t)
            guard s.enabled else { return }
            let elapsed = t - s.lastThrottle - s.timeWindow
            let cubic = AdaptiveRateLimiter.scaleConstant * pow(elapsed, 3) + s.lastMaxRate
            setRate(&s, min(cubic, 2 * max(s.measuredRate, AdaptiveRateLimiter.minimumFillRate)), at: t)
        }
    }

    private func setRate(_ s: inout State, _ rate: Double, at t: Double) {
        refill(&s)
        s.fillRate = max(rate, AdaptiveRateLimiter.minimumFillRate)
        s.maxCapacity = max(s.fillRate, 1)
        s.capacity = min(s.capacity, s.maxCapacity)
    }

    private func refill(_ s: inout State) {
        let t = now()
        if let last = s.lastRefill {
            s.capacity = min(s.maxCapacity, s.capacity + (t - last) * s.fillRate)
        }
        s.lastRefill = t
    }

    private func updateMeasuredRate(_ s: inout State, at t: Double) {
        let bucket = (t / AdaptiveRateLimiter.bucketSeconds).rounded(.down) * AdaptiveRateLimiter.bucketSeconds
        s.requestCount += 1
        if bucket > s.lastTxBucket {
            let current = Double(s.requestCount) / (bucket - s.lastTxBucket)
            s.measuredRate = current * AdaptiveRateLimiter.smoothing
                + s.measuredRate * (1 - AdaptiveRateLimiter.smoothing)
            s.requestCount = 0
            s.lastTxBucket = bucket
        }
    }
}
