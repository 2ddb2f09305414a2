import Testing
@testable import EucaCore

/// Table-driven tests of the rule euca-authorize/euca-revoke build: what is sent, what is
/// printed, and the message for each bad combination of options.
@Suite struct SecurityGroupRuleTests {
    typealias Input = SecurityGroupRule.Input

    static func items(_ rule: SecurityGroupRule) -> [String] {
        rule.queryItems.map { "\($0.name)=\($0.value)" }
    }

    @Test(arguments: [
        // Default protocol tcp, default range 0.0.0.0/0.
        (Input(group: "web", portRange: "22"),
         ["GroupName=web", "IpPermissions.1.IpProtocol=tcp", "IpPermissions.1.FromPort=22",
          "IpPermissions.1.ToPort=22", "IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0"]),
        // Several ranges; a group given by ID.
        (Input(group: "sg-0123456789abcdef0", ipProtocol: "udp", portRange: "80-81",
               cidrs: ["10.0.0.0/8", "192.168.0.0/16"]),
         ["GroupId=sg-0123456789abcdef0", "IpPermissions.1.IpProtocol=udp", "IpPermissions.1.FromPort=80",
          "IpPermissions.1.ToPort=81", "IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0/8",
          "IpPermissions.1.IpRanges.2.CidrIp=192.168.0.0/16"]),
        // -1 stands for the first or last port, as in euca2ools.
        (Input(group: "web", ipProtocol: "6", portRange: "-1"),
         ["GroupName=web", "IpPermissions.1.IpProtocol=6", "IpPermissions.1.FromPort=1",
          "IpPermissions.1.ToPort=65535", "IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0"]),
        // ICMP defaults to all types and codes.
        (Input(group: "web", ipProtocol: "icmp"),
         ["GroupName=web", "IpPermissions.1.IpProtocol=icmp", "IpPermissions.1.FromPort=-1",
          "IpPermissions.1.ToPort=-1", "IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0"]),
        (Input(group: "web", ipProtocol: "ICMP", icmpTypeCode: "8:0"),
         ["GroupName=web", "IpPermissions.1.IpProtocol=icmp", "IpPermissions.1.FromPort=8",
          "IpPermissions.1.ToPort=0", "IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0"]),
        // All protocols: no ports.
        (Input(group: "sg-1", egress: true, ipProtocol: "all", cidrs: ["10.9.0.0/16"]),
         ["GroupId=sg-1", "IpPermissions.1.IpProtocol=-1", "IpPermissions.1.IpRanges.1.CidrIp=10.9.0.0/16"]),
        (Input(group: "web", ipProtocol: "47"),
         ["GroupName=web", "IpPermissions.1.IpProtocol=47", "IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0"]),
        // A source group by name with its owner: exactly that group, no 0.0.0.0/0.
        (Input(group: "db", portRange: "3306", sourceGroup: "web", sourceGroupUser: "123456789012"),
         ["GroupName=db", "IpPermissions.1.IpProtocol=tcp", "IpPermissions.1.FromPort=3306",
          "IpPermissions.1.ToPort=3306", "IpPermissions.1.Groups.1.GroupName=web",
          "IpPermissions.1.Groups.1.UserId=123456789012"]),
        // A source group by ID needs no owner.
        (Input(group: "db", portRange: "5432", sourceGroup: "sg-0abc"),
         ["GroupName=db", "IpPermissions.1.IpProtocol=tcp", "IpPermissions.1.FromPort=5432",
          "IpPermissions.1.ToPort=5432", "IpPermissions.1.Groups.1.GroupId=sg-0abc"]),
        (Input(group: "sg-1", egress: true, ipProtocol: "tcp", portRange: "443", sourceGroup: "sg-2"),
         ["GroupId=sg-1", "IpPermissions.1.IpProtocol=tcp", "IpPermissions.1.FromPort=443",
          "IpPermissions.1.ToPort=443", "IpPermissions.1.Groups.1.GroupId=sg-2"]),
    ] as [(Input, [String])])
    func parametersSent(input: Input, expected: [String]) throws {
        let rule = try SecurityGroupRule.make(input)
        #expect(Self.items(rule) == expected)
        if input.sourceGroup != nil {
            #expect(!expected.contains { $0.contains("CidrIp") }, "a source-group rule must not open an address range")
        }
    }

    @Test(arguments: [
        (Input(group: "web", ipProtocol: "tcp", portRange: "80-81", cidrs: ["10.0.0.0/8"]),
         ["GROUP\tweb", "PERMISSION\tweb\tALLOWS\ttcp\t80\t81\tFROM\tCIDR\t10.0.0.0/8"]),
        (Input(group: "web", ipProtocol: "icmp"),
         ["GROUP\tweb", "PERMISSION\tweb\tALLOWS\ticmp\t-1\t-1\tFROM\tCIDR\t0.0.0.0/0"]),
        (Input(group: "web", portRange: "22", cidrs: ["10.0.0.0/8", "10.1.0.0/16"]),
         ["GROUP\tweb", "PERMISSION\tweb\tALLOWS\ttcp\t22\t22\tFROM\tCIDR\t10.0.0.0/8",
          "PERMISSION\tweb\tALLOWS\ttcp\t22\t22\tFROM\tCIDR\t10.1.0.0/16"]),
        (Input(group: "db", portRange: "3306", sourceGroup: "web", sourceGroupUser: "123456789012"),
         ["GROUP\tdb", "PERMISSION\tdb\tALLOWS\ttcp\t3306\t3306\tUSER\t123456789012\tNAME\tweb"]),
        (Input(group: "db", portRange: "5432", sourceGroup: "sg-0abc"),
         ["GROUP\tdb", "PERMISSION\tdb\tALLOWS\ttcp\t5432\t5432\tID\tsg-0abc"]),
        (Input(group: "sg-1", egress: true, ipProtocol: "-1"),
         ["GROUP\tsg-1", "PERMISSION\tsg-1\tALLOWS\t-1\t\t\tFROM\tCIDR\t0.0.0.0/0"]),
    ] as [(Input, [String])])
    func linesPrinted(input: Input, expected: [String]) throws {
        #expect(try SecurityGroupRule.make(input).records.map { $0.formatted() } == expected)
    }

