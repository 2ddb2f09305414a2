import Foundation
import Testing
@testable import EucaCommands
@testable import EucaCore

/// The instance printers against responses recorded from moto and hand-written ones
/// (Fixtures/ec2/instances/SOURCES.md), line for line as euca2ools 3.4.1 prints them.
@Suite struct InstancePrinterTests {
    static func response(_ name: String) throws -> XML.Element {
        try XML.parse(Fixture.data("ec2/instances/\(name).xml"))
    }

    static func lines(_ printer: Printer, _ name: String, _ arguments: ParsedArguments = ParsedArguments(),
                      showEmptyFields: Bool = false) throws -> [String] {
        printer.records(try response(name), arguments).map { $0.formatted(showEmptyFields: showEmptyFields) }
    }

    /// The golden files of the end-to-end tests: euca2ools 3.4.1's own output.
    static func golden(_ command: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EndToEndTests/Fixtures/golden/\(command).txt")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Ids, times and addresses vary between runs (the same rules as the end-to-end Golden).
    static func normalize(_ text: String) -> String {
        let rules: [(String, String)] = [
            (#"\b(i|r|vol|snap|ami|sg|vpc|subnet|eni-attach|eni)-[0-9a-f]{8,17}\b"#, "$1-ID"),
            (#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, "TIME"),
            (#"\bec2-\d+-\d+-\d+-\d+\.compute-1\.amazonaws\.com"#, "ec2-IP.compute-1.amazonaws.com"),
            (#"\bip-\d+-\d+-\d+-\d+\.ec2\.internal"#, "ip-IP.ec2.internal"),
            (#"(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d/])"#, "IP"),
        ]
        return rules.reduce(text) { text, rule in
            let regex = try! NSRegularExpression(pattern: rule.0)
            return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                  withTemplate: rule.1)
        }
    }

    @Test func runInstancesMatchesEuca2oolsGoldenOutput() throws {
        let output = try Self.lines(.reservation, "run-instances").map { $0 + "\n" }.joined()
        #expect(Self.normalize(output) == Self.normalize(try Self.golden("euca-run-instances")))
        #expect(output.hasPrefix("RESERVATION\tr-43e11fe69145809d0\t123456789012\t\n"))
    }

    @Test func describeInstancesPrintsEveryFieldAndTags() throws {
        let lines = try Self.lines(.reservations, "describe-instances")
        #expect(lines.count == 17)
        #expect(lines[0] == "RESERVATION\tr-43e11fe69145809d0\t123456789012\t")
        #expect(lines[1] == "INSTANCE\ti-cfb932fc64137281d\tami-000c540e28953ace2\tec2-54-214-99-210.compute-1.amazonaws.com\tip-10-208-207-73.ec2.internal\trunning\tmykey\t0\t\tm1.small\t2026-11-21T04:12:56.000Z\tus-east-1a\t\t\tLinux/UNIX\tmonitoring-disabled\t54.214.99.210\t10.208.207.73\tvpc-6e30177fa7595ea94\tsubnet-6bb473a845a68aeb2\tebs\t\t\t\t\thvm\txen\tABCDE\tsg-6a3aa4487d34fa624\tdefault\tfalse\t\tx86_64")
        #expect(lines[1].split(separator: "\t", omittingEmptySubsequences: false).count == 33)
        #expect(lines[2] == "BLOCKDEVICE\t/dev/sda1\tvol-ed2c1883325239974\t2026-11-21T04:12:56.000Z\ttrue\t\t")
        #expect(lines[3] == "NETWORKINTERFACE\teni-b1d408ac82c162a06\tsubnet-6bb473a845a68aeb2\tvpc-6e30177fa7595ea94\t123456789012\tin-use\t10.208.207.73\tip-10-208-207-73.ec2.internal\ttrue")
        #expect(lines[4] == "ATTACHMENT\t\teni-attach-3791438ff639424b2\t0\tattached\t2026-11-21T04:12:56.000Z\tfalse")
        #expect(lines[5] == "ASSOCIATION\t54.214.99.210\t123456789012\t10.208.207.73")
        #expect(lines[6] == "GROUP\tsg-6a3aa4487d34fa624\tweb")
        #expect(lines[7] == "PRIVATEIPADDRESS\t10.208.207.73\t\tprimary")
        // Tags follow the instance's interfaces; an empty value is an empty last field.
        #expect(lines[8] == "TAG\tinstance\ti-cfb932fc64137281d\tName\tweb-1")
        #expect(lines[9] == "TAG\tinstance\ti-cfb932fc64137281d\trole\t")
        #expect(lines[10].hasPrefix("INSTANCE\ti-6dd695d5ccb6ff2d2\t"))
    }

    @Test func showEmptyFieldsMarksEveryEmptyField() throws {
        let lines = try Self.lines(.reservations, "describe-instances", showEmptyFields: true)
        #expect(lines[0] == "RESERVATION\tr-43e11fe69145809d0\t123456789012\t(nil)")
        #expect(lines[4] == "ATTACHMENT\t(nil)\teni-attach-3791438ff639424b2\t0\tattached\t2026-11-21T04:12:56.000Z\tfalse")
        #expect(lines[1].contains("\tLinux/UNIX\t") && lines[1].components(separatedBy: "(nil)").count - 1 == 8)
    }

    @Test func anEmptyAssociationPrintsNoAssociationLine() throws {
        let lines = try Self.lines(.reservations, "describe-instances-private-only")
        #expect(!lines.contains { $0.hasPrefix("ASSOCIATION") })
        #expect(lines.contains("PRIVATEIPADDRESS\t172.31.0.77\t\tprimary"))
        // No public address: the dns name and ip address fields are empty.
        let instance = lines.first { $0.hasPrefix("INSTANCE") }!.split(separator: "\t", omittingEmptySubsequences: false)
        #expect(instance[3] == "" && instance[16] == "" && instance[17] == "172.31.0.77")
    }

    @Test func instancesAreOrderedByLaunchTimeAndStable() throws {
        func instance(_ id: String, _ time: String?) -> XML.Element {
            XML.Element(name: "item", children: [XML.Element(name: "instanceId", text: id)]
                + (time.map { [XML.Element(name: "launchTime", text: $0)] } ?? []))
        }
        let reservation = XML.Element(name: "item", children: [
            XML.Element(name: "reservationId", text: "r-1"),
            XML.Element(name: "groupSet", children: [
                XML.Element(name: "item", children: [XML.Element(name: "groupId", text: "sg-1")]),
                XML.Element(name: "item", children: [XML.Element(name: "groupName", text: "web"),
                                                     XML.Element(name: "groupId", text: "sg-2")]),
            ]),
            XML.Element(name: "instancesSet", children: [
                instance("i-c", "2026-01-02T00:00:00.000Z"), instance("i-a", "2026-01-01T00:00:00.000Z"),
                instance("i-b", "2026-01-02T00:00:00.000Z"), instance("i-d", "2026-01-01T00:00:00.000Z"),
            ]),
        ])
        let records = Record.reservation(reservation)
        #expect(records[0].formatted() == "RESERVATION\tr-1\t\tsg-1, web")
        #expect(records.dropFirst().map { $0.fields[1] } == ["i-a", "i-d", "i-c", "i-b"])
        // No monitoring element: the field is empty, not "monitoring-".
        #expect(records[1].fields[15] == nil)
    }

    @Test func spotInstanceRequestIdIsPrinted() throws {
        let instance = XML.Element(name: "item", children: [
            XML.Element(name: "instanceId", text: "i-1"),
            XML.Element(name: "instanceLifecycle", text: "spot"),
            XML.Element(name: "spotInstanceRequestId", text: "sir-12345678"),
            XML.Element(name: "productCodes", children: [
                XML.Element(name: "item", children: [XML.Element(name: "productCode", text: "abc")]),
                XML.Element(name: "item", children: [XML.Element(name: "productCode", text: "def")]),
            ]),
            XML.Element(name: "iamInstanceProfile", children: [XML.Element(name: "arn", text: "arn:aws:iam::1:instance-profile/p")]),
        ])
        let fields = Record.instance(instance)[0].fields
        #expect(fields.count == 33)
        #expect(fields[8] == "abc,def")
        #expect(fields[21] == "spot" && fields[22] == "sir-12345678" && fields[23] == nil)
        #expect(fields[31] == "arn:aws:iam::1:instance-profile/p")
    }

    @Test func stateChangesOfTerminateStopAndStart() throws {
        #expect(try Self.lines(.instanceStateChanges, "terminate-instances") == [
            "INSTANCE\ti-cfb932fc64137281d\trunning\tshutting-down",
            "INSTANCE\ti-6dd695d5ccb6ff2d2\tstopped\tshutting-down",
        ])
        #expect(try Self.lines(.instanceStateChanges, "stop-instances") == [
            "INSTANCE\ti-6dd695d5ccb6ff2d2\trunning\tstopping",
        ])
    }

    @Test func monitoringLinesHaveNoTag() throws {
        #expect(try Self.lines(.instanceMonitoring, "monitor-instances") == [
            "i-1234567890abcdef0\tmonitoring-pending",
            "i-0598c7d356eba48d7\tmonitoring-pending",
        ])
    }

    @Test func instanceStatusFromMoto() throws {
        #expect(try Self.lines(.instanceStatuses, "describe-instance-status") == [
            "INSTANCE\ti-cfb932fc64137281d\tus-east-1a\trunning\t16\tok\tok\tactive\t",
            "SYSTEMSTATUS\treachability\tpassed\t",
            "INSTANCESTATUS\treachability\tpassed\t",
        ])
    }

    @Test func instanceStatusWithEventsAndHideHealthy() throws {
        let expected = [
            "INSTANCE\ti-1234567890abcdef0\tus-east-1d\trunning\t16\timpaired\timpaired\tretiring\t2026-12-01T14:00:00.000Z",
            "SYSTEMSTATUS\treachability\tfailed\t2026-11-20T09:30:00.000Z",
            "INSTANCESTATUS\treachability\tfailed\t2026-11-20T10:00:00.000Z",
            "EVENT\tinstance-retirement\t2026-12-05T00:00:00.000Z\t2026-12-06T00:00:00.000Z\tThe instance is running on degraded hardware",
            "EVENT\tsystem-reboot\t2026-12-01T14:00:00.000Z\t2026-12-01T16:00:00.000Z\tScheduled reboot",
        ]
        let all = try Self.lines(.instanceStatuses, "describe-instance-status-events")
        #expect(Array(all.prefix(5)) == expected)
        #expect(all[5] == "INSTANCE\ti-0598c7d356eba48d7\tus-east-1d\trunning\t16\tok\tok\tactive\t")
        let parsed = try ArgumentParser(describeInstanceStatus).parse(["--hide-healthy"]).1
        #expect(try Self.lines(.instanceStatuses, "describe-instance-status-events", parsed) == expected)
    }

    @Test func earliestEventStartComparesTimes() {
        #expect(InstanceStatusDates.earliest([]) == nil)
        #expect(InstanceStatusDates.earliest(["2026-12-05T00:00:00Z", "2026-12-01T14:00:00.000Z"]) == "2026-12-01T14:00:00.000Z")
        #expect(InstanceStatusDates.earliest(["soon", "2026-12-05T00:00:00Z"]) == "2026-12-05T00:00:00Z")
    }

    @Test func consoleOutputFromMoto() throws {
        let text = ConsoleOutput.text(try Self.response("get-console-output"), raw: false)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "i-cfb932fc64137281d")
        #expect(lines[1] == "2026-11-21T04:12:59.000Z")
        #expect(lines[2].hasPrefix("Linux version 2.6.16-xenU"))
        // The output ends in a newline and print adds another.
        #expect(text.hasSuffix("Enabling fast FPU save and restore... done.\n\n"))
    }

    @Test func consoleOutputEscapesControlCharacters() throws {
        let response = try Self.response("get-console-output-control")
        #expect(ConsoleOutput.text(response, raw: false)
                == "i-1234567890abcdef0\n2026-11-21T04:00:00.000Z\nboot\tok\r\n^[[1mbold^[[0m ^A^? café ? end\n\n")
        #expect(ConsoleOutput.text(response, raw: true)
                == "i-1234567890abcdef0\n2026-11-21T04:00:00.000Z\nboot\tok\r\n\u{1B}[1mbold\u{1B}[0m \u{01}\u{7F} café ? end\n\n")
        #expect(ConsoleOutput.escapeControlCharacters("\u{00}\u{08}\u{0B}\u{0C}\u{1C}\u{1F}") == "^@^H^K^L^\\^_")
        // No output yet: the two header lines and an empty line.
        let empty = XML.Element(name: "GetConsoleOutputResponse", children: [XML.Element(name: "instanceId", text: "i-1")])
        #expect(ConsoleOutput.text(empty, raw: false) == "i-1\n\n\n")
    }

    @Test func instanceTypesAWSShape() throws {
        #expect(InstanceTypes.lines([try Self.response("describe-instance-types-aws")], showCapacity: false, byZone: false) == [
            "INSTANCETYPE\tName      CPUs  Memory (MiB)  Disk (GiB)",
            "INSTANCETYPE\tm1.small     1          1740         160",
            "INSTANCETYPE\tt2.micro     1          1024           0",
        ])
    }

    @Test func instanceTypesEucalyptusShape() throws {
        let page = [try Self.response("describe-instance-types-eucalyptus")]
        #expect(InstanceTypes.lines(page, showCapacity: false, byZone: false) == [
            "INSTANCETYPE\tName         CPUs  Memory (MiB)  Disk (GiB)",
            "INSTANCETYPE\tt1.micro        1           256           5",
            "INSTANCETYPE\tm1.small        1           256           5",
            "INSTANCETYPE\tcc2.8xlarge    16         61440         120",
        ])
        #expect(InstanceTypes.lines(page, showCapacity: true, byZone: false) == [
            "INSTANCETYPE\tName         CPUs  Memory (MiB)  Disk (GiB)  Used / Total  Used %",
            "INSTANCETYPE\tt1.micro        1           256           5     4 /    24     17%",
            "INSTANCETYPE\tm1.small        1           256           5     6 /    24     25%",
            "INSTANCETYPE\tcc2.8xlarge    16         61440         120     1 /     1    100%",
        ])
        let byZone = InstanceTypes.lines(page, showCapacity: true, byZone: true)
        #expect(byZone == [
            "AVAILABILITYZONE\tone",
            "INSTANCETYPE\tName         CPUs  Memory (MiB)  Disk (GiB)  Used / Total  Used %",
            "INSTANCETYPE\tt1.micro        1           256           5     4 /    16     25%",
            "INSTANCETYPE\tm1.small        1           256           5     1 /    16      6%",
            "INSTANCETYPE\tcc2.8xlarge    16         61440         120     0 /     0        ",
            "",
            "AVAILABILITYZONE\ttwo",
            // 5 of 8 is 62.5 %: rounded half to even, as Python's format does.
            "INSTANCETYPE\tName         CPUs  Memory (MiB)  Disk (GiB)  Used / Total  Used %",
            "INSTANCETYPE\tt1.micro        1           256           5     0 /     8      0%",
            "INSTANCETYPE\tm1.small        1           256           5     5 /     8     62%",
            "INSTANCETYPE\tcc2.8xlarge    16         61440         120     1 /     1    100%",
            "",
        ])
    }

    @Test func instanceAttributes() throws {
        func render(_ name: String, _ attribute: String, empty: Bool = false) throws -> String {
            String(decoding: InstanceAttribute.render(try Self.response(name), attribute: attribute, showEmptyFields: empty), as: UTF8.self)
        }
        #expect(try render("describe-instance-attribute-instancetype", "instanceType") == "instanceType\ti-cfb932fc64137281d\tm1.small\n")
        #expect(try render("describe-instance-attribute-groupset", "groupSet") == "groupSet\ti-cfb932fc64137281d\tsg-6a3aa4487d34fa624\n")
        let userData = try XML.parse("<R><instanceId>i-1</instanceId><userData><value>\(Data("#!/bin/sh\necho hi".utf8).base64EncodedString())</value></userData></R>")
        #expect(String(decoding: InstanceAttribute.render(userData, attribute: "userData", showEmptyFields: false), as: UTF8.self)
                == "userData\ti-1\n#!/bin/sh\necho hi\n")
        let noUserData = try XML.parse("<R><instanceId>i-1</instanceId><userData/></R>")
        #expect(String(decoding: InstanceAttribute.render(noUserData, attribute: "userData", showEmptyFields: false), as: UTF8.self)
                == "userData\ti-1\t\n")
        #expect(String(decoding: InstanceAttribute.render(noUserData, attribute: "kernel", showEmptyFields: true), as: UTF8.self)
                == "kernel\ti-1\t(nil)\n")
        let mappings = try XML.parse("<R><instanceId>i-1</instanceId><blockDeviceMapping><item><deviceName>/dev/sda1</deviceName><ebs><volumeId>vol-1</volumeId><status>attached</status><attachTime>2026-01-01T00:00:00.000Z</attachTime><deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping></R>")
        #expect(String(decoding: InstanceAttribute.render(mappings, attribute: "blockDeviceMapping", showEmptyFields: false), as: UTF8.self)
                == "BLOCKDEVICE\t/dev/sda1\tvol-1\t2026-01-01T00:00:00.000Z\ttrue\n")
    }

    @Test func passwordDataAndDecryption() throws {
        let key = try RSAPrivateKey(pem: Fixture.string("keys/user-key.pem"))
        let secret = "Pa55-w0rd!"
        let encrypted = Data(try key.publicKey.encryptPKCS1v15(Array(secret.utf8))).base64EncodedString()
        // Servers wrap the base64 text; whitespace is ignored.
        let wrapped = "\n  " + encrypted.prefix(40) + "\n  " + encrypted.dropFirst(40) + "\n"
        #expect(try WindowsPassword.decrypt(String(wrapped), with: key) == secret)
        #expect(throws: CommandFailure.self) { try WindowsPassword.decrypt("not base64!", with: key) }
        #expect(throws: CommandFailure.self) { try WindowsPassword.decrypt(Data(repeating: 7, count: 256).base64EncodedString(), with: key) }
        let response = try XML.parse("<R><instanceId>i-1</instanceId><passwordData>\(encrypted)</passwordData></R>")
        #expect(Printer.passwordData.records(response).map { $0.formatted() } == [encrypted])
        #expect(Printer.passwordData.records(try XML.parse("<R><instanceId>i-1</instanceId><passwordData/></R>")).isEmpty)
    }
}
