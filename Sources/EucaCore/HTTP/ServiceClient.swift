import Foundation

/// Sends requests to a service with everything the AWS SDKs' standard mode does around a single
/// exchange: a fresh signature per attempt, retries with full-jitter backoff for throttling,
/// server faults, timeouts and unreadable responses, a process-wide retry quota, one retry with
/// a corrected clock when the server says our time is off, and redirects surfaced, not followed.
public final class ServiceClient: Sendable {
    public let transport: HTTPTransport
    public let policy: RetryPolicy
    public let quota: RetryQuota
    public let clock: RequestClock
    public let log: DebugLog
    public let rateLimiter: AdaptiveRateLimiter?
    let sleep: @Sendable (Double) async -> Void

    public init(transport: HTTPTransport, policy: RetryPolicy, quota: RetryQuota = RetryQuota(),
                clock: RequestClock = RequestClock(), log: DebugLog,
                sleep: @escaping @Sendable (Double) async -> Void = ServiceClient.realSleep) {
        self.transport = transport
        self.policy = policy
        self.quota = quota
        self.clock = clock
        self.log = log
        self.rateLimiter = policy.mode == .adaptive ? AdaptiveRateLimiter() : nil
        self.sleep = sleep
    }

    public static let realSleep: @Sendable (Double) async -> Void = { seconds in
        guard seconds > 0 else { return }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }

    /// Sends `request`, signing each attempt with `sign` at the current (corrected) time, and
    /// turns a 2xx response into a value with `decode`. A decode failure is treated like a
    /// transient server fault: the next attempt may well get the whole body.
    public func send<T: Sendable>(
        _ request: HTTPRequest,
        sign: @Sendable (HTTPRequest, Date) -> HTTPRequest,
        decode: @Sendable (HTTPResponse) throws(ResponseFormatError) -> T
    ) async throws -> T {
        let host = request.hostHeader
        var attempt = 0
        var spent = 0
        var correctedClock = false
        while true {
            attempt += 1
            if let rateLimiter { await rateLimiter.acquire(sleep: sleep) }
            let signed = sign(request, clock.now())
            logRequest(signed, attempt: attempt)
            let started = Date()
            let failure: Error
            var isTimeout = false
            do {
                let response = try await transport.send(signed)
                log("response: HTTP \(response.status), \(response.body.count) bytes in \(Int(Date().timeIntervalSince(started) * 1000)) ms")
                if response.isSuccess {
                    do {
                        let value = try decode(response)
                        quota.recordSuccess(spent: spent)
                        rateLimiter?.recordSuccess()
                        return value
                    } catch {
                        logBody(response)
                        failure = error
                    }
                } else if (300..<400).contains(response.status) {
                    logBody(response)
                    throw redirect(response, host: host)
                } else {
                    logBody(response)
                    let error = ServiceError.from(response, host: host)
                    let skewed = RetryPolicy.isClockSkew(error, serverDate: response.serverDate, localDate: Date())
                    if skewed, !correctedClock, attempt < policy.maxAttempts, let serverDate = response.serverDate {
                        // One retry, signed with the server's idea of the time; it counts as an
                        // attempt, so --max-attempts still bounds what is sent.
                        clock.correct(to: serverDate)
                        correctedClock = true
                        log("clock skew: server time is \(HTTPDate.string(serverDate)); retrying with the clock offset by \(Int(clock.currentOffset)) s")
                        continue
                    }
                    guard case .retry(let isThrottle) = RetryPolicy.verdict(for: error) else {
                        var final = error
                        if skewed && correctedClock {
                            final.message += " (after correcting the clock by \(Int(clock.currentOffset)) s to the server's Date)"
                        }
                        throw ServiceClient.annotate(final, attempts: attempt)
                    }
                    if isThrottle { rateLimiter?.recordThrottle() }
                    failure = error
                }
            } catch let error as TransportError {
                guard error.isRetryable else { throw error }
                isTimeout = error.isTimeout
                failure = error
            }
            log("attempt \(attempt) failed: \(failure)")
            guard attempt < policy.maxAttempts else {
                throw ServiceClient.annotate(failure, attempts: attempt)
            }
            guard let cost = quota.acquire(isTimeout: isTimeout) else {
                log("retry quota exhausted (\(quota.available) tokens left); not retrying")
                throw ServiceClient.annotate(failure, attempts: attempt)
            }
            spent += cost
            let delay = policy.backoff(retry: attempt)
            log(String(format: "retrying in %.2f s", delay))
            await sleep(delay)
        }
    }

    func redirect(_ response: HTTPResponse, host: String) -> RedirectError {
        let document = try? XML.parse(response.body)
        return RedirectError(status: response.status, host: host,
                             location: response.headers["Location"],
                             region: response.headers["x-amz-bucket-region"] ?? document?.value("Region"),
                             endpoint: document?.value("Endpoint"))
    }

    static func annotate(_ error: Error, attempts: Int) -> Error {
        switch error {
        case var serviceError as ServiceError:
            serviceError.attempts = attempts
            return serviceError
        case var formatError as ResponseFormatError:
            formatError.attempts = attempts
            return formatError
        case var transportError as TransportError:
            transportError.attempts = attempts
            return transportError
        default:
            return error
        }
    }

    func logRequest(_ request: HTTPRequest, attempt: Int) {
        guard log.isEnabled else { return }
        log("request (attempt \(attempt) of \(policy.maxAttempts)): \(request.method) \(request.url.absoluteString)")
        log(DebugLog.describe(request.headers).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        if request.headers["Content-Type"]?.hasPrefix("application/x-www-form-urlencoded") == true {
            log(DebugLog.describe(FormEncoding.decode(String(decoding: request.body.inMemory, as: UTF8.self))))
        } else if !request.body.isEmpty {
            log("  (\(request.body.count) bytes of body\(request.body.inMemory.isEmpty ? " streamed from a file" : ""))")
        }
    }

    func logBody(_ response: HTTPResponse) {
        guard log.isEnabled else { return }
        log(DebugLog.describe(response.headers).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        let text = String(decoding: response.body.prefix(4096), as: UTF8.self)
        log("response body\(response.body.count > 4096 ? " (first 4096 bytes)" : ""):\n\(text)")
    }
}
