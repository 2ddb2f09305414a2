import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What one run of the `euca` binary produced.
struct RunResult: Sendable, CustomStringConvertible {
    /// The command line as run: the executable's path, then its arguments.
    let commandLine: [String]
    let stdout: String
    let stderr: String
    /// The exit status. For a child killed by a signal, 128 + the signal number (as a
    /// shell reports it) and `terminatingSignal` is set.
    let status: Int32
    let terminatingSignal: Int32?
    /// Wall-clock seconds from launch until the child had exited and its output was read.
    let duration: TimeInterval
    /// The child was still running after the timeout and was killed.
    let timedOut: Bool

    var succeeded: Bool { status == 0 && !timedOut }

    /// A summary for failure messages: `#expect(r.succeeded, "\(r)")`.
    var description: String {
        func excerpt(_ text: String) -> String {
            let limit = 8_000
            guard text.count > limit else { return text }
            return String(text.prefix(limit)) + "\n[... \(text.count - limit) more characters]"
        }
        let name = commandLine.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        var outcome = "exit status \(status)"
        if let terminatingSignal { outcome = "killed by signal \(terminatingSignal)" }
        if timedOut { outcome = "TIMED OUT and was killed" }
        return """
            \(name): \(outcome) after \(String(format: "%.2f", duration)) s
            --- stdout ---
            \(excerpt(stdout))
            --- stderr ---
            \(excerpt(stderr))
            """
    }
}

/// Runs one euca command, e.g. `euca("describe-instances", ["i-1234"], env: endpointEnv(moto))`.
///
/// `command` is the command's name with or without the `euca-` prefix. If the binary
/// directory has an `euca-<name>` link, that is run (the binary then dispatches on the
/// name it was started under); otherwise `euca <name> args...` is run (it dispatches on
/// its first argument). `euca("euca", args)` runs the bare binary.
///
/// The child's environment is hermetic: only PATH, and a HOME that is a new empty
/// directory for this call and is deleted afterwards (so no ~/.euca, ~/.aws or eucarc of
/// the developer leaks in), then `env`. Pass `HOME` in `env` to use a directory you have
/// prepared; that one is not deleted. The working directory is `directory`, or else the
/// new HOME.
///
/// Standard input is `stdin`, or /dev/null. The child is killed (SIGTERM, then SIGKILL,
/// to its whole process group) if it runs longer than `timeout`; the result then has
/// `timedOut` set. This function blocks the calling thread until the child is done.
func euca(
    _ command: String, _ args: [String] = [], env: [String: String] = [:], stdin: Data? = nil,
    directory: URL? = nil, timeout: TimeInterval = 60
) -> RunResult {
    let binDirectory: URL
    switch EucaBinary.directory {
    case .success(let url): binDirectory = url
    case .failure(let error): return harnessFailure(["euca", command] + args, error.description)
    }
    return runHermetic(
        EucaBinary.commandLine(command, args, in: binDirectory), env: env, stdin: stdin,
        directory: directory, timeout: timeout)
}

/// Runs `commandLine` (an absolute executable path, then arguments) in the hermetic
/// environment described at `euca(_:_:env:stdin:directory:timeout:)`.
func runHermetic(
    _ commandLine: [String], env: [String: String] = [:], stdin: Data? = nil,
    directory: URL? = nil, timeout: TimeInterval = 60
) -> RunResult {
    let fileManager = FileManager.default
    var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    var temporaryHome: URL?
    if env["HOME"] == nil {
        let home = fileManager.temporaryDirectory
            .appendingPathComponent("euca-e2e-home-\(UUID().uuidString)", isDirectory: true)
        do {
            try fileManager.createDirectory(at: home, withIntermediateDirectories: true)
        } catch {
            return harnessFailure(commandLine, "cannot create a temporary HOME: \(error)")
        }
        environment["HOME"] = home.path
        temporaryHome = home
    }
    defer { if let temporaryHome { try? fileManager.removeItem(at: temporaryHome) } }
    environment.merge(env) { _, callers in callers }

    return runChild(
        commandLine, environment: environment, stdin: stdin,
        directory: directory ?? temporaryHome ?? URL(fileURLWithPath: environment["HOME"]!),
        timeout: timeout)
}

/// The environment that points euca at `moto` with its access key.
func endpointEnv(_ moto: MotoEndpoint) -> [String: String] {
    [
        "EC2_URL": moto.endpoint,
        "S3_URL": moto.endpoint,
        "AWS_ACCESS_KEY_ID": moto.accessKeyId,
        "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
        "AWS_DEFAULT_REGION": moto.region,
    ]
}

