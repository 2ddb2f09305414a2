import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes to stdout/stderr with plain write(2): unbuffered in the C sense, so nothing is lost
/// if the process exits right after, and safe to call from any task.
public enum StandardStream: Sendable {
    /// Broken pipes are handled where they happen (see `write`) instead of killing the
    /// process with SIGPIPE; called once at start-up.
    public static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }

    case output
    case error

    var descriptor: Int32 { self == .output ? 1 : 2 }

    public func write(_ text: String) {
        write(bytes: Data(text.utf8))
    }

    /// Bytes as they are (decoded user data need not be text).
    public func write(bytes: Data) {
        let failure = bytes.withUnsafeBytes { writeAll(descriptor, $0) }
        // The reader of stdout has gone (`… | awk '{…; exit}'`, `| head`): it has what it
        // wanted, so stop quietly and successfully, without a broken-pipe message, so that
        // `set -o pipefail` scripts keep working. Other failures have nowhere to be reported.
        if failure == EPIPE && descriptor == 1 { exit(0) }
    }

    public func writeLine(_ text: String) {
        write(text + "\n")
    }

    public var isTerminal: Bool { isatty(descriptor) == 1 }
}
