import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A moto server that the test process starts with `Scripts/moto-endpoint.py`.
///
/// `MotoEndpoint.shared` is the one most tests use. It is started once per test process, on
/// first use, with signature checking on and an IAM user whose access key may do anything:
///
///     let moto = try MotoEndpoint.shared
///     let result = euca("describe-regions", [], env: endpointEnv(moto))
///
/// All tests share it and may run in parallel, so a test sees what other tests created.
/// Name your resources uniquely and look only at your own IDs, never at totals or at
/// "the only instance". Never POST to `/moto-api/reset` on the shared endpoint: that
/// also wipes IAM, and every later request fails with AuthFailure. A test that needs an
/// empty world, or a moto without signature checking (SigV2: moto verifies only SigV4),
/// starts its own with `MotoEndpoint.start(auth:)` and calls `stop()` when it is done.
///
/// What moto checks, and its quirks, are documented at the top of `Scripts/moto-endpoint.py`.
///
/// Lifetime: a moto must not outlive the test process, however that process ends; the
/// script is started and stopped by `HelperScript` (below), which describes the safeguards.
///
/// Environment knobs: `EUCA_TEST_PYTHON` (the interpreter, default `python3` from PATH),
/// `EUCA_TEST_MOTO_VERBOSE=1` (moto logs every request, and its stderr is copied to
/// the test's stderr).
final class MotoEndpoint: Sendable {
    /// e.g. `http://127.0.0.1:38123`. EC2 (Query API), S3 (path-style), IAM and STS all
    /// use this one URL.
    let endpoint: String
    let accessKeyId: String
    let secretAccessKey: String
    /// The account moto puts the key in (123456789012 unless MOTO_ACCOUNT_ID is set).
    let accountId: String
    let region: String
    /// Whether moto checks SigV4 signatures (`start(auth: false)` turns this off).
    let authEnabled: Bool
    /// The script's pid (the moto server runs inside it).
    var pid: Int32 { script.pid }
    /// Seconds from starting the script to reading its JSON line.
    var startupSeconds: TimeInterval { script.startupSeconds }

    private let script: HelperScript

    // MARK: Starting

    /// The shared endpoint (signature checking on). Started on first use; if starting
    /// failed, every access throws the same error, so each test that uses it fails
    /// with the reason instead of the whole test process crashing.
    static var shared: MotoEndpoint {
        get throws { try sharedResult.get() }
    }

    // A `static let` is initialised once, lazily and thread-safely (swift_once); other
    // tests that ask for it meanwhile wait.
    private static let sharedResult = Result<MotoEndpoint, any Error> {
        try MotoEndpoint.start(auth: true)
    }

    /// Starts a private moto server, separate from `shared`. Call `stop()` when done.
    ///
    /// - Parameters:
    ///   - auth: check SigV4 signatures (moto cannot check SigV2; use `false` for SigV2 tests).
    ///   - eucarc: if given, the script also writes a Eucalyptus-style eucarc (mode 0600)
    ///     to this path before it reports that it is ready.
    ///   - timeout: how long to wait for the script to report that it is ready.
    static func start(
        auth: Bool = true, eucarc: String? = nil, timeout: TimeInterval = 60
    ) throws -> MotoEndpoint {
        let verbose = !(ProcessInfo.processInfo.environment["EUCA_TEST_MOTO_VERBOSE"] ?? "").isEmpty
        var arguments: [String] = []
        if !auth { arguments.append("--no-auth") }
        if verbose { arguments.append("--verbose") }
        if let eucarc { arguments += ["--eucarc", eucarc] }

        let launched: (script: HelperScript, ready: ReadyLine)
        do {
            launched = try HelperScript.launch(
                "moto-endpoint.py", arguments: arguments, echoStderr: verbose, timeout: timeout,
                requirement: "Python 3 with moto: run `make test-deps` or `pip install 'moto[server]'`",
                ready: ReadyLine.self)
        } catch {
            var message = error.description
            if error.stderr.contains("is not installed") || error.stderr.contains("No module named") {
                message = "moto_server is not installed: run `make test-deps` or "
                    + "`pip install 'moto[server]'` for \(error.python ?? "python3")\n" + message
            }
            throw MotoEndpointError(message)
        }
        return MotoEndpoint(info: launched.ready, script: launched.script)
    }