// MARK: - Finding the binary

struct EucaRunnerError: Error, CustomStringConvertible {
    let description: String
}

enum EucaBinary {
    /// The directory that holds the `euca` executable; looked up once per test process.
    static let directory: Result<URL, EucaRunnerError> = locate()

    /// `EUCA_BIN_DIR` if set. Otherwise the build products directory: SwiftPM links the
    /// `euca` executable into the same `.build/<triple>/<config>/` directory as the test
    /// binary, whatever `--scratch-path` or configuration was used. So start from wherever
    /// this test process was loaded from and walk up until a directory holds an
    /// executable regular file named `euca`. On Linux the test binary sits in that
    /// directory; on macOS it is inside `<name>.xctest/Contents/MacOS/`.
    private static func locate() -> Result<URL, EucaRunnerError> {
        let fileManager = FileManager.default
        func hasEuca(_ directory: URL) -> Bool {
            let path = directory.appendingPathComponent("euca").path
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: path, isDirectory: &isDirectory)
                && !isDirectory.boolValue && fileManager.isExecutableFile(atPath: path)
        }

        if let configured = ProcessInfo.processInfo.environment["EUCA_BIN_DIR"], !configured.isEmpty {
            let url = URL(fileURLWithPath: configured, isDirectory: true)
            return hasEuca(url)
                ? .success(url)
                : .failure(EucaRunnerError(description: "EUCA_BIN_DIR=\(configured) has no executable `euca`"))
        }

        var starts: [URL] = []
        #if os(Linux)
        starts.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
        #endif
        if let executable = Bundle.main.executableURL { starts.append(executable) }
        starts.append(contentsOf: Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map(\.bundleURL))
        if let argv0 = CommandLine.arguments.first, !argv0.isEmpty {
            starts.append(URL(fileURLWithPath: argv0, relativeTo: URL(fileURLWithPath: fileManager.currentDirectoryPath)))
        }

        var searched: [String] = []
        for start in starts {
            var directory = start.standardizedFileURL.deletingLastPathComponent()
            for _ in 0..<5 {
                if hasEuca(directory) { return .success(directory) }
                searched.append(directory.path)
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return .failure(EucaRunnerError(description: """
            cannot find the `euca` executable near the test binary (looked in \
            \(Set(searched).sorted().joined(separator: ", "))). Build it in the same \
            configuration (`swift build --product euca`) or set EUCA_BIN_DIR.
            """))
    }

    static func commandLine(_ command: String, _ args: [String], in directory: URL) -> [String] {
        let euca = directory.appendingPathComponent("euca").path
        let name = command.hasPrefix("euca-") ? String(command.dropFirst("euca-".count)) : command
        if name.isEmpty || name == "euca" { return [euca] + args }
        let link = directory.appendingPathComponent("euca-\(name)").path
        if FileManager.default.isExecutableFile(atPath: link) { return [link] + args }
        return [euca, name] + args
    }
}

// MARK: - Running a child process

/// Records the harness problem as a test failure (so that a test expecting euca to
/// fail cannot pass because euca never ran) and returns a result that says why.
private func harnessFailure(_ commandLine: [String], _ message: String) -> RunResult {
    Issue.record("euca harness: \(message)")
    return RunResult(
        commandLine: commandLine, stdout: "", stderr: "euca harness: \(message)",
        status: 127, terminatingSignal: nil, duration: 0, timedOut: false)
}

/// Runs `commandLine` (an absolute executable path, then arguments) with exactly
/// `environment`, collecting its output; see `euca(...)` for stdin, timeout and result.
func runChild(
    _ commandLine: [String], environment: [String: String], stdin: Data?, directory: URL,
    timeout: TimeInterval
) -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: commandLine[0])
    process.arguments = Array(commandLine.dropFirst())
    process.environment = environment
    process.currentDirectoryURL = directory

    let stdoutPipe = Pipe(), stderrPipe = Pipe()
    let stdinPipe = stdin.map { _ in Pipe() }
    process.standardOutput = stdoutPipe
    process.standardError = stderrPipe
    process.standardInput = stdinPipe ?? FileHandle.nullDevice

    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }

    let started = Date()
    do {
        try process.run()
    } catch {
        return harnessFailure(commandLine, "cannot run \(commandLine[0]): \(error)")
    }
    let pid = process.processIdentifier

    // Read both pipes (and write stdin) on their own threads: a child that fills one
    // pipe while we block on another would otherwise deadlock.
    let output = PipeCollector()
    output.collect(stdoutPipe.fileHandleForReading, into: .stdout)
    output.collect(stderrPipe.fileHandleForReading, into: .stderr)
    if let stdin, let stdinPipe { feed(stdin, to: stdinPipe.fileHandleForWriting) }

    var timedOut = false
    if exited.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        signalChild(pid, SIGTERM)
        if exited.wait(timeout: .now() + 3) == .timedOut {
            signalChild(pid, SIGKILL)
            exited.wait()
        }
    }
    process.waitUntilExit()  // the handler can run before isRunning turns false

    // The pipes reach EOF when the child exits, unless something it started still holds
    // them open. Don't wait for that forever.
    let complete = output.waitForEOF(timeout: 5)
    var stderrText = output.text(.stderr)
    if !complete {
        stderrText += "\n[euca harness: stdout/stderr still open 5 s after the child exited; output may be cut short]"
    }

    let killedBySignal = process.terminationReason == .uncaughtSignal
    return RunResult(
        commandLine: commandLine,
        stdout: output.text(.stdout),
        stderr: stderrText,
        status: killedBySignal ? 128 + process.terminationStatus : process.terminationStatus,
        terminatingSignal: killedBySignal ? process.terminationStatus : nil,
        duration: Date().timeIntervalSince(started),
        timedOut: timedOut)
}

