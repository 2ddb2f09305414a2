import Foundation
import Testing

/// `--output json` against moto: the response as JSON that jq and JSONSerialization read,
/// text output unchanged without it, and the option only where responses are printed.
@Suite struct JSONOutputTests {
    func parsed(_ result: RunResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "\(result)")
    }

    @Test func describeAndCreateCommandsPrintTheirResponses() throws {
        let moto = try MotoEndpoint.shared
        let env = endpointEnv(moto)
        let created = euca("euca-create-volume", ["-s", "1", "-z", "us-east-1a", "--output", "json"], env: env)
        #expect(created.succeeded, "\(created)")
        let volume = try parsed(created)
        let id = try #require(volume["volumeId"] as? String)
        #expect(volume["size"] as? String == "1")
        #expect(volume["requestId"] == nil)

        let described = try parsed(euca("euca-describe-volumes", [id, "--output", "json"], env: env))
        let volumes = try #require(described["volumeSet"] as? [[String: Any]])
        #expect(volumes.map { $0["volumeId"] as? String } == [id])
        #expect(volumes.first?["attachmentSet"] as? [Any] != nil, "an empty list is still a list")

        let zones = try parsed(euca("euca-describe-availability-zones", ["--output=json"], env: env))
        let names = try #require(zones["availabilityZoneInfo"] as? [[String: Any]]).compactMap { $0["zoneName"] as? String }
        #expect(names.contains("us-east-1a"))
        // Text stays the default and the same.
        #expect(euca("euca-describe-availability-zones", ["us-east-1a"], env: env).stdout == "AVAILABILITYZONE\tus-east-1a\tavailable\t\n")
        _ = euca("euca-delete-volume", [id], env: env)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/jq"), "needs /usr/bin/jq"))
    func jqReadsIt() throws {
        let moto = try MotoEndpoint.shared
        let bin = try #require(EucaBinary.directoryPath)
        var env = endpointEnv(moto)
        env["PATH"] = bin + ":/usr/bin:/bin"
        let result = runHermetic(["/bin/sh", "-c", "euca-describe-regions --output json | jq -r '.regionInfo[].regionName' | grep -x us-east-1"], env: env)
        #expect(result.stdout == "us-east-1\n", "\(result)")
    }

    @Test func keyMaterialSavedToAFileIsNotPrinted() throws {
        let moto = try MotoEndpoint.shared
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("json-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = "json-\(UUID().uuidString.prefix(8))"
        let file = directory.appendingPathComponent("key.pem").path
        let saved = euca("euca-create-keypair", [name, "-f", file, "--output", "json"], env: endpointEnv(moto))
        #expect(saved.succeeded, "\(saved)")
        let object = try parsed(saved)
        #expect(object["keyName"] as? String == name)
        #expect(object["keyMaterial"] == nil)
        #expect(FileManager.default.fileExists(atPath: file))
        _ = euca("euca-delete-keypair", [name], env: endpointEnv(moto))
    }

    @Test func badFormatsAndCommandsWithoutResponsesRefuseIt() throws {
        let bad = euca("euca-describe-regions", ["--output", "yaml"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasSuffix("euca-describe-regions: error: --output: expected one of text, json, got \"yaml\"\n"))
        let offline = euca("euca-bundle-image", ["--output", "json"])
        #expect(offline.status == 2)
        #expect(offline.stderr.contains("unrecognized option --output"), "\(offline)")
    }
}
