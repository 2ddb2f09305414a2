import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lets a task cancellation (Ctrl-C ends the task tree) stop an exchange that is blocked in
/// `poll` on another thread: cancelling shuts the socket down, which wakes the poll at once.
final class CancellationSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var cancelled = false

    var isCancelled: Bool { lock.withLock { cancelled } }

    /// The socket the exchange is now blocked on; shut down at once if already cancelled.
    func watch(_ fd: Int32) {
        let shutNow = lock.withLock { () -> Bool in
            descriptor = fd
            return cancelled
        }
        if shutNow { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    func unwatch() { lock.withLock { descriptor = -1 } }

    func cancel() {
        let fd = lock.withLock { () -> Int32 in
            cancelled = true
            return descriptor
        }
        if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
    }
}
