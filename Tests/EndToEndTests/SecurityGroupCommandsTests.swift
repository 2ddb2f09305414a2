import Foundation
import Testing

/// euca-create-group (euca-add-group), euca-describe-groups, euca-delete-group, euca-authorize
/// and euca-revoke against the shared moto, with unique group names.
///
/// Values sent to the shared moto contain no spaces: moto 5.2.1 verifies SigV4 against its
/// own re-encoding of the form (space as "+") while we send "%20", so it rejects a request
/// with a space in a value (AuthFailure). ResourceGoldenTests uses spaces, without auth.
@Suite struct SecurityGroupCommandsTests {
    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8))" }

    @Test func groupLifecycleWithRulesByEverySpelling() throws {
        let env = endpointEnv(try MotoEndpoint.shared)
        let name = Self.unique("e2e-grp")
        let source = Self.unique("e2e-src")
        let created = euca("euca-create-group", [name, "--description", "rules-test"], env: env)
        #expect(created.succeeded, "\(created)")
        let id = resourceField(created.stdout, 1)
        #expect(created.stdout == "GROUP\t\(id)\t\(name)\trules-test\n")
        let sourceId = resourceField(euca("euca-add-group", [source, "-d", "source"], env: env).stdout, 1)

        // 1.x long spellings and repeated -s.
        let ranges = euca("euca-authorize", [name, "--protocol", "tcp", "--port-range", "8000-8080",
                                             "--source-subnet", "10.0.0.0/8", "-s", "172.16.0.0/12"], env: env)
        #expect(ranges.stdout == """
            GROUP\t\(name)
            PERMISSION\t\(name)\tALLOWS\ttcp\t8000\t8080\tFROM\tCIDR\t10.0.0.0/8
            PERMISSION\t\(name)\tALLOWS\ttcp\t8000\t8080\tFROM\tCIDR\t172.16.0.0/12

            """, "\(ranges)")
        let fromGroup = euca("euca-authorize", [id, "-p", "-1", "--source-group", source,
                                                "--source-group-user", try MotoEndpoint.shared.accountId], env: env)
        #expect(fromGroup.succeeded, "\(fromGroup)")
        #expect(fromGroup.stdout.hasSuffix("ALLOWS\ttcp\t1\t65535\tUSER\t123456789012\tNAME\t\(source)\n"))
        let egress = euca("euca-authorize", ["--egress", id, "-P", "udp", "-p", "53", "-s", "10.1.0.0/16"], env: env)
        #expect(egress.succeeded, "\(egress)")

        let described = euca("euca-describe-groups", [id], env: env)
        let lines = described.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "GROUP\t\(id)\t123456789012\t\(name)\trules-test\t\(resourceField(described.stdout, 5))")
        #expect(lines.contains("PERMISSION\t123456789012\t\(name)\tALLOWS\ttcp\t8000\t8080\tFROM\tCIDR\t10.0.0.0/8\tingress"))
        #expect(lines.contains("PERMISSION\t123456789012\t\(name)\tALLOWS\ttcp\t8000\t8080\tFROM\tCIDR\t172.16.0.0/12\tingress"))
        #expect(lines.contains("PERMISSION\t123456789012\t\(name)\tALLOWS\ttcp\t1\t65535\tFROM\tUSER\t123456789012\tID\t\(sourceId)\tingress"))
        #expect(lines.contains("PERMISSION\t123456789012\t\(name)\tALLOWS\tudp\t53\t53\tTO\tCIDR\t10.1.0.0/16\tegress"))
        // The source-group rule opened nothing else.
        #expect(!lines.contains { $0.contains("\t1\t65535\t") && $0.contains("CIDR") })

        // By name, and by filter.
        #expect(euca("euca-describe-groups", [name], env: env).stdout == described.stdout)
        let filtered = euca("euca-describe-groups", ["--filter", "group-name=\(name)"], env: env)
        #expect(filtered.stdout == described.stdout, "\(filtered)")

        // Revoke what was authorized, in the same words.
        let revoked = euca("euca-revoke", [name, "-P", "tcp", "-p", "8000-8080", "-s", "10.0.0.0/8", "-s", "172.16.0.0/12"], env: env)
        #expect(revoked.stdout == ranges.stdout, "\(revoked)")
        #expect(euca("euca-revoke", [id, "-p", "-1", "-o", sourceId], env: env).succeeded)
        #expect(euca("euca-revoke", ["--egress", id, "-P", "udp", "-p", "53", "-s", "10.1.0.0/16"], env: env).succeeded)
        let after = euca("euca-describe-groups", [id], env: env).stdout
        #expect(!after.contains("\tingress\n"), "\(after)")

        // moto's DeleteSecurityGroup response has no <return> (AWS answers true), so the
        // RETURN field is empty here.
        let deleted = euca("euca-delete-group", [name], env: env)
        #expect(deleted.stdout == "RETURN\t\n", "\(deleted)")
        #expect(euca("euca-delete-group", [sourceId], env: env).succeeded)
        let gone = euca("euca-describe-groups", [name], env: env)
        #expect(gone.status == 1)
        #expect(gone.stderr.hasPrefix("euca-describe-groups: error (InvalidGroup.NotFound): "), "\(gone)")
    }

    @Test func icmpAndAllProtocols() throws {
        let env = endpointEnv(try MotoEndpoint.shared)
        let name = Self.unique("e2e-icmp")
        let id = resourceField(euca("euca-create-group", [name, "-d", "icmp"], env: env).stdout, 1)
        let ping = euca("euca-authorize", [name, "-P", "icmp", "-t", "8:0", "-s", "192.168.0.0/16"], env: env)
        #expect(ping.stdout == "GROUP\t\(name)\nPERMISSION\t\(name)\tALLOWS\ticmp\t8\t0\tFROM\tCIDR\t192.168.0.0/16\n")
        let all = euca("euca-authorize", [name, "-P", "all", "-s", "10.2.0.0/16"], env: env)
        #expect(all.stdout == "GROUP\t\(name)\nPERMISSION\t\(name)\tALLOWS\t-1\t\t\tFROM\tCIDR\t10.2.0.0/16\n", "\(all)")
        let described = euca("euca-describe-groups", [name], env: env).stdout
        #expect(described.contains("\tALLOWS\ticmp\t8\t0\tFROM\tCIDR\t192.168.0.0/16\tingress\n"))
        #expect(described.contains("\tALLOWS\t-1\t\t\tFROM\tCIDR\t10.2.0.0/16\tingress\n"))
        _ = euca("euca-delete-group", [id], env: env)
    }

    @Test func badRuleIsAUsageErrorWithOneLine() throws {
        let env = endpointEnv(try MotoEndpoint.shared)
        let result = euca("euca-authorize", ["web", "-P", "icmp", "-p", "22"], env: env)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix("usage: euca-authorize") == true)
        #expect(lines.last == "euca-authorize: error: -p/--port-range: not allowed with protocol \"icmp\"; give the ICMP type and code with -t/--icmp-type-code TYPE:CODE (-1:-1 for all)")
        let noUser = euca("euca-authorize", ["db", "-p", "3306", "-o", "web"], env: env)
        #expect(noUser.status == 2)
        #expect(noUser.stderr.hasSuffix("euca-authorize: error: -u/--source-group-user ACCOUNT is required when -o/--source-group names a group (\"web\"); give the owner's account ID, or the group's sg- ID instead of its name\n"))
        let colon = euca("euca-revoke", ["db", "-p", "22:80"], env: env)
        #expect(colon.status == 2)
        #expect(colon.stderr.hasSuffix("euca-revoke: error: -p/--port-range: expected PORT or FROM-TO (a range is separated by \"-\", not \":\"), got \"22:80\"\n"))
        let filter = euca("euca-describe-groups", ["--filter", "colour=red"], env: env)
        #expect(filter.status == 2)
        let missing = euca("euca-create-group", ["nodesc"], env: env)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasSuffix("error: the following arguments are required: -d/--description\n"))
    }

    @Test func unknownGroupIsAServiceError() throws {
        let env = endpointEnv(try MotoEndpoint.shared)
        let result = euca("euca-authorize", [Self.unique("e2e-none"), "-p", "22"], env: env)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("euca-authorize: error (InvalidGroup.NotFound): "), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
