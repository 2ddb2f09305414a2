import Foundation
import Testing

/// euca-create-tags, euca-describe-tags, euca-delete-tags and euca-describe-account-attributes
/// against the shared moto.
@Suite struct TagCommandsTests {
    @Test func tagLifecycle() throws {
        let env = endpointEnv(try MotoEndpoint.shared)
        let volume = resourceField(euca("euca-create-volume", ["-s", "1", "-z", "us-east-1a"], env: env).stdout, 1)
        let snapshot = resourceField(euca("euca-create-snapshot", [volume], env: env).stdout, 1)
        let created = euca("euca-create-tags", [volume, snapshot, "--tag", "Name=data", "--tag", "env=", "--tag", "flag"], env: env)
        #expect(created.stdout == """
            TAG\tvolume\t\(volume)\tName\tdata
            TAG\tvolume\t\(volume)\tenv\t
            TAG\tvolume\t\(volume)\tflag\t
            TAG\tsnapshot\t\(snapshot)\tName\tdata
            TAG\tsnapshot\t\(snapshot)\tenv\t
            TAG\tsnapshot\t\(snapshot)\tflag\t

            """, "\(created)")
        let described = euca("euca-describe-tags", ["--filter", "resource-id=\(volume)"], env: env)
        #expect(described.stdout == "TAG\tvolume\t\(volume)\tName\tdata\nTAG\tvolume\t\(volume)\tenv\t\nTAG\tvolume\t\(volume)\tflag\t\n", "\(described)")
        // Tags follow their resource in the describe commands.
        #expect(euca("euca-describe-volumes", [volume], env: env).stdout.hasSuffix("\nTAG\tvolume\t\(volume)\tName\tdata\nTAG\tvolume\t\(volume)\tenv\t\nTAG\tvolume\t\(volume)\tflag\t\n"))
        #expect(euca("euca-describe-snapshots", [snapshot], env: env).stdout.contains("\nTAG\tsnapshot\t\(snapshot)\tflag\t\n"))
        #expect(euca("euca-describe-volumes", ["--filter", "tag:Name=data", "--filter", "volume-id=\(volume)"], env: env).stdout
                .hasPrefix("VOLUME\t\(volume)\t"))

        // KEY=VALUE deletes only on a matching value, KEY whatever the value; nothing is printed.
        let mismatch = euca("euca-delete-tags", [volume, "--tag", "Name=other"], env: env)
        #expect(mismatch.succeeded && mismatch.stdout.isEmpty, "\(mismatch)")
        let deleted = euca("euca-delete-tags", [volume, "--tag", "flag", "--tag", "env="], env: env)
        #expect(deleted.succeeded && deleted.stdout.isEmpty, "\(deleted)")
        #expect(euca("euca-describe-tags", ["--filter", "resource-id=\(volume)"], env: env).stdout
                == "TAG\tvolume\t\(volume)\tName\tdata\n")
        #expect(euca("euca-describe-tags", ["--filter", "resource-id=\(snapshot)", "--filter", "key=flag"], env: env).stdout
                == "TAG\tsnapshot\t\(snapshot)\tflag\t\n")
        _ = euca("euca-delete-snapshot", [snapshot], env: env)
        _ = euca("euca-delete-volume", [volume], env: env)
    }

    @Test func accountAttributes() throws {
        let env = endpointEnv(try MotoEndpoint.shared)
        let result = euca("euca-describe-account-attributes", [], env: env)
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout.contains("ACCOUNTATTRIBUTE\tsupported-platforms\nVALUE\tEC2\nVALUE\tVPC\n"))
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("ACCOUNTATTRIBUTE\t") || $0.hasPrefix("VALUE\t") })
        // (moto answers every attribute whatever AttributeName asks for.)
        #expect(euca("euca-describe-account-attributes", ["default-vpc"], env: env).stdout.contains("ACCOUNTATTRIBUTE\tdefault-vpc\n"))
    }

    @Test func badInput() throws {
        let env = endpointEnv(try MotoEndpoint.shared)
        let noTag = euca("euca-create-tags", ["vol-1"], env: env)
        #expect(noTag.status == 2)
        #expect(noTag.stderr.hasSuffix("euca-create-tags: error: the following arguments are required: --tag\n"))
        let emptyKey = euca("euca-delete-tags", ["vol-1", "--tag", "=x"], env: env)
        #expect(emptyKey.status == 2)
        #expect(emptyKey.stderr.hasSuffix("euca-delete-tags: error: --tag: expected KEY[=VALUE] with a non-empty KEY, got \"=x\"\n"))
        let filter = euca("euca-describe-tags", ["--filter", "owner=me"], env: env)
        #expect(filter.status == 2)
        #expect(filter.stderr.hasSuffix("euca-describe-tags: error: --filter: unknown filter \"owner\"; this command accepts key, resource-id, resource-type, value and tag:KEY\n"))
    }
}