    private init(info: ReadyLine, script: HelperScript) {
        endpoint = info.endpoint
        accessKeyId = info.access_key_id
        secretAccessKey = info.secret_access_key
        accountId = info.account_id
        region = info.region
        authEnabled = info.auth ?? true
        self.script = script
    }

    // MARK: Using and stopping

    /// The end of what the server wrote to stderr (its log with `EUCA_TEST_MOTO_VERBOSE=1`;
    /// otherwise warnings and the tracebacks of its 500s). Useful in failure messages.
    var recentLog: String { script.recentLog }

    var isRunning: Bool { script.isRunning }

    /// Stops the server: EOF on its stdin, SIGTERM, and SIGKILL if it is still there after
    /// 5 s. Safe to call more than once. Don't stop `shared`; it lives as long as the
    /// test process.
    func stop() { script.stop() }

    /// The package root: this file is `<root>/Tests/EndToEndTests/Support/MotoEndpoint.swift`.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // EndToEndTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The JSON line the script prints (snake_case keys, as the script writes them).
    private struct ReadyLine: Decodable {
        let endpoint: String
        let access_key_id: String
        let secret_access_key: String
        let account_id: String
        let region: String
        let pid: Int32
        let auth: Bool?
    }
}

struct MotoEndpointError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Launching a helper script

/// One of the harness's Python scripts (`Scripts/moto-endpoint.py`, `Scripts/fault-proxy.py`)
/// running as a child of the test process. Both follow the same protocol: started with
/// `--exit-on-stdin-eof`, they print exactly one JSON line on stdout when they are ready,
/// log to stderr, and exit on SIGTERM, on EOF on stdin, or when their parent dies.
///
/// `launch` starts the script, keeps reading its stderr for its whole life (if nobody
/// reads it, the pipe fills and the script blocks on its next log line) and waits for the
/// ready line. The process is registered with `ChildProcessRegistry`, so it is killed when
/// the test process exits, and `stop()` ends it for good.
///
/// Lifetime: a script must not outlive the test process, however that process ends. There
/// are three safeguards: an `atexit` handler kills every script still registered; the
/// script exits when its stdin (a pipe whose write end only this process holds) reaches
/// EOF, which the kernel causes whenever this process dies, including by SIGKILL or a
/// crash; and the script polls `getppid()` in case anything else fails.
///
/// The interpreter is `EUCA_TEST_PYTHON`, or `python3` from PATH.
final class HelperScript: @unchecked Sendable {
    // @unchecked: everything is a `let` except `stopped`, which `lock` protects. `Process`
    // and `Pipe` are not Sendable; after launch, the process is only signalled and waited
    // for under `lock` (in `stop`), and otherwise only asked `isRunning`.

    let name: String
    let pid: Int32
    /// Seconds from starting the script to reading its ready line.
    let startupSeconds: TimeInterval

    private let process: Process
    private let stdinPipe: Pipe
    private let stderrTail: OutputTail
    private let lock = NSLock()
    private var stopped = false

    struct LaunchError: Error, CustomStringConvertible {
        let description: String
        /// The end of the script's stderr, for callers that recognise known failures in it.
        var stderr = ""
        /// The interpreter that was run, if one was found.
        var python: String?
    }

    /// Starts `Scripts/<name>` with `--exit-on-stdin-eof` and `arguments`, and returns it
    /// with the first line it printed on stdout (its JSON ready line).
    ///
    /// - Parameters:
    ///   - echoStderr: also copy the script's stderr to the test process's stderr.
    ///   - timeout: how long to wait for the ready line.
    ///   - requirement: what the script needs, for the message when Python is missing.
    /// `launch(_:arguments:echoStderr:timeout:requirement:)` with the ready line decoded as
    /// `Ready`; a line that is not one stops the script and says what it printed.
    static func launch<Ready: Decodable>(
        _ name: String, arguments: [String], echoStderr: Bool = false, timeout: TimeInterval,
        requirement: String = "Python 3", ready: Ready.Type
    ) throws(LaunchError) -> (script: HelperScript, ready: Ready) {
        let launched = try launch(name, arguments: arguments, echoStderr: echoStderr, timeout: timeout,
                                  requirement: requirement)
        guard let decoded = try? JSONDecoder().decode(Ready.self, from: Data(launched.readyLine.utf8)) else {
            launched.script.stop()
            throw LaunchError(description: "\(name) printed something that is not its JSON line: \(launched.readyLine)")
        }
        return (launched.script, decoded)
    }

