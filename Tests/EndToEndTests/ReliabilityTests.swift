import Foundation
import Testing

/// How the commands behave when the cloud is failing (issue 5), through the fault proxy in
/// front of moto: no duplicate launches, no retry storms, bounded time.
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
        Figures.record("run-instances with its first response lost: exit \(launched.status), \(runRequests.count) RunInstances requests, \(instances.count) instance(s) exist")
    }

    /// Many commands against an endpoint that always fails: each sends at most its attempts,
    /// with jittered backoff, so they do not retry in lock-step.
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
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: commands) { _ in
            results.append(euca("describe-availability-zones", env: env, timeout: 30))
        }
        let elapsed = Date().timeIntervalSince(started)
        for result in results.all {
            #expect(result.status == 1)
            #expect(result.stderr.hasSuffix("(gave up after 3 attempts)\n"), "\(result)")
        }
        let requests = try proxy.requests().filter { $0.action == "DescribeAvailabilityZones" }
        #expect(requests.count == commands * 3, "each command sends exactly its 3 attempts")
        // Full jitter: the retries are spread out, not fired together. The first attempts all
        // start within process start-up of each other; the retries land anywhere in 0–1 s and
        // 0–2 s after their failures.
        let times = requests.map(\.t).sorted()
        let retries = Array(times.dropFirst(commands))
        let gaps = zip(retries.dropFirst(), retries).map { $0 - $1 }
        #expect((retries.last! - retries.first!) > 0.3, "retries spread over \(retries.last! - retries.first!) s")
        #expect(gaps.filter { $0 < 0.005 }.count < gaps.count / 2, "retries should not arrive in bursts: \(gaps)")
        Figures.record("\(commands) concurrent commands against an always-503 endpoint: \(requests.count) requests in all (\(commands) × 3 attempts), retries spread over \(Figures.seconds(retries.last! - retries.first!)), all failed within \(Figures.seconds(elapsed))")
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
