import Foundation
import Testing
@testable import EucaCommands
@testable import EucaCore

/// euca-run-instances' option logic: what a command line becomes as RunInstances parameters,
/// and the exact message for each malformed value. Table-driven.
@Suite struct RunInstancesOptionTests {
    static func parse(_ command: Command, _ arguments: [String]) throws(UsageError) -> ParsedArguments {
        try ArgumentParser(command).parse(arguments).1
    }

    /// Every parameter euca-run-instances sends for `arguments`, sorted by name; the generated
    /// client token is "TOKEN".
    static func parameters(_ arguments: [String]) throws(UsageError) -> [String: String] {
        let parsed = try parse(runInstances, arguments)
        let items = ArgumentParser.parameters(for: runInstances, parsed)
            + (try RunInstancesRequest.parameters(parsed) { "TOKEN" })
        var table: [String: String] = [:]
        for item in items {
            #expect(table[item.name] == nil, "\(item.name) sent twice")
            table[item.name] = item.value
        }
        return table
    }

    static func usageError(_ arguments: [String], _ command: Command = runInstances) -> String? {
        do {
            let parsed = try parse(command, arguments)
            if command.name == "euca-run-instances" { _ = try RunInstancesRequest.parameters(parsed) { "TOKEN" } }
            return nil
        } catch {
            return error.message
        }
    }

    static func problem(_ type: ValueType, _ value: String) -> String? {
        do {
            _ = try type.convert(value)
            return nil
        } catch {
            return error.problem
        }
    }

