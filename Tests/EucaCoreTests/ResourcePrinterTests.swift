import Foundation
import Testing
@testable import EucaCore

/// The security-group, volume, snapshot, address, image, tag and account printers against
/// responses recorded from moto (and a few hand-written from the EC2 API reference); see
/// Fixtures/ec2/resources/SOURCES.md. Each expectation is the exact euca2ools 3.4.1 layout.
@Suite struct ResourcePrinterTests {
    static func response(_ name: String) throws -> XML.Element {
        try XML.parse(Fixture.data("ec2/resources/\(name).xml"))
    }

    static func lines(_ printer: Printer, _ name: String, _ arguments: ParsedArguments = ParsedArguments(),
                      showEmptyFields: Bool = false) throws -> [String] {
        printer.records(try response(name), arguments).map { $0.formatted(showEmptyFields: showEmptyFields) }
    }

    @Test func securityGroupsWithCidrGroupAndEgressRulesAndTags() throws {
        #expect(try Self.lines(.securityGroups, "describe-security-groups") == [
            "GROUP\tsg-0354bc440267b6126\t123456789012\tdefault\tdefault VPC security group\tvpc-fb27ffabc71cca95b",
            "PERMISSION\t123456789012\tdefault\tALLOWS\t-1\t\t\tTO\tCIDR\t0.0.0.0/0\tegress",
            "GROUP\tsg-e9655539c53a3940c\t123456789012\tweb\tweb servers\tvpc-fb27ffabc71cca95b",
            "PERMISSION\t123456789012\tweb\tALLOWS\ttcp\t22\t22\tFROM\tCIDR\t0.0.0.0/0\tingress",
            "PERMISSION\t123456789012\tweb\tALLOWS\ticmp\t-1\t-1\tFROM\tCIDR\t10.0.0.0/8\tingress",
            "PERMISSION\t123456789012\tweb\tALLOWS\ticmp\t-1\t-1\tFROM\tCIDR\t192.168.0.0/16\tingress",
            "PERMISSION\t123456789012\tweb\tALLOWS\t-1\t\t\tTO\tCIDR\t0.0.0.0/0\tegress",
            "TAG\tsecurity-group\tsg-e9655539c53a3940c\ttier\tfront",
            "GROUP\tsg-ed3282df5672f7f98\t123456789012\tdb\tdb tier\tvpc-fb27ffabc71cca95b",
            "PERMISSION\t123456789012\tdb\tALLOWS\ttcp\t3306\t3306\tFROM\tUSER\t123456789012\tID\tsg-e9655539c53a3940c\tingress",
            "PERMISSION\t123456789012\tdb\tALLOWS\t-1\t\t\tTO\tCIDR\t0.0.0.0/0\tegress",
        ])
    }

    @Test func sourceGroupGivenByNameAndIdPrintsBoth() throws {
        let xml = """
            <DescribeSecurityGroupsResponse><securityGroupInfo><item><ownerId>111</ownerId>
            <groupId>sg-1</groupId><groupName>db</groupName><groupDescription>d</groupDescription>
            <ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>1</fromPort><toPort>2</toPort>
            <groups><item><userId>222</userId><groupName>web</groupName><groupId>sg-2</groupId></item>
            <item><userId>333</userId><groupName>other</groupName></item></groups><ipRanges/></item>
            </ipPermissions></item></securityGroupInfo></DescribeSecurityGroupsResponse>
            """
        let records = Printer.securityGroups.records(try XML.parse(xml)).map { $0.formatted() }
        #expect(records == [
            "GROUP\tsg-1\t111\tdb\td\t",
            "PERMISSION\t111\tdb\tALLOWS\ttcp\t1\t2\tFROM\tUSER\t222\tNAME\tweb\tID\tsg-2\tingress",
            "PERMISSION\t111\tdb\tALLOWS\ttcp\t1\t2\tFROM\tUSER\t333\tNAME\tother\tingress",
        ])
    }

    @Test func createAndDeleteGroup() throws {
        var arguments = ParsedArguments()
        arguments.raw = ["group": ["web"], "description": ["web servers"]]
        #expect(try Self.lines(.createdSecurityGroup, "create-security-group", arguments)
                == ["GROUP\tsg-e9655539c53a3940c\tweb\tweb servers"])
        // moto's DeleteSecurityGroup response has no <return> (AWS sends true): an empty field.
        #expect(try Self.lines(.securityGroupDeleted, "delete-security-group") == ["RETURN\t"])
        #expect(Printer.securityGroupDeleted.records(try XML.parse("<R><return>true</return></R>")).map { $0.formatted() }
                == ["RETURN\ttrue"])
    }

    @Test func volumesWithAttachmentsAndTags() throws {
        #expect(try Self.lines(.volumes, "describe-volumes") == [
            "VOLUME\tvol-d2e66353d1cfc6e29\t5\t\tus-east-1a\tin-use\t2026-11-21T04:16:04.000Z\tgp2\t",
            "ATTACHMENT\tvol-d2e66353d1cfc6e29\ti-3fb8358089f441486\t/dev/sdf\tattached\t2026-11-21T04:16:04.000Z",
            "TAG\tvolume\tvol-d2e66353d1cfc6e29\tName\tdata",
            "TAG\tvolume\tvol-d2e66353d1cfc6e29\tempty\t",
        ])
        #expect(try Self.lines(.volumes, "describe-volumes-io1") == [
            "VOLUME\tvol-1a2b3c4d\t80\t\tus-east-1a\tin-use\t2013-12-18T22:35:00.000Z\tio1\t3000",
            "ATTACHMENT\tvol-1a2b3c4d\ti-1a2b3c4d\t/dev/sdh\tattached\t2013-12-18T22:35:00.000Z",
            "VOLUME\tvol-5e6f7a8b\t1\t\tPARTI00\tavailable\t2013-12-18T22:35:00.000Z\tstandard\t",
        ])
        #expect(try Self.lines(.volumes, "describe-volumes-io1", showEmptyFields: true)[2]
                == "VOLUME\tvol-5e6f7a8b\t1\t(nil)\tPARTI00\tavailable\t2013-12-18T22:35:00.000Z\tstandard\t(nil)")
    }

    @Test func createdVolumeHasSevenFields() throws {
        let lines = try Self.lines(.createdVolume, "create-volume")
        #expect(lines == ["VOLUME\tvol-d2e66353d1cfc6e29\t5\t\tus-east-1a\tavailable\t2026-11-21T04:16:04.000Z"])
        #expect(lines[0].split(separator: "\t", omittingEmptySubsequences: false).count == 7)
    }

    @Test func attachAndDetachPrintTheAttachment() throws {
        #expect(try Self.lines(.volumeAttachment, "attach-volume")
                == ["ATTACHMENT\tvol-d2e66353d1cfc6e29\ti-3fb8358089f441486\t/dev/sdf\tattaching\t2026-11-21T04:16:04.000Z"])
        #expect(try Self.lines(.volumeAttachment, "detach-volume")
                == ["ATTACHMENT\tvol-d2e66353d1cfc6e29\ti-3fb8358089f441486\t/dev/sdf\tdetaching\t2026-11-21T04:16:04.000Z"])
    }

    @Test func snapshots() throws {
        #expect(try Self.lines(.snapshots, "describe-snapshots") == [
            "SNAPSHOT\tsnap-3c35ab96ab9e4d4c3\tvol-d2e66353d1cfc6e29\tcompleted\t2026-11-21T04:16:04.000Z\t100%\t123456789012\t5\tsnap of v1",
            "TAG\tsnapshot\tsnap-3c35ab96ab9e4d4c3\tk\tv",
        ])
        // create-snapshot has no progress column.
        #expect(try Self.lines(.createdSnapshot, "create-snapshot")
                == ["SNAPSHOT\tsnap-3c35ab96ab9e4d4c3\tvol-d2e66353d1cfc6e29\tcompleted\t2026-11-21T04:16:04.000Z\t123456789012\t5\tsnap of v1"])
        #expect(try Self.lines(.snapshotAttribute, "describe-snapshot-attribute") == [
            "createVolumePermission\tsnap-3c35ab96ab9e4d4c3\tgroup\tall",
            "createVolumePermission\tsnap-3c35ab96ab9e4d4c3\tuserId\t111122223333",
        ])
    }

    @Test func snapshotsFromTwoListingsPrintOnceInFirstSeenOrder() throws {
        let page = try Self.response("describe-snapshots")
        #expect(Printer.snapshots([page, page]).count == 2)
    }

    @Test func addresses() throws {
        #expect(try Self.lines(.addresses, "describe-addresses") == [
            "ADDRESS\t127.221.185.211\ti-3fb8358089f441486\tvpc\teipalloc-f5074e278a6c2f1f5\teipassoc-90769e1506c82c5d9\teni-325ecd4b0ef6c6e2a\t10.14.76.56",
            "ADDRESS\t127.41.114.113\t\tvpc\teipalloc-32cf9539146e58762\t\t\t",
        ])
        #expect(try Self.lines(.allocatedAddress, "allocate-address")
                == ["ADDRESS\t127.221.185.211\tvpc\teipalloc-f5074e278a6c2f1f5"])
        // A classic (Eucalyptus EC2-classic) address has no domain: printed as standard.
        #expect(Printer.addresses.records(try XML.parse("<R><addressesSet><item><publicIp>1.2.3.4</publicIp><instanceId>i-1</instanceId></item></addressesSet></R>")).map { $0.formatted() }
                == ["ADDRESS\t1.2.3.4\ti-1\tstandard\t\t\t\t"])
    }

    @Test func associateAddressPrintsTheVpcOrTheClassicForm() throws {
        var vpc = ParsedArguments()
        vpc.raw = ["allocation-id": ["eipalloc-f5074e278a6c2f1f5"], "instance-id": ["i-3fb8358089f441486"]]
        #expect(try Self.lines(.associatedAddress, "associate-address", vpc)
                == ["ADDRESS\ti-3fb8358089f441486\teipalloc-f5074e278a6c2f1f5\teipassoc-90769e1506c82c5d9\t"])
        var classic = ParsedArguments()
        classic.raw = ["address": ["1.2.3.4"], "instance-id": ["i-1"]]
        #expect(Printer.associatedAddress.records(try XML.parse("<R/>"), classic).map { $0.formatted() }
                == ["ADDRESS\t1.2.3.4\ti-1"])
    }

    @Test func ebsImagesWithMappingsAndTags() throws {
        #expect(try Self.lines(.images, "describe-images") == [
            // Sorted by ID, as euca2ools prints them.
            "IMAGE\tami-0608530e98e57690f\t\t123456789012\tavailable\tprivate\t\tmachine\t\t\t\tstandard\t\t",
            "BLOCKDEVICEMAPPING\tEBS\t/dev/sda1\tsnap-20ffee55da2bb1cae\t15\tfalse\tstandard\t",
            "IMAGE\tami-dd562010adfedbf06\t123456789012/ebsimg\t123456789012\tavailable\tprivate\t\tmachine\t\t\t\tstandard\t\t",
            "BLOCKDEVICEMAPPING\tEBS\t/dev/sda1\tsnap-9ed2c8f2f97052a5f\t15\tfalse\tstandard\t",
            "TAG\timage\tami-dd562010adfedbf06\trole\tbase",
        ])
        let amazon = try Self.lines(.images, "describe-images-amazon")
        #expect(amazon.first?.hasPrefix("IMAGE\tami-03cf127a\t801119661308/Windows_Server-2016-English-Nano-Base-2017.10.13\tamazon\tavailable\tpublic\tx86_64\tmachine\t\t\twindows\tebs\thvm\txen") == true)
    }

    @Test func instanceStoreImageShowsItsLocationAliasAndEphemeralMapping() throws {
        #expect(try Self.lines(.images, "describe-images-instance-store") == [
            "IMAGE\temi-1a2b3c4d\tmybucket/centos.manifest.xml\teucalyptus\tavailable\tpublic\tx86_64\tmachine\teki-1a2b3c4d\teri-1a2b3c4d\t\tinstance-store\tparavirtual\txen",
            "BLOCKDEVICEMAPPING\tEPHEMERAL\t/dev/sdb\tephemeral0",
            "BLOCKDEVICEMAPPING\tEBS\t/dev/sdc\t\t20\ttrue\tio1\t400",
        ])
    }

    @Test func imagesListedByTwoQueriesPrintOnce() throws {
        let owned = try Self.response("describe-images")
        let records = Printer.images([owned, try Self.response("describe-images-amazon"), owned])
        let imageLines = records.filter { $0.fields.first == "IMAGE" }.compactMap { $0.fields[1] }
        #expect(imageLines == ["ami-03cf127a", "ami-0608530e98e57690f", "ami-dd562010adfedbf06"])
    }

    @Test func imageAttributes() throws {
        #expect(try Self.lines(.imageAttribute, "describe-image-attribute-launch-permission") == [
            "launchPermission\tami-dd562010adfedbf06\tuserId\t111122223333",
            "launchPermission\tami-dd562010adfedbf06\tgroup\tall",
        ])
        // moto answers <description><value/></description> for an image without one.
        #expect(try Self.lines(.imageAttribute, "describe-image-attribute-description")
                == ["description\tami-dd562010adfedbf06\t\t"])
        // <kernel/> without a value: the attribute is not set, nothing is printed.
        #expect(try Self.lines(.imageAttribute, "describe-image-attribute-kernel") == [])
        #expect(Printer.imageAttribute.records(try XML.parse("<R><imageId>emi-1</imageId><kernel><value>eki-2</value></kernel></R>")).map { $0.formatted() }
                == ["kernel\temi-1\t\teki-2"])
        #expect(try Self.lines(.imageAttribute, "describe-image-attribute-product-codes") == [
            "productCodes\tami-61a54008\tproductCode\t[marketplace: a1b2c3d4e5f6g7h8i9j10k11]",
            "productCodes\tami-61a54008\tproductCode\t774F4FF8",
        ])
        #expect(try Self.lines(.imageAttribute, "describe-image-attribute-block-device-mapping") == [
            "blockDeviceMapping\tami-61a54008\tblockDeviceMap\t/dev/sda1: snap-1a2b3c4d",
            "blockDeviceMapping\tami-61a54008\tblockDeviceMap\t/dev/sdb: ephemeral0",
        ])
        #expect(try Self.lines(.imageId, "register-image") == ["IMAGE\tami-dd562010adfedbf06"])
    }

    @Test func tagsAndAccountAttributes() throws {
        #expect(try Self.lines(.tags, "describe-tags") == [
            "TAG\tsecurity-group\tsg-e9655539c53a3940c\ttier\tfront",
            "TAG\tvolume\tvol-d2e66353d1cfc6e29\tName\tdata",
            "TAG\tvolume\tvol-d2e66353d1cfc6e29\tempty\t",
            "TAG\tvolume\tvol-d2e66353d1cfc6e29\tenv\ttest",
            "TAG\tsnapshot\tsnap-3c35ab96ab9e4d4c3\tk\tv",
            "TAG\timage\tami-dd562010adfedbf06\trole\tbase",
            "TAG\tinstance\ti-3fb8358089f441486\tenv\ttest",
        ])
        let attributes = try Self.lines(.accountAttributes, "describe-account-attributes")
        #expect(attributes.prefix(2) == ["ACCOUNTATTRIBUTE\tvpc-max-security-groups-per-interface", "VALUE\t5"])
        #expect(attributes.contains("ACCOUNTATTRIBUTE\tsupported-platforms"))
        let platforms = attributes.firstIndex(of: "ACCOUNTATTRIBUTE\tsupported-platforms")!
        #expect(attributes[platforms + 1...platforms + 2] == ["VALUE\tEC2", "VALUE\tVPC"])
    }

    @Test func createdTagsEchoEveryResourceAndTag() throws {
        var arguments = ParsedArguments()
        arguments.raw = ["resource": ["i-1", "emi-2"]]
        arguments.converted = ["tag": [[Field("Key", "Name"), Field("Value", "web")], [Field("Key", "flag"), Field("Value", "")]]]
        #expect(Printer.createdTags.records(try XML.parse("<R/>"), arguments).map { $0.formatted() } == [
            "TAG\tinstance\ti-1\tName\tweb", "TAG\tinstance\ti-1\tflag\t",
            "TAG\timage\temi-2\tName\tweb", "TAG\timage\temi-2\tflag\t",
        ])
    }
}
