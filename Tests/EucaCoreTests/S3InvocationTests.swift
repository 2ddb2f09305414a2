import Foundation
import Testing
@testable import EucaCore

/// `Invocation.s3()`: the client a command gets from its settings.
@Suite struct S3InvocationTests {
    static let command = Command("euca-s3-dummy", summary: "d", service: .s3, action: .custom { _ in })

    func invocation(ini: String, env: [String: String] = [:]) throws -> (Invocation, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("s3inv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("cloud.ini")
        try Data(ini.utf8).write(to: path)
        let environment = env.merging(["EUCA_CONFIG_PATH": path.path, "HOME": directory.path]) { a, _ in a }
        let (_, parsed) = try ArgumentParser(Self.command).parse([])
        let settings = try ConfigLoader(environment: environment).resolver(arguments: parsed, service: .s3).resolve()
        return (Invocation(programName: "euca-s3-dummy", command: Self.command, arguments: parsed,
                           environment: environment, settings: settings, log: DebugLog(enabled: false)),
                directory)
    }

    static let ini = """
        [global]
        default-region = lab

        [region lab]
        s3-url = http://objects.lab.example.com:8773/services/Walrus
        s3-signature-version = 2
        s3-addressing-style = virtual
        user = admin

        [user admin]
        key-id = AKIDADMIN
        secret-key = adminsecret
        """

    @Test func clientComesFromTheRegionSection() throws {
        let (invocation, directory) = try invocation(ini: Self.ini)
        defer { try? FileManager.default.removeItem(at: directory) }
        let s3 = try invocation.s3()
        #expect(s3.endpoint.host == "objects.lab.example.com" && s3.endpoint.port == 8773)
        #expect(s3.endpoint.pathPrefix == "/services/Walrus")
        #expect(s3.endpoint.style == .virtual)
        #expect(s3.signatureVersion == .v2)
        #expect(s3.credentials.accessKeyId == "AKIDADMIN")
    }

    @Test func environmentOverridesTheAddressingStyle() throws {
        let (invocation, directory) = try invocation(ini: Self.ini, env: ["EUCA_S3_ADDRESSING_STYLE": "path"])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try invocation.s3().endpoint.style == .path)
        let (bad, badDirectory) = try self.invocation(ini: Self.ini, env: ["EUCA_S3_ADDRESSING_STYLE": "bogus"])
        defer { try? FileManager.default.removeItem(at: badDirectory) }
        #expect(throws: ConfigError.self) { try bad.s3() }
    }
}