    @Test func defaults() throws {
        #expect(try Self.parameters(["ami-12345678"]) == [
            "ImageId": "ami-12345678", "MinCount": "1", "MaxCount": "1", "ClientToken": "TOKEN",
        ])
    }

    @Test(arguments: [
        ("1", 1, 1), ("2", 2, 2), ("1-5", 1, 5), ("5-2", 2, 5), ("10-10", 10, 10), ("007", 7, 7),
    ])
    func instanceCounts(value: String, minimum: Int, maximum: Int) throws {
        let sent = try Self.parameters(["-n", value, "ami-12345678"])
        #expect(sent["MinCount"] == String(minimum) && sent["MaxCount"] == String(maximum))
        // The euca2ools 1.x long spelling
        #expect(try Self.parameters(["--instance-count=\(value)", "emi-12345678"])["MaxCount"] == String(maximum))
    }

    @Test(arguments: ["", "0", "-1", "1-", "-3", "a", "1-2-3", "2.5", " 2", "1-0", "٣", "1 - 2", "99999999999999999999"])
    func malformedInstanceCounts(value: String) {
        #expect(Self.problem(.instanceCount, value)
                == "expected MIN or MIN-MAX with whole numbers of at least 1, got \(quoted(value))")
        #expect(Self.usageError(["-n", value, "ami-12345678"])
                == "-n/--instance-count: expected MIN or MIN-MAX with whole numbers of at least 1, got \(quoted(value))")
    }

    @Test func userData() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-inst-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cloud-init.yaml").path
        try Data("#cloud-config\npackages: [nginx]\n".utf8).write(to: URL(fileURLWithPath: file))

        #expect(try Self.parameters(["-d", "hello world", "ami-1"])["UserData"] == "aGVsbG8gd29ybGQ=")
        #expect(try Self.parameters(["--user-data=hello world", "ami-1"])["UserData"] == "aGVsbG8gd29ybGQ=")
        #expect(try Self.parameters(["-f", file, "ami-1"])["UserData"]
                == Data("#cloud-config\npackages: [nginx]\n".utf8).base64EncodedString())
        #expect(try Self.parameters(["--user-data-file", file, "ami-1"])["UserData"] != nil)
        // A value naming a file is almost certainly a mistake for -f.
        #expect(Self.usageError(["-d", file, "ami-1"])
                == "-d/--user-data: \(quoted(file)) is the name of a file; to send the file's contents use -f/--user-data-file, to send the text itself use --user-data-force")
        #expect(try Self.parameters(["--user-data-force", file, "ami-1"])["UserData"] == Data(file.utf8).base64EncodedString())
        #expect(Self.usageError(["-d", "x", "-f", file, "ami-1"]) == "-d/--user-data and -f/--user-data-file cannot be used together")
        #expect(Self.usageError(["-f", directory.path + "/missing", "ami-1"])
                == "-f/--user-data-file: file \(quoted(directory.path + "/missing")) does not exist")
    }

    @Test func groupsByNameAndIdOutsideAVPC() throws {
        let sent = try Self.parameters(["-g", "web", "--group", "sg-0123abcd", "-g", "db", "ami-1"])
        #expect(sent["SecurityGroup.1"] == "web" && sent["SecurityGroup.2"] == "db")
        #expect(sent["SecurityGroupId.1"] == "sg-0123abcd")
        #expect(sent.keys.allSatisfy { !$0.hasPrefix("NetworkInterface") })
    }

    @Test func everyPlainOption() throws {
        let sent = try Self.parameters([
            "-k", "mykey", "-t", "m1.large", "-z", "one", "--kernel", "eki-11111111", "--ramdisk", "eri-22222222",
            "-b", "/dev/sdb=ephemeral0", "-b", "/dev/sdc=snap-12345678:20:false:io1:500", "-b", "/dev/sdd=none",
            "--monitor", "--disable-api-termination", "--instance-initiated-shutdown-behavior", "terminate",
            "--placement-group", "pg", "--tenancy", "dedicated", "--client-token", "my-token",
            "--ebs-optimized", "--addressing", "private", "--private-ip-address", "10.0.0.5",
            "-p", "arn:aws:iam::123456789012:instance-profile/web", "emi-12345678",
        ])
        #expect(sent == [
            "ImageId": "emi-12345678", "MinCount": "1", "MaxCount": "1", "KeyName": "mykey",
            "InstanceType": "m1.large", "Placement.AvailabilityZone": "one",
            "KernelId": "eki-11111111", "RamdiskId": "eri-22222222",
            "BlockDeviceMapping.1.DeviceName": "/dev/sdb", "BlockDeviceMapping.1.VirtualName": "ephemeral0",
            "BlockDeviceMapping.2.DeviceName": "/dev/sdc", "BlockDeviceMapping.2.Ebs.SnapshotId": "snap-12345678",
            "BlockDeviceMapping.2.Ebs.VolumeSize": "20", "BlockDeviceMapping.2.Ebs.DeleteOnTermination": "false",
            "BlockDeviceMapping.2.Ebs.VolumeType": "io1", "BlockDeviceMapping.2.Ebs.Iops": "500",
            "BlockDeviceMapping.3.DeviceName": "/dev/sdd", "BlockDeviceMapping.3.NoDevice": "",
            "Monitoring.Enabled": "true", "DisableApiTermination": "true",
            "InstanceInitiatedShutdownBehavior": "terminate", "Placement.GroupName": "pg",
            "Placement.Tenancy": "dedicated", "ClientToken": "my-token", "EbsOptimized": "true",
            "AddressingType": "private", "PrivateIpAddress": "10.0.0.5",
            "IamInstanceProfile.Arn": "arn:aws:iam::123456789012:instance-profile/web",
        ])
        #expect(try Self.parameters(["-p", "web-profile", "ami-1"])["IamInstanceProfile.Name"] == "web-profile")
    }

    @Test func subnetOptionsBecomeOneInterface() throws {
        let sent = try Self.parameters([
            "-s", "subnet-1a2b3c4d", "-g", "sg-11111111", "-g", "sg-22222222", "--private-ip-address", "10.0.0.5",
            "--secondary-address", "10.0.0.6", "--secondary-private-ip-address", "10.0.0.7",
            "--associate-public-ip-address", "yes", "ami-1",
        ])
        #expect(sent == [
            "ImageId": "ami-1", "MinCount": "1", "MaxCount": "1", "ClientToken": "TOKEN",
            "NetworkInterface.1.DeviceIndex": "0", "NetworkInterface.1.SubnetId": "subnet-1a2b3c4d",
            "NetworkInterface.1.SecurityGroupId.1": "sg-11111111", "NetworkInterface.1.SecurityGroupId.2": "sg-22222222",
            "NetworkInterface.1.AssociatePublicIpAddress": "true",
            "NetworkInterface.1.PrivateIpAddresses.1.PrivateIpAddress": "10.0.0.5",
            "NetworkInterface.1.PrivateIpAddresses.1.Primary": "true",
            "NetworkInterface.1.PrivateIpAddresses.2.PrivateIpAddress": "10.0.0.6",
            "NetworkInterface.1.PrivateIpAddresses.3.PrivateIpAddress": "10.0.0.7",
        ])
        // --associate-public-ip-address alone also means a VPC interface (device 0).
        #expect(try Self.parameters(["--associate-public-ip-address", "f", "ami-1"]) == [
            "ImageId": "ami-1", "MinCount": "1", "MaxCount": "1", "ClientToken": "TOKEN",
            "NetworkInterface.1.DeviceIndex": "0", "NetworkInterface.1.AssociatePublicIpAddress": "false",
        ])
        #expect(try Self.parameters(["-s", "subnet-1a2b3c4d", "--secondary-count", "2", "ami-1"])["NetworkInterface.1.SecondaryPrivateIpAddressCount"] == "2")
    }

    @Test func networkInterfacesComeBeforeTheOneBuiltFromOptions() throws {
        let sent = try Self.parameters([
            "-a", "eni-12345678:1", "--network-interface", ":2:subnet-aaaaaaaa:web tier:10.0.1.5:sg-1,sg-2:true::10.0.1.6,10.0.1.7",
            "-s", "subnet-1a2b3c4d", "ami-1",
        ])
        #expect(sent == [
            "ImageId": "ami-1", "MinCount": "1", "MaxCount": "1", "ClientToken": "TOKEN",
            "NetworkInterface.1.NetworkInterfaceId": "eni-12345678", "NetworkInterface.1.DeviceIndex": "1",
            "NetworkInterface.2.DeviceIndex": "2", "NetworkInterface.2.SubnetId": "subnet-aaaaaaaa",
            "NetworkInterface.2.Description": "web tier",
            "NetworkInterface.2.PrivateIpAddresses.1.PrivateIpAddress": "10.0.1.5",
            "NetworkInterface.2.PrivateIpAddresses.1.Primary": "true",
            "NetworkInterface.2.SecurityGroupId.1": "sg-1", "NetworkInterface.2.SecurityGroupId.2": "sg-2",
            "NetworkInterface.2.DeleteOnTermination": "true",
            "NetworkInterface.2.PrivateIpAddresses.2.PrivateIpAddress": "10.0.1.6",
            "NetworkInterface.2.PrivateIpAddresses.3.PrivateIpAddress": "10.0.1.7",
            "NetworkInterface.3.DeviceIndex": "0", "NetworkInterface.3.SubnetId": "subnet-1a2b3c4d",
        ])
        #expect(try Self.parameters(["-a", ":0:subnet-0123456789abcdef0:::::3", "ami-1"]) == [
            "ImageId": "ami-1", "MinCount": "1", "MaxCount": "1", "ClientToken": "TOKEN",
            "NetworkInterface.1.DeviceIndex": "0", "NetworkInterface.1.SubnetId": "subnet-0123456789abcdef0",
            "NetworkInterface.1.SecondaryPrivateIpAddressCount": "3",
        ])
    }

    @Test(arguments: [
        ("", "expected a network interface definition \(NetworkInterfaceDefinition.form), got \"\""),
        ("eni-12345678", "network interface definition \"eni-12345678\" must have at least 2 elements separated by \":\" (1 given); the form is \(NetworkInterfaceDefinition.form)"),
        ("::::::::::", "network interface definition \"::::::::::\" must have at most 9 elements separated by \":\" (11 given)"),
        ("vol-12345678:0", "first element of network interface definition \"vol-12345678:0\" must be a network interface ID (eni-…)"),
        ("eni-xyz:0", "first element of network interface definition \"eni-xyz:0\" must be a network interface ID (eni-…)"),
        (":", "second element of network interface definition \":\" (the device index) must not be empty"),
        (":one:subnet-1", "second element of network interface definition \":one:subnet-1\" (the device index) must be a whole number"),
        (":-1:subnet-1", "second element of network interface definition \":-1:subnet-1\" (the device index) must be a whole number"),
        (":0:vpc-1", "third element of network interface definition \":0:vpc-1\" must be a subnet ID (subnet-…)"),
        (":0:subnet-1::10.0.0", "fifth element of network interface definition \":0:subnet-1::10.0.0\" (the primary private address) must be an IPv4 address"),
        (":0:subnet-1:::web", "sixth element of network interface definition \":0:subnet-1:::web\" must list security groups by ID (sg-…), not by name"),
        (":0:subnet-1::::yes", "seventh element of network interface definition \":0:subnet-1::::yes\" (delete on termination) must be \"true\" or \"false\""),
        (":0:subnet-1:::::2:10.0.0.9", "eighth and ninth elements of network interface definition \":0:subnet-1:::::2:10.0.0.9\" cannot both be given: use a number of secondary addresses or a list of them"),
        (":0:subnet-1:::::many", "eighth element of network interface definition \":0:subnet-1:::::many\" (the number of secondary addresses) must be a whole number"),
        (":0:subnet-1::::::10.0.0.9,x", "ninth element of network interface definition \":0:subnet-1::::::10.0.0.9,x\" (secondary private addresses) must list IPv4 addresses, got \"x\""),
    ])
    func malformedNetworkInterfaces(value: String, message: String) {
        #expect(Self.problem(.networkInterface, value) == message)
        #expect(Self.usageError(["-a", value, "ami-1"]) == "-a/--network-interface: " + message)
    }

    @Test func vpcMisuse() {
        #expect(Self.usageError(["-s", "subnet-1", "-g", "web", "ami-1"])
                == "-g/--group: with -s/--subnet, -a/--network-interface or --associate-public-ip-address, security groups must be given by ID (sg-…), not by name (\"web\")")
        #expect(Self.usageError(["--secondary-count", "2", "ami-1"])
                == "--secondary-count requires -s/--subnet, -a/--network-interface or --associate-public-ip-address")
        #expect(Self.usageError(["--secondary-address", "10.0.0.1", "--secondary-count", "2", "-s", "subnet-1", "ami-1"])
                == "--secondary-address and --secondary-count cannot be used together")
        #expect(Self.usageError(["--associate-public-ip-address=maybe", "ami-1"])
                == "--associate-public-ip-address: expected true or false, got \"maybe\"")
        #expect(Self.usageError(["--private-ip-address", "10.0.0.256", "ami-1"])
                == "--private-ip-address: expected an IPv4 address such as 10.0.0.5, got \"10.0.0.256\"")
    }

    @Test(arguments: [
        ("--tenancy", "shared", "--tenancy: expected one of default, dedicated, host, got \"shared\""),
        ("--instance-initiated-shutdown-behavior", "halt", "--instance-initiated-shutdown-behavior: expected one of stop, terminate, got \"halt\""),
        ("--client-token", String(repeating: "x", count: 65), "--client-token: expected a token of 1 to 64 printable ASCII characters, got \"\(String(repeating: "x", count: 65))\""),
        ("--client-token", "tök", "--client-token: expected a token of 1 to 64 printable ASCII characters, got \"tök\""),
        ("-b", "/dev/sdb=ephemeral", "-b/--block-device-mapping: expected ephemeralN (N a number) in \"/dev/sdb=ephemeral\""),
        ("--secondary-count", "0", "--secondary-count: expected an integer of at least 1, got \"0\""),
        ("-k", "", "-k/--key: expected a non-empty value"),
    ])
    func malformedValues(option: String, value: String, message: String) {
        #expect(Self.usageError([option, value, "ami-1"]) == message)
    }

    @Test func missingImage() {
        #expect(Self.usageError(["-n", "2"]) == "the following arguments are required: IMAGE")
    }

    @Test func generatedClientTokensAreFreshUUIDs() throws {
        let parsed = try Self.parse(runInstances, ["ami-1"])
        let first = try RunInstancesRequest.parameters(parsed) { UUID().uuidString.lowercased() }
        let second = try RunInstancesRequest.parameters(parsed) { UUID().uuidString.lowercased() }
        let tokens = [first, second].map { $0.first { $0.name == "ClientToken" }!.value }
        #expect(tokens[0] != tokens[1])
        #expect(tokens.allSatisfy { UUID(uuidString: $0) != nil })
    }

    @Test(arguments: [
        ("1", "true"), ("t", "true"), ("TRUE", "true"), (" yes ", "true"), ("y", "true"), ("on", "true"),
        ("0", "false"), ("f", "false"), ("False", "false"), ("no", "false"), ("n", "false"), ("off", "false"),
    ])
    func flexibleBooleans(value: String, sent: String) throws {
        #expect(try ValueType.flexibleBoolean.convert(value) == [Field("", sent)])
    }

    @Test(arguments: [
        ("/dev/sda1=::true", nil), ("/dev/sdb=::false", nil),
        ("/dev/sda1", "expected DEVICE=::true or DEVICE=::false, got \"/dev/sda1\""),
        ("/dev/sda1=true", "expected DEVICE=::true or DEVICE=::false, got \"/dev/sda1=true\""),
        ("/dev/sda1=snap-1::true", "expected DEVICE=::true or DEVICE=::false, got \"/dev/sda1=snap-1::true\""),
        ("=::true", "expected DEVICE=::true or DEVICE=::false, got \"=::true\""),
        ("/dev/sda1=::yes", "expected DEVICE=::true or DEVICE=::false, got \"/dev/sda1=::yes\""),
    ] as [(String, String?)])
    func deleteOnTerminationMappings(value: String, problem: String?) {
        #expect(Self.problem(.deleteOnTerminationMapping, value) == problem)
    }

    @Test func modifyInstanceAttributeParameters() throws {
        func sent(_ arguments: [String]) throws -> [QueryItem] {
            ArgumentParser.parameters(for: modifyInstanceAttribute, try Self.parse(modifyInstanceAttribute, arguments))
        }
        #expect(try sent(["-b", "/dev/sda1=::false", "-b", "/dev/sdf=::true", "i-1"]) == [
            QueryItem("InstanceId", "i-1"),
            QueryItem("BlockDeviceMapping.1.DeviceName", "/dev/sda1"), QueryItem("BlockDeviceMapping.1.Ebs.DeleteOnTermination", "false"),
            QueryItem("BlockDeviceMapping.2.DeviceName", "/dev/sdf"), QueryItem("BlockDeviceMapping.2.Ebs.DeleteOnTermination", "true"),
        ])
        #expect(try sent(["-g", "sg-1", "-g", "sg-2", "i-1"]).dropFirst() == [QueryItem("GroupId.1", "sg-1"), QueryItem("GroupId.2", "sg-2")])
        #expect(try sent(["--kernel", "eki-12345678", "i-1"]).last == QueryItem("Kernel.Value", "eki-12345678"))
        #expect(try sent(["--user-data", "aGk=", "i-1"]).last == QueryItem("UserData.Value", "aGk="))
        #expect(Self.usageError(["--user-data", "hi there", "i-1"], modifyInstanceAttribute)
                == "--user-data: expected base64-encoded data (--user-data-file encodes a file for you), got \"hi there\"")
        #expect(Self.usageError(["-t", "m1.large", "--kernel", "eki-1", "i-1"], modifyInstanceAttribute)
                == "-t/--instance-type and --kernel cannot be used together")
    }
}
