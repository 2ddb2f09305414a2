import Foundation
import Testing
@testable import EucaCore

/// Table-driven: malformed values of every shared option type, and the exact message each gets.
@Suite struct ValueTypeTests {
    static func problem(_ type: ValueType, _ value: String) -> String? {
        do {
            _ = try type.convert(value)
            return nil
        } catch {
            return error.problem
        }
    }

    @Test(arguments: [
        ("22", nil), ("-1", nil), ("80-81", nil), ("0-65535", nil), ("-1--1", nil),
        ("22:80", "expected PORT or FROM-TO (a range is separated by \"-\", not \":\"), got \"22:80\""),
        ("http", "expected PORT or FROM-TO, got \"http\""),
        ("70000", "port 70000 is out of range -1 to 65535"),
        ("80-70000", "port 70000 is out of range -1 to 65535"),
        ("90-80", "port range \"90-80\" starts after it ends"),
        ("", "expected PORT or FROM-TO, got \"\""),
        ("1-2-3", "expected PORT or FROM-TO, got \"1-2-3\""),
    ] as [(String, String?)])
    func portRanges(value: String, problem: String?) {
        #expect(Self.problem(.portRange, value) == problem)
    }

    @Test(arguments: [
        ("10.0.0.0/8", true), ("0.0.0.0/0", true), ("192.168.1.1/32", true),
        ("10.0.0.0", false), ("10.0.0/8", false), ("256.0.0.0/8", false), ("10.0.0.0/33", false),
        ("10.0.0.0/", false), ("a.b.c.d/8", false), ("10.0.0.0/8/8", false), ("١٠.0.0.0/8", false),
    ])
    func cidrBlocks(value: String, valid: Bool) {
        #expect((Self.problem(.cidr, value) == nil) == valid)
    }

    @Test(arguments: [
        ("-1:-1", nil), ("8:0", nil),
        ("8", "expected TYPE:CODE with each from -1 to 255, got \"8\""),
        ("300:0", "expected TYPE:CODE with each from -1 to 255, got \"300:0\""),
        ("a:b", "expected TYPE:CODE with each from -1 to 255, got \"a:b\""),
    ] as [(String, String?)])
    func icmpTypeCodes(value: String, problem: String?) {
        #expect(Self.problem(.icmpTypeCode, value) == problem)
    }

    @Test func integersChoicesBooleansAndURLs() throws {
        #expect(Self.problem(.integer(1...20), "3") == nil)
        #expect(Self.problem(.integer(1...20), "0") == "expected an integer from 1 to 20, got \"0\"")
        #expect(Self.problem(.integer(1...Int.max), "x") == "expected an integer of at least 1, got \"x\"")
        #expect(Self.problem(.boolean, "maybe") == "expected true or false, got \"maybe\"")
        #expect(try ValueType.boolean.convert("yes") == [Field("", "true")])
        #expect(Self.problem(.seconds, "0") == "expected a number of seconds greater than 0, got \"0\"")
        #expect(Self.problem(.url, "ftp://x") == "expected an http:// or https:// URL, got \"ftp://x\"")
        #expect(Self.problem(.url, "http://") == "expected an http:// or https:// URL, got \"http://\"")
        #expect(Self.problem(.nonEmpty, "") == "expected a non-empty value")
    }

    @Test func filesMustExistAndBeFiles() throws {
        #expect(Self.problem(.readableFile, "/nonexistent/x") == "file \"/nonexistent/x\" does not exist")
        #expect(Self.problem(.readableFile, "/tmp") == "\"/tmp\" is a directory")
        #expect(Self.problem(.outputFile, "/nonexistent/dir/x") == "directory \"/nonexistent/dir\" does not exist")
        #expect(Self.problem(.directory, "/etc/hostname") == "\"/etc/hostname\" is not a directory")
        let path = NSTemporaryDirectory() + "/value-type-\(UUID().uuidString)"
        try Data("ssh-rsa AAAA".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ValueType.base64FileContents.convert(path) == [Field("", "c3NoLXJzYSBBQUFB")])
    }

    @Test func messagesStayOnOneLine() {
        #expect(quoted("a\nb\t\u{1}") == "\"a\\nb\\t\\u{1}\"")
    }
}

@Suite struct EC2ValueTypeTests {
    static func fields(_ type: ValueType, _ value: String) -> [String] {
        ((try? type.convert(value)) ?? []).map { "\($0.suffix)=\($0.value)" }
    }