    static func launch(
        _ name: String, arguments: [String], echoStderr: Bool = false, timeout: TimeInterval,
        requirement: String = "Python 3"
    ) throws(LaunchError) -> (script: HelperScript, readyLine: String) {
        ChildProcessRegistry.shared.installExitHandlerOnce()

        let script = MotoEndpoint.packageRoot.appendingPathComponent("Scripts/\(name)")
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw LaunchError(description: "cannot find \(script.path) (package root derived from #filePath)")
        }
        let environment = ProcessInfo.processInfo.environment
        let pythonName = environment["EUCA_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        guard let python = findExecutable(pythonName, path: environment["PATH"]) else {
            throw LaunchError(description:
                "\(pythonName) not found on PATH; the end-to-end tests need \(requirement) "
                    + "(or set EUCA_TEST_PYTHON)")
        }

        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, "--exit-on-stdin-eof"] + arguments
        // The parent's environment, so that Python finds its packages (virtualenv, user
        // site-packages under HOME, PYTHONPATH). The scripts keep AWS_* and proxy
        // settings away from what they do themselves.
        process.environment = environment
        process.currentDirectoryURL = MotoEndpoint.packageRoot
        let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.terminationHandler = { ChildProcessRegistry.shared.remove($0.processIdentifier) }

        let stderrTail = OutputTail(limit: 64 * 1024, echo: echoStderr ? FileHandle.standardError : nil)
        let firstLine = FirstLineReader()

        let started = Date()
        do {
            try process.run()
        } catch {
            throw LaunchError(description: "cannot run \(python.path): \(error)", python: python.path)
        }
        // From here on the write end of stdinPipe is the only one: Foundation closes the
        // parent's copy of the read end, and (on Linux, emulating POSIX_SPAWN_CLOEXEC_DEFAULT)
        // closes every other inherited descriptor in the child, so neither the child nor
        // any later subprocess holds the write end open behind our back.
        ChildProcessRegistry.shared.add(process.processIdentifier)
        stderrTail.drain(stderrPipe.fileHandleForReading, name: "\(name)-stderr")
        firstLine.drain(stdoutPipe.fileHandleForReading, name: "\(name)-stdout")

        func fail(_ what: String) -> LaunchError {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            stderrTail.waitForEOF(timeout: 2)
            return LaunchError(
                description: "\(what)\n--- stderr of \(name) ---\n\(stderrTail.text)",
                stderr: stderrTail.text, python: python.path)
        }

        switch firstLine.wait(timeout: timeout) {
        case .line(let line):
            let script = HelperScript(
                name: name, process: process, stdinPipe: stdinPipe, stderrTail: stderrTail,
                startupSeconds: Date().timeIntervalSince(started))
            return (script, line)
        case .timedOut:
            throw fail("\(name) did not report ready within \(Int(timeout)) s")
        case .closed:
            process.waitUntilExit()
            throw fail("\(name) exited with status \(process.terminationStatus) before it was ready")
        }
    }

    private init(
        name: String, process: Process, stdinPipe: Pipe, stderrTail: OutputTail,
        startupSeconds: TimeInterval
    ) {
        self.name = name
        self.pid = process.processIdentifier
        self.process = process
        self.stdinPipe = stdinPipe
        self.stderrTail = stderrTail
        self.startupSeconds = startupSeconds
    }

    /// The end of what the script wrote to stderr.
    var recentLog: String { stderrTail.text }

    var isRunning: Bool { process.isRunning }

    /// Stops the script: EOF on its stdin, SIGTERM, and SIGKILL if it is still there after
    /// 5 s. Safe to call more than once and from several threads.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        try? stdinPipe.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        ChildProcessRegistry.shared.remove(process.processIdentifier)
    }
}

// MARK: - Child process bookkeeping

/// The pids of the helper scripts (moto servers, fault proxies) that are still running, so
/// that an `atexit` handler can kill them when the test process exits. (A C function pointer cannot capture
/// anything, so the registry has to be reachable from a global.)
final class ChildProcessRegistry: @unchecked Sendable {
    static let shared = ChildProcessRegistry()

    private let lock = NSLock()
    private var pids: Set<Int32> = []
    private var handlerInstalled = false

