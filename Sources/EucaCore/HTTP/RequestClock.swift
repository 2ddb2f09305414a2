import Foundation

/// The time used to sign requests: the local clock plus any offset learned from a server that
/// rejected a signature as too far from its own `Date`.
public final class RequestClock: Sendable {
    private let offset = LockedValue<TimeInterval>(0)

    public init() {}

    public func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    public var currentOffset: TimeInterval { offset.withLock { $0 } }

    /// Adopt the server's view of the time.
    public func correct(to serverDate: Date, localDate: Date = Date()) {
        offset.withLock { $0 = serverDate.timeIntervalSince(localDate) }
    }
}
