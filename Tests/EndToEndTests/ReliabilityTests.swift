import Foundation
import Testing

/// How the commands behave when the cloud is failing (issue 5), through the fault proxy in
/// front of moto: no duplicate launches, no retry storms. How long they take, and how far
/// the jitter spreads retries, are measured in docs/reliability.md, not asserted here.
@Suite struct ReliabilityTests {
    /// The endpoint performs RunInstances but the response never arrives; the command retries
    /// with the same client token, and EC2 (here: moto-endpoint.py's idempotency, see its
    /// header) answers with the first launch instead of launching again.
    @Test func aLaunchWhoseResponseIsLostStartsExactlyOneInstance() throws {
        let moto = try MotoEndpoint.start()
        defer { moto.stop() }
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .action("RunInstances"), times: 1, fault: .forwardThenDrop),
        ])
        defer { proxy.stop() }
        var env = endpointEnv(moto)
        let image = euca("describe-images", ["-o", "amazon"], env: env).stdout
            .split(separator: "\n").first { $0.hasPrefix("IMAGE\t") }.map { String($0.split(separator: "\t")[1]) }
        let imageId = try #require(image)
        env["EC2_URL"] = proxy.endpoint

        let launched = euca("run-instances", ["-t", "m1.small", imageId], env: env)
        #expect(launched.succeeded, "\(launched)")
        let runRequests = try proxy.requests().filter { $0.action == "RunInstances" }
        #expect(runRequests.map(\.fault) == ["forward_then_drop", "pass"], "\(runRequests)")

        // Exactly one instance of that image exists, and it is the one the command reported.
        let reported = launched.stdout.split(separator: "\n").filter { $0.hasPrefix("INSTANCE\t") }
        #expect(reported.count == 1)
        let described = euca("describe-instances", ["--filter", "image-id=\(imageId)"], env: endpointEnv(moto))
        let instances = described.stdout.split(separator: "\n").filter { $0.hasPrefix("INSTANCE\t") }
        #expect(instances.count == 1, "\(described)")
        #expect(instances.first?.split(separator: "\t")[1] == reported.first?.split(separator: "\t")[1])
    }

    /// Many commands against an endpoint that always fails: each sends exactly its attempts,
    /// and no more. (That the backoff is full jitter is RetryTests' to check; how far it
    /// spreads the retries here is measured by Scripts/reliability-report.py.)
    @Test func concurrentCommandsAgainstAFailingEndpointCannotStormIt() throws {
        let moto = try MotoEndpoint.shared
        let proxy = try FaultProxy.start(upstream: moto.endpoint, schedule: [
            .init(match: .action("DescribeAvailabilityZones"), times: nil,
                  fault: .error(status: 503, code: "ServiceUnavailable")),
        ])
        defer { proxy.stop() }
        var proxied = endpointEnv(moto)
        proxied["EC2_URL"] = proxy.endpoint
        let env = proxied
        let commands = 8
        let results = LockedResults()
        DispatchQueue.concurrentPerform(iterations: commands) { _ in
            results.append(euca("describe-availability-zones", env: env, timeout: 30))
        }
        for result in results.all {
            #expect(result.status == 1)
            #expect(result.stderr.hasSuffix("(gave up after 3 attempts)\n"), "\(result)")
        }
        let requests = try proxy.requests().filter { $0.action == "DescribeAvailabilityZones" }
        #expect(requests.count == commands * 3, "each command sends exactly its 3 attempts: \(requests)")
        // A 503 is a complete response, so each command keeps its one connection: the proxy's
        // connection numbers tell the commands apart.
        let perConnection = Dictionary(grouping: requests, by: \.connection).mapValues(\.count)
        #expect(perConnection.count == commands && perConnection.values.allSatisfy { $0 == 3 },
                "\(commands) connections of 3 requests each, one per command: \(perConnection)")
    }
}

/// Results collected from concurrent threads.
final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [RunResult] = []
    func append(_ result: RunResult) {
        lock.lock()
        results.append(result)
        lock.unlock()
    }
    var all: [RunResult] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}