/// Foundation starts every child in a process group of its own (POSIX_SPAWN_SETPGROUP),
/// so signal the group, which also reaches anything the child started. If that is not
/// so (the group id is not the pid), signal only the child.
private func signalChild(_ pid: Int32, _ signal: Int32) {
    if getpgid(pid) == pid {
        kill(-pid, signal)
    } else {
        kill(pid, signal)
    }
}

/// Writes `data` to the child's stdin on a separate thread, then closes it.
private func feed(_ data: Data, to handle: FileHandle) {
    let thread = Thread {
        // A child that exits without reading all its input makes write() raise SIGPIPE,
        // which would kill the whole test process. Block SIGPIPE on this thread only
        // (a SIGPIPE from write() goes to the thread that wrote), so the write fails with
        // EPIPE instead; the pending signal is dropped when the thread ends.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        try? handle.write(contentsOf: data)
        try? handle.close()
    }
    thread.name = "euca-stdin"
    thread.start()
}

/// Collects stdout and stderr, each read to EOF on its own thread.
private final class PipeCollector: @unchecked Sendable {
    enum Stream { case stdout, stderr }

    private let lock = NSLock()
    private var buffers: [Stream: Data] = [.stdout: Data(), .stderr: Data()]
    private let group = DispatchGroup()

    func collect(_ handle: FileHandle, into stream: Stream) {
        group.enter()
        let thread = Thread { [self] in
            while let chunk = readChunk(handle) {
                lock.lock()
                buffers[stream, default: Data()].append(chunk)
                lock.unlock()
            }
            group.leave()
        }
        thread.name = "euca-\(stream)"
        thread.start()
    }

    /// True if both pipes reached EOF within `timeout`.
    func waitForEOF(timeout: TimeInterval) -> Bool {
        group.wait(timeout: .now() + timeout) == .success
    }

    func text(_ stream: Stream) -> String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: buffers[stream] ?? Data(), as: UTF8.self)
    }
}

extension EucaBinary {
    /// A directory holding `euca` and a `euca-*` link for every command, for tests that run
    /// commands by name through a shell (PATH), as an operator does after `source eucarc`.
    /// `make`'s bin/ (EUCA_BIN_DIR) already is one; for a bare build directory the links are
    /// made once, in a temporary directory.
    static let directoryPath: String? = {
        guard case .success(let directory) = directory else { return nil }
        let euca = directory.appendingPathComponent("euca")
        let names = runHermetic([euca.path, "--list-commands"]).stdout.split(separator: "\n").map(String.init)
        let fileManager = FileManager.default
        if names.allSatisfy({ fileManager.fileExists(atPath: directory.appendingPathComponent($0).path) }) {
            return directory.path
        }
        let links = fileManager.temporaryDirectory.appendingPathComponent("euca-e2e-bin-\(getpid())")
        try? fileManager.createDirectory(at: links, withIntermediateDirectories: true)
        for name in ["euca"] + names {
            try? fileManager.createSymbolicLink(atPath: links.appendingPathComponent(name).path,
                                                withDestinationPath: euca.path)
        }
        return links.path
    }()
}
