import Foundation

/// The AWS SDKs' "standard" retry mode: which failures are worth another attempt, and how long
/// to wait before it (full jitter: a random fraction of min(2^n, 20) seconds).
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var mode: RetryMode
    public static let maximumBackoff: Double = 20

    public init(maxAttempts: Int, mode: RetryMode) {
        self.maxAttempts = maxAttempts
        self.mode = mode
    }

    /// Error codes that mean "slow down" (they also feed the adaptive rate limiter).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]

    /// Error codes for failures on the server's side that a later attempt may not meet.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
        "ServiceUnavailable", "Unavailable",
    ]

    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// Codes that say outright that our clock (and so the signature's date) is off.
    public static let clockSkewCodes: Set<String> = [
        "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture",
    ]

    /// Signature failures that a skewed clock also produces (some servers, moto among them,
    /// report a stale date only as a bad signature); corrected only when the server's `Date`
    /// really is far from ours.
    public static let signatureCodes: Set<String> = [
        "SignatureDoesNotMatch", "AuthFailure", "InvalidSignatureException",
    ]

    /// Whether a failure is worth one retry with the clock set to the server's `Date`.
    public static func isClockSkew(_ error: ServiceError, serverDate: Date?, localDate: Date) -> Bool {
        guard let code = error.code, let serverDate else { return false }
        if clockSkewCodes.contains(code) { return true }
        return signatureCodes.contains(code) && isSkewed(serverDate: serverDate, localDate: localDate)
    }

    public enum Verdict: Equatable {
        case retry(isThrottle: Bool)
        case fail
    }

    public static func verdict(for error: ServiceError) -> Verdict {
        if let code = error.code, throttlingCodes.contains(code) { return .retry(isThrottle: true) }
        if error.status == 429 { return .retry(isThrottle: true) }
        if let code = error.code, transientCodes.contains(code) { return .retry(isThrottle: false) }
        if transientStatuses.contains(error.status) { return .retry(isThrottle: false) }
        return .fail
    }

    /// Seconds to wait before retry number `retry` (1 for the first retry).
    public func backoff(retry: Int, random: Double = Double.random(in: 0..<1)) -> Double {
        random * min(pow(2, Double(retry - 1)), RetryPolicy.maximumBackoff)
    }

    /// Whether the server's clock differs from ours by more than signatures tolerate (AWS
    /// allows 15 minutes; anything over 5 minutes is worth correcting).
    public static func isSkewed(serverDate: Date, localDate: Date) -> Bool {
        abs(serverDate.timeIntervalSince(localDate)) > 300
    }
}