    @Test(arguments: [
        (Input(group: "web"),
         "-p/--port-range is required for protocol \"tcp\": give PORT or FROM-TO (e.g. -p 22 or -p 8000-8080; -1 means all)"),
        (Input(group: "web", ipProtocol: "udp"),
         "-p/--port-range is required for protocol \"udp\": give PORT or FROM-TO (e.g. -p 22 or -p 8000-8080; -1 means all)"),
        (Input(group: "web", portRange: "22:80"),
         "-p/--port-range: expected PORT or FROM-TO (a range is separated by \"-\", not \":\"), got \"22:80\""),
        (Input(group: "web", portRange: "ssh"), "-p/--port-range: expected PORT or FROM-TO, got \"ssh\""),
        (Input(group: "web", portRange: "90-80"), "-p/--port-range: port range \"90-80\" starts after it ends"),
        (Input(group: "web", portRange: "70000"), "-p/--port-range: port 70000 is out of range -1 to 65535"),
        (Input(group: "web", portRange: "22", icmpTypeCode: "8:0"),
         "-t/--icmp-type-code: not allowed with protocol \"tcp\"; give its ports with -p/--port-range PORT or FROM-TO"),
        (Input(group: "web", ipProtocol: "icmp", portRange: "22"),
         "-p/--port-range: not allowed with protocol \"icmp\"; give the ICMP type and code with -t/--icmp-type-code TYPE:CODE (-1:-1 for all)"),
        (Input(group: "web", ipProtocol: "1", icmpTypeCode: "8"),
         "-t/--icmp-type-code: expected TYPE:CODE with each from -1 to 255, got \"8\""),
        (Input(group: "web", ipProtocol: "-1", portRange: "22"),
         "-p/--port-range: not allowed with protocol \"-1\", which has no ports; use -P tcp, udp or sctp to give ports"),
        (Input(group: "web", ipProtocol: "all", icmpTypeCode: "-1:-1"),
         "-t/--icmp-type-code: not allowed with protocol \"-1\"; use -P icmp to give an ICMP type and code"),
        (Input(group: "web", ipProtocol: "gre"),
         "-P/--protocol: expected tcp, udp, icmp, sctp, all, or a protocol number from 0 to 255 (-1 for all), got \"gre\""),
        (Input(group: "web", ipProtocol: "256"),
         "-P/--protocol: expected tcp, udp, icmp, sctp, all, or a protocol number from 0 to 255 (-1 for all), got \"256\""),
        (Input(group: "db", portRange: "3306", sourceGroup: "web"),
         "-u/--source-group-user ACCOUNT is required when -o/--source-group names a group (\"web\"); give the owner's account ID, or the group's sg- ID instead of its name"),
        (Input(group: "db", portRange: "22", cidrs: ["10.0.0.0"]),
         "-s/--cidr: expected an IPv4 CIDR block like 10.0.0.0/8, got \"10.0.0.0\""),
        (Input(group: "db", egress: true, ipProtocol: "-1"),
         "--egress: egress rules need the group's ID (sg-…), not the name \"db\""),
        (Input(group: "sg-1", egress: true, portRange: "22", sourceGroup: "web", sourceGroupUser: "1"),
         "-o/--source-group: egress rules need the source group's ID (sg-…), not the name \"web\""),
    ] as [(Input, String)])
    func badCombinations(input: Input, message: String) {
        #expect(throws: UsageError(message)) { try SecurityGroupRule.make(input) }
    }

    @Test func actionNames() throws {
        let ingress = try SecurityGroupRule.make(Input(group: "web", portRange: "22"))
        #expect(ingress.action(authorize: true) == "AuthorizeSecurityGroupIngress")
        #expect(ingress.action(authorize: false) == "RevokeSecurityGroupIngress")
        let egress = try SecurityGroupRule.make(Input(group: "sg-1", egress: true, ipProtocol: "all"))
        #expect(egress.action(authorize: true) == "AuthorizeSecurityGroupEgress")
        #expect(egress.action(authorize: false) == "RevokeSecurityGroupEgress")
    }
}

/// The combinations euca-authorize and euca-revoke refuse before building a rule.
@Suite struct SecurityGroupRuleConstraintTests {
    static let command = Command("euca-authorize", summary: "a", service: .ec2,
                                 options: SecurityGroupRule.commandOptions,
                                 positionals: [Positional("GROUP", help: "g")],
                                 constraints: SecurityGroupRule.constraints, action: .custom { _ in })

    func problem(_ words: [String]) -> String? {
        do throws(UsageError) {
            _ = try ArgumentParser(Self.command).parse(words)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func addressRangesOrAGroupAndAnOwnerOnlyForAGroup() {
        #expect(problem(["db", "-p", "3306", "-s", "10.0.0.0/8", "-o", "sg-1"]) == "-s/--cidr and -o/--source-group cannot be used together")
        #expect(problem(["db", "-p", "3306", "-u", "123456789012"]) == "-u/--source-group-user requires -o/--source-group")
        #expect(problem(["db", "-p", "3306", "-o", "web", "-u", "123456789012"]) == nil)
    }
}
