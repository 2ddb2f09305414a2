import Foundation
import Testing

/// A script written for euca2ools — the classic 1.x tutorial: zones, key pairs,
/// run/describe/reboot/terminate, groups and rules, volumes, snapshots, addresses, images —
/// runs unchanged against our commands, parsing their output with awk as operators' scripts do.
@Suite struct ClassicTutorialTests {
    @Test func theClassicTutorialRunsUnchanged() throws {
        let moto = try MotoEndpoint.start()
        defer { moto.stop() }
        let bin = try #require(EucaBinary.directoryPath)
        let script = Golden.directory.deletingLastPathComponent().appendingPathComponent("scripts/classic-tutorial.sh")
        var env = endpointEnv(moto)
        // The variables a Eucalyptus eucarc exports, instead of the AWS_* ones.
        env["AWS_ACCESS_KEY_ID"] = nil
        env["AWS_SECRET_ACCESS_KEY"] = nil
        env["EC2_ACCESS_KEY"] = moto.accessKeyId
        env["EC2_SECRET_KEY"] = moto.secretAccessKey
        env["PATH"] = bin + ":/usr/bin:/bin"
        let result = runHermetic(["/bin/bash", script.path], env: env, timeout: 180)
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout.hasSuffix("tutorial complete\n"))
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }
}
