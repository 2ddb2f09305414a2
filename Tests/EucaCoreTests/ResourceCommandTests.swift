import Testing
@testable import EucaCommands
@testable import EucaCore

/// The resource commands' declarations: every 1.x and 3.x spelling parses to the same request,
/// and the checks that need several options give clear usage errors.
@Suite struct ResourceCommandTests {
    static func command(_ name: String) -> Command {
        guard let command = CommandLineTool(commands: allCommands).command(named: name) else {
            fatalError("no command \(name)")
        }
        return command
    }

    /// The request parameters for a command line, including those the action computes from
    /// several options; a usage error's message instead when the line is refused.
    static func request(_ name: String, _ words: [String]) -> Result<[String], UsageError> {
        let command = command(name)
        do {
            let (_, parsed) = try ArgumentParser(command).parse(words)
            var items = ArgumentParser.parameters(for: command, parsed)
            if case .query(let action) = command.action, let extra = action.extraParameters {
                let invocation = Invocation(programName: name, command: command, arguments: parsed,
                                            environment: [:], settings: nil, log: DebugLog(enabled: false))
                items += try extra(invocation)
            }
            return .success(items.map { "\($0.name)=\($0.value)" })
        } catch let error as UsageError {
            return .failure(error)
        } catch {
            return .failure(UsageError("unexpected \(error)"))
        }
    }

    static func sent(_ name: String, _ words: [String]) -> [String]? {
        try? request(name, words).get()
    }

    static func refusal(_ name: String, _ words: [String]) -> String? {
        if case .failure(let error) = request(name, words) { return error.message }
        return nil
    }

