import Foundation
import Testing

/// One bad input for every resource command: a usage error is the usage line and one
/// `PROG: error: …` line with exit status 2; a service error is one `PROG: error (Code): …`
/// line with exit status 1. Nothing goes to stdout. Plus --help for every command.
@Suite struct ResourceBadInputTests {
    static let usageErrors: [(String, [String], String)] = [
        ("euca-create-group", ["web"], "the following arguments are required: -d/--description"),
        ("euca-add-group", ["-d", "x"], "the following arguments are required: GROUP"),
        ("euca-describe-groups", ["--filter", "colour=red"], "--filter: unknown filter \"colour\"; this command accepts description, egress.ip-permission.cidr, egress.ip-permission.from-port, egress.ip-permission.group-id, egress.ip-permission.group-name, egress.ip-permission.protocol, egress.ip-permission.to-port, egress.ip-permission.user-id, group-id, group-name, ip-permission.cidr, ip-permission.from-port, ip-permission.group-id, ip-permission.group-name, ip-permission.protocol, ip-permission.to-port, ip-permission.user-id, owner-id, tag-key, tag-value, vpc-id and tag:KEY"),
        ("euca-authorize", ["web", "-P", "tcp", "-t", "8:0"], "-t/--icmp-type-code: not allowed with protocol \"tcp\"; give its ports with -p/--port-range PORT or FROM-TO"),
        ("euca-revoke", ["web", "-p", "22", "-s", "10.0.0.0"], "-s/--cidr: expected an IPv4 CIDR block like 10.0.0.0/8, got \"10.0.0.0\""),
        ("euca-create-volume", ["-z", "us-east-1a", "-s", "0"], "-s/--size: expected an integer of at least 1, got \"0\""),
        ("euca-attach-volume", ["vol-1"], "the following arguments are required: -i/--instance, -d/--device"),
        ("euca-detach-volume", [], "the following arguments are required: VOLUME"),
        ("euca-delete-volume", ["vol-1", "vol-2"], "unrecognized arguments: vol-2"),
        ("euca-describe-volumes", ["--filter", "size"], "--filter: expected NAME=VALUE, got \"size\""),
        ("euca-create-snapshot", ["vol-1", "--desc"], "-d/--description: expected one argument"),
        ("euca-delete-snapshot", [], "the following arguments are required: SNAPSHOT"),
        ("euca-describe-snapshots", ["-a", "-r", "self"], "-a/--all cannot be used with -r/--restorable-by"),
        ("euca-describe-snapshot-attribute", ["snap-1", "-c", "-p"], "-c/--create-volume-permission and -p/--product-codes cannot be used together"),
        ("euca-modify-snapshot-attribute", ["snap-1", "-c"], "-c/--create-volume-permission requires -a/--add or -r/--remove"),
        ("euca-reset-snapshot-attribute", ["snap-1"], "the following arguments are required: -c/--create-volume-permission"),
        ("euca-allocate-address", ["-d", "classic"], "-d/--domain: expected one of vpc, standard, got \"classic\""),
        ("euca-associate-address", ["1.2.3.4"], "one of -i/--instance-id or -n/--network-interface is required"),
        ("euca-disassociate-address", ["1.2.3.4", "-a", "eipassoc-1"], "-a/--association-id and ADDRESS cannot be used together"),
        ("euca-release-address", [], "one of -a/--allocation-id or ADDRESS is required"),
        ("euca-describe-addresses", ["--filter", "zone=a"], "--filter: unknown filter \"zone\"; this command accepts allocation-id, association-id, domain, instance-id, network-interface-id, network-interface-owner-id, private-ip-address, public-ip and tag:KEY"),
        ("euca-register", ["--snapshot", "snap-1"], "-n/--name is required for an EBS image (or give the location of a manifest, BUCKET/NAME.manifest.xml)"),
        ("euca-deregister", [], "the following arguments are required: IMAGE"),
        ("euca-describe-images", ["-a", "-x", "self"], "-a/--all cannot be used with -x/--executable-by"),
        ("euca-describe-image-attribute", ["ami-1"], "one of -l/--launch-permission, -p/--product-codes, -B/--block-device-mapping, --kernel, --ramdisk or --description is required"),
        ("euca-modify-image-attribute", ["ami-1", "-l"], "-l/--launch-permission requires -a/--add or -r/--remove"),
        ("euca-reset-image-attribute", ["ami-1"], "the following arguments are required: -l/--launch-permission"),
        ("euca-create-image", ["i-1"], "the following arguments are required: -n/--name"),
        ("euca-copy-image", ["-s", "ami-1"], "the following arguments are required: -r/--source-region"),
        ("euca-create-tags", ["i-1", "--tag", ""], "--tag: expected KEY[=VALUE], got \"\""),
        ("euca-delete-tags", ["--tag", "a"], "the following arguments are required: RESOURCE"),
        ("euca-describe-tags", ["--filter", "owner=me"], "--filter: unknown filter \"owner\"; this command accepts key, resource-id, resource-type, value and tag:KEY"),
        ("euca-describe-account-attributes", ["--filter", "a=b"], "unrecognized option --filter"),
    ]

