import Foundation

/// Idle kept-alive connections of one process, per scheme, host and port. A connection is
/// checked out for one exchange at a time and returned only when its response was read to the
/// end and allowed reuse; how many are open at once is the callers' concurrency.
final class ConnectionPool: @unchecked Sendable {
    struct Key: Hashable {
        var scheme: String
        var host: String
        var port: Int
    }

    /// More idle connections than this per key are closed rather than kept.
    let maxIdlePerKey: Int
    private let lock = NSLock()
    private var idle: [Key: [ByteChannel]] = [:]

    init(maxIdlePerKey: Int = 16) {
        self.maxIdlePerKey = maxIdlePerKey
    }

    /// The most recently used idle connection that the server has not closed meanwhile.
    func checkOut(_ key: Key) -> ByteChannel? {
        while true {
            let channel: ByteChannel? = lock.withLock {
                guard var list = idle[key], !list.isEmpty else { return nil }
                let last = list.removeLast()
                idle[key] = list
                return last
            }
            guard let channel else { return nil }
            if !channel.hasPendingInput { return channel }
            channel.close()
        }
    }

    func checkIn(_ channel: ByteChannel, for key: Key) {
        let kept = lock.withLock { () -> Bool in
            guard idle[key, default: []].count < maxIdlePerKey else { return false }
            idle[key, default: []].append(channel)
            return true
        }
        if !kept { channel.close() }
    }

    deinit {
        for channel in idle.values.joined() { channel.close() }
    }
}