    @Test func classicNamesAndSpellings() {
        #expect(CommandLineTool(commands: allCommands).command(named: "euca-add-group")?.name == "euca-create-group")
        #expect(Self.sent("euca-create-group", ["web", "-d", "web servers"])
                == ["GroupName=web", "GroupDescription=web servers"])
        #expect(Self.sent("euca-create-group", ["--description=db", "--vpc", "vpc-1", "db"])
                == ["GroupName=db", "GroupDescription=db", "VpcId=vpc-1"])
        // 1.x and 3.x spellings of create-volume's zone.
        for zone in [["-z", "us-east-1a"], ["--zone", "us-east-1a"], ["--availability-zone", "us-east-1a"]] {
            #expect(Self.sent("euca-create-volume", zone + ["-s", "5"]) == ["AvailabilityZone=us-east-1a", "Size=5"])
        }
        #expect(Self.sent("euca-attach-volume", ["--instance", "i-1", "--device", "/dev/sdf", "vol-1"])
                == ["VolumeId=vol-1", "InstanceId=i-1", "Device=/dev/sdf"])
        #expect(Self.sent("euca-associate-address", ["--instance", "i-1", "1.2.3.4"])
                == ["PublicIp=1.2.3.4", "InstanceId=i-1"])
    }

    @Test func groupsByNameOrId() {
        #expect(Self.sent("euca-describe-groups", ["web", "sg-1", "db"])
                == ["GroupName.1=web", "GroupId.1=sg-1", "GroupName.2=db"])
        #expect(Self.sent("euca-delete-group", ["sg-1"]) == ["GroupId=sg-1"])
        #expect(Self.sent("euca-delete-group", ["web"]) == ["GroupName=web"])
    }

    @Test func volumeChecks() {
        #expect(Self.sent("euca-create-volume", ["-z", "a", "--snapshot", "snap-1", "-t", "io1", "-i", "300", "--encrypted"])
                == ["AvailabilityZone=a", "SnapshotId=snap-1", "VolumeType=io1", "Iops=300", "Encrypted=true"])
        #expect(Self.refusal("euca-create-volume", ["-z", "a"])
                == "one of -s/--size or --snapshot is required")
        #expect(Self.refusal("euca-create-volume", ["-z", "a", "-s", "1", "-i", "100"])
                == "-i/--iops requires -t/--type")
        #expect(Self.refusal("euca-create-volume", ["-z", "a", "-s", "1", "-t", "standard", "-i", "100"])
                == "-i/--iops cannot be used with -t/--type standard")
        #expect(Self.refusal("euca-create-volume", ["-z", "a", "-s", "five"])
                == "-s/--size: expected an integer of at least 1, got \"five\"")
        #expect(Self.sent("euca-detach-volume", ["vol-1", "-i", "i-1", "-f"])
                == ["VolumeId=vol-1", "InstanceId=i-1", "Force=true"])
    }

    @Test func snapshotAttributes() {
        #expect(Self.sent("euca-describe-snapshot-attribute", ["snap-1", "-c"])
                == ["SnapshotId=snap-1", "Attribute=createVolumePermission"])
        #expect(Self.refusal("euca-describe-snapshot-attribute", ["snap-1"])
                == "one of -c/--create-volume-permission or -p/--product-codes is required")
        #expect(Self.sent("euca-modify-snapshot-attribute", ["snap-1", "-c", "-a", "111", "-a", "all", "-r", "222"])
                == ["SnapshotId=snap-1", "CreateVolumePermission.Add.1.UserId=111",
                    "CreateVolumePermission.Add.2.Group=all", "CreateVolumePermission.Remove.1.UserId=222"])
        #expect(Self.refusal("euca-modify-snapshot-attribute", ["snap-1", "-c"])
                == "-c/--create-volume-permission requires -a/--add or -r/--remove")
        #expect(Self.refusal("euca-modify-snapshot-attribute", ["snap-1", "-a", "1"])
                == "the following arguments are required: -c/--create-volume-permission")
        #expect(Self.sent("euca-reset-snapshot-attribute", ["snap-1", "-c"])
                == ["SnapshotId=snap-1", "Attribute=createVolumePermission"])
    }

    @Test func addresses() {
        #expect(Self.sent("euca-describe-addresses", ["5.6.7.8", "eipalloc-2", "1.2.3.4", "eipalloc-1", "1.2.3.4"])
                == ["AllocationId.1=eipalloc-1", "AllocationId.2=eipalloc-2", "PublicIp.1=1.2.3.4", "PublicIp.2=5.6.7.8"])
        #expect(Self.sent("euca-associate-address", ["-a", "eipalloc-1", "-n", "eni-1", "-p", "10.0.0.5", "--allow-reassociation"])
                == ["AllocationId=eipalloc-1", "NetworkInterfaceId=eni-1", "PrivateIpAddress=10.0.0.5", "AllowReassociation=true"])
        #expect(Self.sent("euca-associate-address", ["eipalloc-1", "-i", "i-1"]) == ["AllocationId=eipalloc-1", "InstanceId=i-1"])
        #expect(Self.refusal("euca-associate-address", ["1.2.3.4", "-a", "eipalloc-1", "-i", "i-1"])
                == "-a/--allocation-id and ADDRESS cannot be used together")
        #expect(Self.refusal("euca-associate-address", ["1.2.3.4"])
                == "one of -i/--instance-id or -n/--network-interface is required")
        #expect(Self.refusal("euca-associate-address", ["-i", "i-1"])
                == "one of -a/--allocation-id or ADDRESS is required")
        #expect(Self.refusal("euca-associate-address", ["1.2.3.4", "-i", "i-1", "-n", "eni-1"])
                == "-i/--instance-id and -n/--network-interface cannot be used together")
        #expect(Self.sent("euca-disassociate-address", ["1.2.3.4"]) == ["PublicIp=1.2.3.4"])
        #expect(Self.sent("euca-disassociate-address", ["-a", "eipassoc-1"]) == ["AssociationId=eipassoc-1"])
        #expect(Self.sent("euca-disassociate-address", ["eipassoc-1"]) == ["AssociationId=eipassoc-1"])
        #expect(Self.refusal("euca-disassociate-address", [])
                == "one of -a/--association-id or ADDRESS is required")
        #expect(Self.sent("euca-release-address", ["-a", "eipalloc-1"]) == ["AllocationId=eipalloc-1"])
        #expect(Self.refusal("euca-release-address", ["1.2.3.4", "-a", "eipalloc-1"])
                == "-a/--allocation-id and ADDRESS cannot be used together")
        #expect(Self.refusal("euca-allocate-address", ["-d", "classic"])
                == "-d/--domain: expected one of vpc, standard, got \"classic\"")
    }

    @Test func registerNamesAManifestImageAfterItsManifest() {
        #expect(Self.sent("euca-register", ["mybucket/centos-7.manifest.xml"])
                == ["ImageLocation=mybucket/centos-7.manifest.xml", "Name=centos-7"])
        #expect(Self.sent("euca-register", ["mybucket/img.manifest.xml", "-n", "mine", "-a", "x86_64", "--kernel", "eki-1", "--ramdisk", "eri-1"])
                == ["ImageLocation=mybucket/img.manifest.xml", "Name=mine", "Architecture=x86_64", "KernelId=eki-1", "RamdiskId=eri-1"])
        #expect(Images.nameFromManifest("a/b/c.manifest.xml") == "c")
        #expect(Images.nameFromManifest("c") == "c")
    }

    @Test func registerAnEbsImage() {
        #expect(Self.sent("euca-register", ["-n", "ebs", "--snapshot", "snap-1"])
                == ["Name=ebs", "RootDeviceName=/dev/sda1", "BlockDeviceMapping.1.DeviceName=/dev/sda1",
                    "BlockDeviceMapping.1.Ebs.SnapshotId=snap-1"])
        #expect(Self.sent("euca-register", ["-n", "ebs", "-b", "/dev/xvda=snap-1:10:true", "--root-device-name", "/dev/xvda",
                                            "-b", "/dev/sdb=ephemeral0", "--virtualization-type", "hvm", "--sriov", "simple"])
                == ["Name=ebs", "RootDeviceName=/dev/xvda",
                    "BlockDeviceMapping.1.DeviceName=/dev/xvda", "BlockDeviceMapping.1.Ebs.SnapshotId=snap-1",
                    "BlockDeviceMapping.1.Ebs.VolumeSize=10", "BlockDeviceMapping.1.Ebs.DeleteOnTermination=true",
                    "BlockDeviceMapping.2.DeviceName=/dev/sdb", "BlockDeviceMapping.2.VirtualName=ephemeral0",
                    "VirtualizationType=hvm", "SriovNetSupport=simple"])
        #expect(Self.sent("euca-register", ["-n", "ebs", "-s", "snap-1", "-b", "/dev/sdb=ephemeral0"])
                == ["Name=ebs", "BlockDeviceMapping.1.DeviceName=/dev/sdb", "BlockDeviceMapping.1.VirtualName=ephemeral0",
                    "RootDeviceName=/dev/sda1", "BlockDeviceMapping.2.DeviceName=/dev/sda1",
                    "BlockDeviceMapping.2.Ebs.SnapshotId=snap-1"])
    }

    @Test func registerRefusals() {
        #expect(Self.refusal("euca-register", ["-n", "ebs"])
                == "give a manifest location (instance-store image) or a root device snapshot with -s/--snapshot SNAPSHOT or -b /dev/sda1=SNAPSHOT (EBS image)")
        #expect(Self.refusal("euca-register", ["--snapshot", "snap-1"])
                == "-n/--name is required for an EBS image (or give the location of a manifest, BUCKET/NAME.manifest.xml)")
        #expect(Self.refusal("euca-register", ["b/x.manifest.xml", "-s", "snap-1"])
                == "-s/--snapshot: not allowed with a manifest; give one or the other")
        #expect(Self.refusal("euca-register", ["b/x.manifest.xml", "--root-device-name", "/dev/sda"])
                == "--root-device-name: not allowed with a manifest (MANIFEST registers an instance-store image)")
        #expect(Self.refusal("euca-register", ["-n", "x", "-s", "snap-2", "-b", "/dev/sda1=snap-1"])
                == "-s/--snapshot snap-2 conflicts with the -b/--block-device-mapping for the root device /dev/sda1")
        #expect(Self.refusal("euca-register", ["-n", "x", "-a", "sparc", "-s", "snap-1"])
                == "-a/--architecture: expected one of i386, x86_64, armhf, arm64, got \"sparc\"")
    }

    @Test func imageAttributes() {
        #expect(Self.sent("euca-describe-image-attribute", ["emi-1", "-l"]) == ["ImageId=emi-1", "Attribute=launchPermission"])
        #expect(Self.sent("euca-describe-image-attribute", ["emi-1", "-B"]) == ["ImageId=emi-1", "Attribute=blockDeviceMapping"])
        #expect(Self.sent("euca-describe-image-attribute", ["emi-1", "--kernel"]) == ["ImageId=emi-1", "Attribute=kernel"])
        #expect(Self.refusal("euca-describe-image-attribute", ["emi-1", "-l", "--kernel"])
                == "-l/--launch-permission and --kernel cannot be used together")
        #expect(Self.refusal("euca-describe-image-attribute", ["emi-1"])?.hasPrefix("one of -l/--launch-permission, -p/--product-codes") == true)
        #expect(Self.sent("euca-modify-image-attribute", ["emi-1", "-l", "-a", "all", "-r", "111"])
                == ["ImageId=emi-1", "LaunchPermission.Add.1.Group=all", "LaunchPermission.Remove.1.UserId=111"])
        #expect(Self.sent("euca-modify-image-attribute", ["emi-1", "--description", "new"])
                == ["ImageId=emi-1", "Description.Value=new"])
        #expect(Self.sent("euca-modify-image-attribute", ["emi-1", "-p", "A", "-p", "B"])
                == ["ImageId=emi-1", "ProductCode.1=A", "ProductCode.2=B"])
        #expect(Self.refusal("euca-modify-image-attribute", ["emi-1", "-a", "111"])
                == "one of --description, -p/--product-code or -l/--launch-permission is required")
        #expect(Self.refusal("euca-modify-image-attribute", ["emi-1", "--description", "x", "-a", "111"])
                == "-a/--add requires -l/--launch-permission")
        #expect(Self.sent("euca-reset-image-attribute", ["emi-1", "-l"]) == ["ImageId=emi-1", "Attribute=launchPermission"])
    }

    @Test func imageCreationAndCopy() {
        #expect(Self.sent("euca-create-image", ["i-1", "-n", "img", "-d", "desc", "--no-reboot", "-b", "/dev/sdb=none"])
                == ["InstanceId=i-1", "Name=img", "Description=desc", "NoReboot=true",
                    "BlockDeviceMapping.1.DeviceName=/dev/sdb", "BlockDeviceMapping.1.NoDevice="])
        #expect(Self.sent("euca-copy-image", ["-r", "eu-west-1", "-s", "ami-1", "-n", "copy", "-c", "token"])
                == ["SourceRegion=eu-west-1", "SourceImageId=ami-1", "Name=copy", "ClientToken=token"])
        #expect(Self.refusal("euca-copy-image", ["-r", "eu-west-1"])
                == "the following arguments are required: -s/--source-ami-id")
    }

    @Test func tags() {
        #expect(Self.sent("euca-create-tags", ["i-1", "vol-1", "--tag", "Name=web", "--tag", "flag"])
                == ["ResourceId.1=i-1", "ResourceId.2=vol-1", "Tag.1.Key=Name", "Tag.1.Value=web",
                    "Tag.2.Key=flag", "Tag.2.Value="])
        #expect(Self.sent("euca-delete-tags", ["i-1", "--tag", "Name", "--tag", "env=", "--tag", "a=b"])
                == ["ResourceId.1=i-1", "Tag.1.Key=Name", "Tag.2.Key=env", "Tag.2.Value=", "Tag.3.Key=a", "Tag.3.Value=b"])
        #expect(Self.refusal("euca-create-tags", ["i-1"]) == "the following arguments are required: --tag")
        #expect(Self.refusal("euca-create-tags", ["--tag", "a=b"]) == "the following arguments are required: RESOURCE")
        #expect(Self.sent("euca-describe-account-attributes", ["default-vpc", "max-instances"])
                == ["AttributeName.1=default-vpc", "AttributeName.2=max-instances"])
        #expect(Self.refusal("euca-describe-tags", ["--filter", "colour=red"])?
                .hasPrefix("--filter: unknown filter \"colour\"; this command accepts key, resource-id, resource-type, value") == true)
    }

    @Test func helpListsEverySpelling() {
        let authorize = HelpFormatter(Self.command("euca-authorize")).help
        for spelling in ["-P PROTOCOL, --protocol PROTOCOL", "-p RANGE, --port-range RANGE",
                         "-t TYPE:CODE, --icmp-type-code TYPE:CODE", "-s CIDR, --cidr CIDR, --source-subnet CIDR",
                         "-o GROUP, --source-group GROUP", "-u ACCOUNT, --source-group-user ACCOUNT", "--egress"] {
            #expect(authorize.contains(spelling), "\(spelling)")
        }
        // -s is the command's own here, so the 1.x credential -s is not offered.
        #expect(!authorize.contains("-S SECRET_KEY, --secret-key SECRET_KEY, -s SECRET_KEY"))
        let createVolume = HelpFormatter(Self.command("euca-create-volume")).help
        #expect(createVolume.contains("-z ZONE, --availability-zone ZONE, --zone ZONE"))
        let describeImages = HelpFormatter(Self.command("euca-describe-images")).help
        #expect(describeImages.contains("filters (--filter NAME=VALUE; tag:KEY is always accepted):"))
        #expect(describeImages.contains("virtualization-type"))
    }
}
