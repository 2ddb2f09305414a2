import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Removes half-written bundle parts and images when the process is interrupted (SIGINT,
/// SIGTERM, SIGHUP), so that an interrupted run leaves nothing that looks complete. Files are
/// remembered while they are being written and forgotten once complete or removed.
final class InterruptCleanup: @unchecked Sendable {
    static let shared = InterruptCleanup()

    private let lock = NSLock()
    private var paths: Set<String> = []
    private var directories: [String] = []
    private var sources: [DispatchSourceSignal] = []
    private var installed = false

    func remember(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.insert(path)
        if !installed {
            installed = true
            install()
        }
    }

    /// A directory this run created: removed on interruption if it is empty by then.
    func rememberDirectory(_ path: String) {
        lock.lock()
        directories.append(path)
        lock.unlock()
    }

    func forgetDirectory(_ path: String) {
        lock.lock()
        directories.removeAll { $0 == path }
        lock.unlock()
    }

    func forget(_ path: String) {
        lock.lock()
        paths.remove(path)
        lock.unlock()
    }

    private func install() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                lock.lock()
                let doomed = paths
                let emptied = directories
                paths.removeAll()
                lock.unlock()
                for path in doomed { unlink(path) }
                for directory in emptied.reversed() { rmdir(directory) }
                // Die of the same signal, as a shell expects.
                signal(signalNumber, SIG_DFL)
                kill(getpid(), signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
