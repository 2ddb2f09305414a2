import Foundation
import Testing

/// Volumes and snapshots against the shared moto: each test looks only at what it created.
@Suite struct VolumeCommandsTests {
    @Test func volumeLifecycle() throws {
        let moto = try MotoEndpoint.shared
        let env = endpointEnv(moto)
        let instance = try ResourceTestSetup.runInstances(moto, count: 1)[0]
        let created = euca("euca-create-volume", ["-s", "2", "-z", "us-east-1a", "-t", "io1", "-i", "100"], env: env)
        #expect(created.succeeded, "\(created)")
        let volume = resourceField(created.stdout, 1)
        #expect(Golden.normalize(created.stdout) == "VOLUME\tvol-ID\t2\t\tus-east-1a\tavailable\tTIME\n")

        let attached = euca("euca-attach-volume", [volume, "--instance", instance, "--device", "/dev/sdk"], env: env)
        #expect(Golden.normalize(attached.stdout) == "ATTACHMENT\tvol-ID\ti-ID\t/dev/sdk\tattaching\tTIME\n", "\(attached)")
        let inUse = euca("euca-describe-volumes", [volume], env: env)
        let lines = inUse.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(inUse)")
        #expect(lines.first?.hasPrefix("VOLUME\t\(volume)\t2\t\tus-east-1a\tin-use\t") == true)
        #expect(lines.last?.hasPrefix("ATTACHMENT\t\(volume)\t\(instance)\t/dev/sdk\tattached\t") == true)
        let byFilter = euca("euca-describe-volumes", ["--filter", "attachment.instance-id=\(instance)",
                                                      "--filter", "volume-id=\(volume)"], env: env)
        #expect(byFilter.stdout == inUse.stdout, "\(byFilter)")

        // moto answers DetachVolume without InstanceId with HTTP 500 (AWS accepts it), so -i
        // is given here.
        let detached = euca("euca-detach-volume", [volume, "-i", instance, "-d", "/dev/sdk", "--force"], env: env)
        #expect(detached.stdout.hasPrefix("ATTACHMENT\t\(volume)\t\(instance)\t/dev/sdk\tdetaching\t"), "\(detached)")
        let deleted = euca("euca-delete-volume", [volume], env: env)
        #expect(deleted.stdout == "VOLUME\t\(volume)\n", "\(deleted)")
        let gone = euca("euca-describe-volumes", [volume], env: env)
        #expect(gone.status == 1)
        #expect(gone.stderr.hasPrefix("euca-describe-volumes: error (InvalidVolume.NotFound): "), "\(gone)")
    }

    @Test func snapshotLifecycleAndAttributes() throws {
        let moto = try MotoEndpoint.shared
        let env = endpointEnv(moto)
        let volume = resourceField(euca("euca-create-volume", ["-s", "3", "-z", "us-east-1a"], env: env).stdout, 1)
        let created = euca("euca-create-snapshot", [volume, "--description", "nightly"], env: env)
        #expect(created.succeeded, "\(created)")
        let snapshot = resourceField(created.stdout, 1)
        #expect(created.stdout.hasSuffix("\t\(moto.accountId)\t3\tnightly\n"))
        let described = euca("euca-describe-snapshots", [snapshot], env: env)
        #expect(Golden.normalize(described.stdout) == "SNAPSHOT\tsnap-ID\tvol-ID\tcompleted\tTIME\t100%\t\(moto.accountId)\t3\tnightly\n")

        // The default listing asks for owned and restorable snapshots; moto ignores Owner and
        // RestorableBy and answers every snapshot both times. Each is printed once.
        let all = euca("euca-describe-snapshots", [], env: env)
        #expect(all.succeeded)
        #expect(all.stdout.components(separatedBy: "SNAPSHOT\t\(snapshot)\t").count == 2)
        let owned = euca("euca-describe-snapshots", ["-o", "self", "--filter", "volume-id=\(volume)"], env: env)
        #expect(owned.stdout == described.stdout, "\(owned)")
        #expect(euca("euca-describe-snapshots", ["-a", "--filter", "snapshot-id=\(snapshot)"], env: env).stdout == described.stdout)

        // Attributes: moto ignores the CreateVolumePermission.Add.N form that euca2ools (and we)
        // send, so the permission to describe is granted with boto3's OperationType form.
        let modified = euca("euca-modify-snapshot-attribute", [snapshot, "-c", "-a", "111122223333", "-r", "all"], env: env)
        #expect(modified.stdout == """
            createVolumePermission\t\(snapshot)\tADD\tUserId\t111122223333
            createVolumePermission\t\(snapshot)\tREMOVE\tGroup\tall

            """, "\(modified)")
        try ResourceTestSetup.grantCreateVolumePermission(moto, snapshot: snapshot, account: "444455556666")
        let permissions = euca("euca-describe-snapshot-attribute", [snapshot, "--create-volume-permission"], env: env)
        #expect(permissions.stdout == "createVolumePermission\t\(snapshot)\tuserId\t444455556666\n", "\(permissions)")
        // moto does not implement ResetSnapshotAttribute (HTTP 500): the failure is one line.
        let reset = euca("euca-reset-snapshot-attribute", [snapshot, "-c", "--max-attempts", "1"], env: env)
        #expect(reset.status == 1)
        #expect(reset.stdout.isEmpty)
        #expect(reset.stderr.hasPrefix("euca-reset-snapshot-attribute: error: HTTP 500"), "\(reset)")
        #expect(reset.stderr.split(separator: "\n").count == 1)

        #expect(euca("euca-delete-snapshot", [snapshot], env: env).stdout == "SNAPSHOT\t\(snapshot)\n")
        _ = euca("euca-delete-volume", [volume], env: env)
    }

    @Test func badInput() throws {
        let env = endpointEnv(try MotoEndpoint.shared)
        let noSize = euca("euca-create-volume", ["-z", "us-east-1a"], env: env)
        #expect(noSize.status == 2)
        #expect(noSize.stdout.isEmpty)
        #expect(noSize.stderr.hasSuffix("euca-create-volume: error: one of -s/--size or --snapshot is required\n"))
        let noZone = euca("euca-create-volume", ["-s", "1"], env: env)
        #expect(noZone.status == 2)
        #expect(noZone.stderr.hasSuffix("error: the following arguments are required: -z/--availability-zone\n"))
        let all = euca("euca-describe-snapshots", ["-a", "-o", "self"], env: env)
        #expect(all.status == 2)
        #expect(all.stderr.hasSuffix("euca-describe-snapshots: error: -a/--all cannot be used with -o/--owner\n"))
        let unknown = euca("euca-attach-volume", ["vol-00000000000000000", "-i", "i-00000000000000000", "-d", "/dev/sdf"], env: env)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("euca-attach-volume: error ("), "\(unknown)")
        #expect(unknown.stderr.split(separator: "\n").count == 1)
    }
}