    func add(_ pid: Int32) {
        lock.lock()
        defer { lock.unlock() }
        pids.insert(pid)
    }

    /// Called when a script exits. After that its pid may be reused, so it must not be
    /// killed at exit any more.
    func remove(_ pid: Int32) {
        lock.lock()
        defer { lock.unlock() }
        pids.remove(pid)
    }

    func installExitHandlerOnce() {
        lock.lock()
        defer { lock.unlock() }
        guard !handlerInstalled else { return }
        handlerInstalled = true
        atexit { ChildProcessRegistry.shared.killAll() }
    }

    private func killAll() {
        // exit() may be called while another thread holds the lock; hanging here would
        // hang the whole test run, so give up after a moment and leave the servers to
        // their own stdin-EOF and parent-death checks.
        var attempts = 0
        while !lock.try() {
            attempts += 1
            if attempts == 100 { return }
            usleep(1_000)
        }
        let remaining = pids
        pids = []
        lock.unlock()
        // SIGTERM is enough: the script exits at once (os._exit), and if it doesn't,
        // the stdin-EOF and parent-death checks get it within half a second.
        for pid in remaining { kill(pid, SIGTERM) }
    }
}

// MARK: - Reading the child's output

/// Reads a pipe on its own thread until EOF and keeps the last `limit` bytes.
final class OutputTail: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    private let limit: Int
    private let echo: FileHandle?
    private let finished = DispatchSemaphore(value: 0)

    init(limit: Int, echo: FileHandle? = nil) {
        self.limit = limit
        self.echo = echo
    }

    func drain(_ handle: FileHandle, name: String) {
        let thread = Thread { [self] in
            while let chunk = readChunk(handle) {
                if let echo { try? echo.write(contentsOf: chunk) }
                lock.lock()
                buffer.append(chunk)
                if buffer.count > limit { buffer.removeFirst(buffer.count - limit) }
                lock.unlock()
            }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Waits (at most `timeout`) until the writer has closed the pipe.
    func waitForEOF(timeout: TimeInterval) {
        if finished.wait(timeout: .now() + timeout) == .success { finished.signal() }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// Reads the script's stdout on its own thread. The first line is handed to `wait`; the
/// rest is read and thrown away, so that nothing the script writes later can block it.
private final class FirstLineReader: @unchecked Sendable {
    enum Outcome { case line(String), closed, timedOut }

    private let lock = NSLock()
    private var pending = Data()
    private var line: String?
    private let ready = DispatchSemaphore(value: 0)

    func drain(_ handle: FileHandle, name: String) {
        let thread = Thread { [self] in
            var signalled = false
            while let chunk = readChunk(handle) {
                guard !signalled else { continue }
                lock.lock()
                pending.append(chunk)
                if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    line = String(decoding: pending[..<newline], as: UTF8.self)
                    signalled = true
                }
                lock.unlock()
                if signalled { ready.signal() }
            }
            if !signalled { ready.signal() }  // EOF without a line: `wait` returns `.closed`
        }
        thread.name = name
        thread.start()
    }

    /// The first line; or `.closed` if stdout reached EOF without one (the script failed);
    /// or `.timedOut`.
    func wait(timeout: TimeInterval) -> Outcome {
        guard ready.wait(timeout: .now() + timeout) == .success else { return .timedOut }
        lock.lock()
        defer { lock.unlock() }
        return line.map(Outcome.line) ?? .closed
    }
}

/// Blocks until some bytes can be read from `handle` and returns them; nil at EOF or on
/// an error. (swift-corelibs-foundation's `FileHandle.read(upToCount:)` keeps reading
/// until it has all the bytes asked for or EOF, so it would hold back the ready line.)
func readChunk(_ handle: FileHandle, maximum: Int = 65536) -> Data? {
    var buffer = [UInt8](repeating: 0, count: maximum)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, maximum) }
        if count > 0 { return Data(buffer[0..<count]) }
        if count < 0 && errno == EINTR { continue }
        return nil
    }
}

/// Looks `name` up in `path` like a shell does; a name containing "/" is used as is.
func findExecutable(_ name: String, path: String?) -> URL? {
    if name.contains("/") {
        return FileManager.default.isExecutableFile(atPath: name) ? URL(fileURLWithPath: name) : nil
    }
    for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
            !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate.path)
        {
            return candidate
        }
    }
    return nil
}
