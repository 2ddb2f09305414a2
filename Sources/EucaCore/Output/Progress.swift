import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a long transfer reports progress: a bar on a terminal, machine-readable lines for logs,
/// or nothing. `auto` means a bar when stderr is a terminal and nothing otherwise.
public enum ProgressMode: Sendable, Equatable {
    case auto
    case bar
    case porcelain
    case off
}

/// The progress options of bundling and transfer commands, declared once for all of them.
public enum ProgressOptions {
    public static let options: [Option] = [
        Option.flag("--progress",
                    help: "show a progress bar on stderr even when stderr is not a terminal (default: only on a terminal)"),
        Option.flag("--no-progress", help: "show no progress"),
        Option.flag("--porcelain",
                    help: "report progress on stderr as machine-readable lines, about one a second: \"progress op=OP state=running|done|failed bytes=N total=N|unknown percent=P|unknown rate=BYTES_PER_SECOND elapsed=SECONDS eta=SECONDS|unknown\""),
    ]

    /// At most one of the three may be given.
    public static let constraints: [Constraint] = [.atMostOne(["progress", "no-progress", "porcelain"])]

    public static func mode(_ arguments: ParsedArguments) -> ProgressMode {
        if arguments.flag("porcelain") { return .porcelain }
        if arguments.flag("no-progress") { return .off }
        if arguments.flag("progress") { return .bar }
        return .auto
    }
}

/// Reports the progress of one operation over a known (or unknown) number of bytes. Cheap to
/// call often: it redraws at most ten times a second (a porcelain line at most once a second).
/// Safe to call from any thread.
public final class ProgressReporter: @unchecked Sendable {
    public let operation: String
    public let label: String
    public let total: UInt64?
    public let mode: ProgressMode
    private let stream: StandardStream
    private let lock = NSLock()
    private let started: UInt64
    private var completed: UInt64 = 0
    private var lastDraw: UInt64 = 0
    private var drawn = false
    private var ended = false
    private let width: Int

    /// - Parameters:
    ///   - operation: short machine name for porcelain lines (`bundle-image`).
    ///   - label: what the bar says (`Bundling image`).
    ///   - isTerminal: overrides the terminal check of `auto` (tests).
    public init(operation: String, label: String, total: UInt64?, mode: ProgressMode,
                stream: StandardStream = .error, isTerminal: Bool? = nil, width: Int? = nil) {
        self.operation = operation
        self.label = label
        self.total = total
        self.stream = stream
        switch mode {
        case .auto: self.mode = (isTerminal ?? stream.isTerminal) ? .bar : .off
        default: self.mode = mode
        }
        self.width = width ?? ProgressReporter.terminalWidth(stream)
        started = ProgressReporter.now()
    }

    /// A reporter that reports nothing.
    public static func silent() -> ProgressReporter {
        ProgressReporter(operation: "", label: "", total: nil, mode: .off)
    }

    public var isEnabled: Bool { mode != .off }

    /// Sets the number of bytes done so far.
    public func update(_ bytesDone: UInt64) {
        guard mode != .off else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !ended else { return }
        completed = bytesDone
        let now = ProgressReporter.now()
        let interval: UInt64 = mode == .porcelain ? 1_000_000_000 : 100_000_000
        if !drawn || now - lastDraw >= interval {
            draw(now: now, state: "running")
        }
    }

    /// Adds to the number of bytes done.
    public func advance(by bytes: UInt64) {
        guard mode != .off else { return }
        lock.lock()
        let value = completed + bytes
        lock.unlock()
        update(value)
    }

    /// The operation succeeded: a final bar (ending the line) or `state=done` line.
    public func finish() {
        end(state: "done")
    }

    /// The operation failed: the bar's line is ended so that the error starts on its own line.
    public func fail() {
        end(state: "failed")
    }

    private func end(state: String) {
        guard mode != .off else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !ended else { return }
        if state == "done", let total { completed = max(completed, total) }
        draw(now: ProgressReporter.now(), state: state)
        ended = true
        if mode == .bar { stream.write("\n") }
    }

    private func draw(now: UInt64, state: String) {
        lastDraw = now
        drawn = true
        let elapsed = Double(now - started) / 1e9
        let rate = elapsed > 0.05 ? Double(completed) / elapsed : 0
        switch mode {
        case .porcelain:
            stream.write(porcelainLine(state: state, elapsed: elapsed, rate: rate) + "\n")
        case .bar:
            stream.write("\r" + barLine(state: state, elapsed: elapsed, rate: rate) + "\u{1B}[K")
        default:
            break
        }
    }

    func porcelainLine(state: String, elapsed: Double, rate: Double) -> String {
        var fields = ["progress", "op=\(operation)", "state=\(state)", "bytes=\(completed)"]
        if let total, total > 0 {
            let percent = min(100, Double(completed) * 100 / Double(total))
            fields += ["total=\(total)", "percent=\(String(format: "%.1f", percent))"]
        } else if let total {
            fields += ["total=\(total)", "percent=100.0"]
        } else {
            fields += ["total=unknown", "percent=unknown"]
        }
        fields += ["rate=\(Int(rate))", "elapsed=\(String(format: "%.1f", elapsed))"]
        if state == "done" {
            fields.append("eta=0")
        } else if let total, rate > 0, total >= completed {
            fields.append("eta=\(Int((Double(total - completed) / rate).rounded(.up)))")
        } else {
            fields.append("eta=unknown")
        }
        return fields.joined(separator: " ")
    }

    func barLine(state: String, elapsed: Double, rate: Double) -> String {
        let done = ProgressReporter.formatBytes(completed)
        var right = total.map { "\(done)/\(ProgressReporter.formatBytes($0))" } ?? done
        right += "  \(ProgressReporter.formatBytes(UInt64(rate)))/s"
        if state == "running" {
            if let total, rate > 0, total >= completed {
                right += "  ETA \(ProgressReporter.formatDuration(Double(total - completed) / rate))"
            } else {
                right += "  ETA --:--"
            }
        } else {
            right += "  in \(ProgressReporter.formatDuration(elapsed))"
        }
        guard let total else { return "\(label)  \(right)" }
        let fraction = total == 0 ? 1 : min(1, Double(completed) / Double(total))
        let percent = String(format: "%3d%%", Int(fraction * 100))
        let barWidth = max(10, min(40, width - label.count - right.count - percent.count - 8))
        let filled = Int(fraction * Double(barWidth))
        let bar = String(repeating: "=", count: filled)
            + (filled < barWidth ? ">" + String(repeating: " ", count: barWidth - filled - 1) : "")
        return "\(label) \(percent) [\(bar)] \(right)"
    }

    static func formatBytes(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }

    static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let total = Int(seconds.rounded())
        let hours = total / 3600, minutes = total / 60 % 60, secs = total % 60
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs)
            : String(format: "%d:%02d", minutes, secs)
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func terminalWidth(_ stream: StandardStream) -> Int {
        var size = winsize()
        if ioctl(stream == .error ? 2 : 1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 {
            return Int(size.ws_col)
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 20 {
            return columns
        }
        return 80
    }
}