    @Test(arguments: usageErrors)
    func usageError(command: String, args: [String], message: String) throws {
        let result = euca(command, args, env: endpointEnv(try MotoEndpoint.shared))
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("usage: \(command) "), "\(result)")
        #expect(result.stderr.hasSuffix("\n\(command): error: \(message)\n"), "\(result)")
    }

    static let serviceErrors: [(String, [String], String)] = [
        ("euca-delete-group", ["sg-00000000000000000"], "InvalidGroup.NotFound"),
        ("euca-detach-volume", ["vol-00000000000000000", "-i", "i-00000000000000000"], "InvalidVolume.NotFound"),
        ("euca-describe-volumes", ["vol-00000000000000000"], "InvalidVolume.NotFound"),
        ("euca-create-snapshot", ["vol-00000000000000000"], "InvalidVolume.NotFound"),
        ("euca-delete-snapshot", ["snap-00000000000000000"], "InvalidSnapshot.NotFound"),
        ("euca-describe-snapshot-attribute", ["snap-00000000000000000", "-c"], "InvalidSnapshot.NotFound"),
        ("euca-delete-tags", ["vol-1", "--tag", "x"], "InvalidID"),
    ]

    @Test(arguments: serviceErrors)
    func serviceError(command: String, args: [String], code: String) throws {
        let result = euca(command, args, env: endpointEnv(try MotoEndpoint.shared))
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("\(command): error (\(code)): "), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    static let commands = ["euca-create-group", "euca-add-group", "euca-describe-groups", "euca-delete-group",
                           "euca-authorize", "euca-revoke", "euca-create-volume", "euca-attach-volume",
                           "euca-detach-volume", "euca-delete-volume", "euca-describe-volumes",
                           "euca-create-snapshot", "euca-delete-snapshot", "euca-describe-snapshots",
                           "euca-describe-snapshot-attribute", "euca-modify-snapshot-attribute",
                           "euca-reset-snapshot-attribute", "euca-allocate-address", "euca-associate-address",
                           "euca-disassociate-address", "euca-release-address", "euca-describe-addresses",
                           "euca-register", "euca-deregister", "euca-describe-images",
                           "euca-describe-image-attribute", "euca-modify-image-attribute",
                           "euca-reset-image-attribute", "euca-create-image", "euca-copy-image",
                           "euca-create-tags", "euca-delete-tags", "euca-describe-tags",
                           "euca-describe-account-attributes"]

    @Test func everyCommandHasHelp() {
        for command in Self.commands {
            let result = euca(command, ["--help"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.hasPrefix("usage: \(command) "), "\(command)")
            #expect(result.stdout.contains("\ncommon options:\n"), "\(command)")
            #expect(result.stderr.isEmpty, "\(command)")
        }
    }
}
