import Foundation
import Testing
@testable import EucaCore

@Suite struct RetryTests {
    func error(_ status: Int, _ code: String?) -> ServiceError {
        ServiceError(status: status, code: code, message: "m", host: "h")
    }

    @Test func classifiesFailures() {
        #expect(RetryPolicy.verdict(for: error(400, "RequestLimitExceeded")) == .retry(isThrottle: true))
        #expect(RetryPolicy.verdict(for: error(503, "SlowDown")) == .retry(isThrottle: true))
        #expect(RetryPolicy.verdict(for: error(429, nil)) == .retry(isThrottle: true))
        #expect(RetryPolicy.verdict(for: error(500, "InternalError")) == .retry(isThrottle: false))
        #expect(RetryPolicy.verdict(for: error(502, nil)) == .retry(isThrottle: false))
        #expect(RetryPolicy.verdict(for: error(400, "InvalidParameterValue")) == .fail)
        #expect(RetryPolicy.verdict(for: error(403, "AuthFailure")) == .fail)
    }

    @Test func backsOffWithFullJitterCappedAt20Seconds() {
        let policy = RetryPolicy(maxAttempts: 10, mode: .standard)
        #expect(policy.backoff(retry: 1, random: 0.999) < 1)
        #expect(policy.backoff(retry: 3, random: 0.5) == 2)
        #expect(policy.backoff(retry: 9, random: 1) == 20)
        #expect(policy.backoff(retry: 2, random: 0) == 0)
    }

    @Test func quotaEmptiesUnderFailureAndRefillsOnSuccess() {
        let quota = RetryQuota()
        var retries = 0
        while quota.acquire(isTimeout: false) != nil { retries += 1 }
        #expect(retries == 100)
        quota.recordSuccess(spent: 5)
        #expect(quota.available == 5)
        quota.recordSuccess(spent: 0)
        #expect(quota.available == 6)
        #expect(quota.acquire(isTimeout: true) == nil)
    }

    @Test func clockSkewNeedsAServerDateAndARealDifference() {
        let now = Date()
        let skewed = now.addingTimeInterval(3600)
        #expect(RetryPolicy.isClockSkew(error(403, "RequestTimeTooSkewed"), serverDate: now, localDate: now))
        #expect(RetryPolicy.isClockSkew(error(401, "AuthFailure"), serverDate: skewed, localDate: now))
        #expect(!RetryPolicy.isClockSkew(error(401, "AuthFailure"), serverDate: now, localDate: now))
        #expect(!RetryPolicy.isClockSkew(error(403, "RequestTimeTooSkewed"), serverDate: nil, localDate: now))
    }

    @Test func adaptiveLimiterCutsItsRateOnThrottleAndRecovers() {
        let clock = LockedValue(100.0)
        let limiter = AdaptiveRateLimiter(now: { clock.withLock { $0 } })
        #expect(limiter.rate == 0)  // dormant until throttled
        for _ in 0..<40 {
            clock.withLock { $0 += 0.05 }
            limiter.recordSuccess()
        }
        limiter.recordThrottle()
        let throttled = limiter.rate
        #expect(throttled > 0)
        limiter.recordThrottle()
        #expect(limiter.rate <= throttled)
        for _ in 0..<200 {
            clock.withLock { $0 += 0.05 }
            limiter.recordSuccess()
        }
        #expect(limiter.rate > throttled)
    }
}