    @Test(arguments: [
        ("/dev/sdb=ephemeral0", ["DeviceName=/dev/sdb", "VirtualName=ephemeral0"]),
        ("/dev/sdc=none", ["DeviceName=/dev/sdc", "NoDevice="]),
        ("/dev/sda1=snap-1234:20:false:io1:500", ["DeviceName=/dev/sda1", "Ebs.SnapshotId=snap-1234", "Ebs.VolumeSize=20", "Ebs.DeleteOnTermination=false", "Ebs.VolumeType=io1", "Ebs.Iops=500"]),
        ("/dev/sdd=:100", ["DeviceName=/dev/sdd", "Ebs.VolumeSize=100"]),
        ("/dev/sde=::true:gp2", ["DeviceName=/dev/sde", "Ebs.DeleteOnTermination=true", "Ebs.VolumeType=gp2"]),
    ])
    func blockDeviceMappings(text: String, expected: [String]) {
        #expect(Self.fields(.blockDeviceMapping, text) == expected)
    }

    @Test(arguments: [
        ("/dev/sdb", "expected DEVICE=none, DEVICE=ephemeralN or DEVICE=[SNAP-ID]:[SIZE]:[true|false]:[TYPE[:IOPS]], got \"/dev/sdb\""),
        ("/dev/sdb=", "empty mapping in \"/dev/sdb=\"; use /dev/sdb=none to suppress an existing mapping"),
        ("/dev/sdb=snap-1:big", "size in EBS mapping \"/dev/sdb=snap-1:big\" must be a whole number of GiB, got \"big\""),
        ("/dev/sdb=snap-1:1:maybe", "delete-on-termination in EBS mapping \"/dev/sdb=snap-1:1:maybe\" must be true or false, got \"maybe\""),
        ("/dev/sdb=snap-1:1:true:standard:100", "IOPS are not allowed with volume type standard in \"/dev/sdb=snap-1:1:true:standard:100\""),
        ("/dev/sdb=::::", "EBS mapping \"/dev/sdb=::::\" must give at least one element; use /dev/sdb=none to suppress an existing mapping"),
        ("/dev/sdb=snap-1:1:true:io1:100:9", "EBS mapping \"/dev/sdb=snap-1:1:true:io1:100:9\" must have the form DEVICE=[SNAP-ID]:[SIZE]:[true|false]:[TYPE[:IOPS]]"),
        ("/dev/sdb=ephemeralX", "expected ephemeralN (N a number) in \"/dev/sdb=ephemeralX\""),
        ("/dev/sdb=floppy", "expected DEVICE=none, DEVICE=ephemeralN or DEVICE=[SNAP-ID]:[SIZE]:[true|false]:[TYPE[:IOPS]], got \"/dev/sdb=floppy\""),
    ])
    func malformedBlockDeviceMappings(text: String, problem: String) {
        #expect(ValueTypeTests.problem(.blockDeviceMapping, text) == problem)
    }

    @Test func tags() {
        #expect(Self.fields(.tag, "Name=web") == ["Key=Name", "Value=web"])
        #expect(Self.fields(.tag, "flag") == ["Key=flag", "Value="])
        #expect(Self.fields(.tag, "a=b=c") == ["Key=a", "Value=b=c"])
        #expect(Self.fields(.tagKeyOptionalValue, "flag") == ["Key=flag"])
        #expect(Self.fields(.tagKeyOptionalValue, "flag=") == ["Key=flag", "Value="])
        #expect(ValueTypeTests.problem(.tag, "=x") == "expected KEY[=VALUE] with a non-empty KEY, got \"=x\"")
    }

    @Test func groupsByNameOrId() {
        let binding = ParameterBinding.groupNamesOrIds(names: "SecurityGroup", ids: "SecurityGroupId")
        let items = binding.bind([[Field("", "web")], [Field("", "sg-12")], [Field("", "db")]])
        #expect(items == [QueryItem("SecurityGroup.1", "web"), QueryItem("SecurityGroupId.1", "sg-12"), QueryItem("SecurityGroup.2", "db")])
    }

    @Test func resourceTypesFromIds() {
        #expect(ResourceType.of("i-0123") == "instance")
        #expect(ResourceType.of("emi-1") == "image")
        #expect(ResourceType.of("eni-attach-1") == "network-interface")
        #expect(ResourceType.of("nothing") == nil)
    }
}
