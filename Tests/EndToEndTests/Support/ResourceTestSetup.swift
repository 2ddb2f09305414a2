import Foundation

/// Setup for the resource tests that needs instances. euca-run-instances belongs to another
/// suite, so instances are launched by calling moto directly with Python and boto3 (the
/// interpreter the moto server runs under, with the parent's environment so that it finds
/// its packages).
enum ResourceTestSetup {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `script` with `ec2` bound to a boto3 EC2 client for `moto`; returns its stdout.
    static func python(_ moto: MotoEndpoint, _ script: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let pythonName = environment["EUCA_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        guard let python = findExecutable(pythonName, path: environment["PATH"]) else {
            throw Failure(description: "\(pythonName) not found on PATH")
        }
        let prelude = """
            import boto3, sys
            ec2 = boto3.client('ec2', endpoint_url='\(moto.endpoint)', region_name='\(moto.region)',
                               aws_access_key_id='\(moto.accessKeyId)',
                               aws_secret_access_key='\(moto.secretAccessKey)')

            """
        var childEnvironment = environment
        for key in childEnvironment.keys where key.hasPrefix("AWS_") { childEnvironment[key] = nil }
        let result = runChild([python.path, "-c", prelude + script], environment: childEnvironment,
                              stdin: nil, directory: URL(fileURLWithPath: NSTemporaryDirectory()),
                              timeout: 60)
        guard result.succeeded else { throw Failure(description: "python setup failed: \(result)") }
        return result.stdout
    }

    /// Launches `count` m1.small instances of one of moto's Amazon images in `zone`; returns
    /// their IDs in launch order.
    static func runInstances(_ moto: MotoEndpoint, count: Int, zone: String = "us-east-1a") throws -> [String] {
        let output = try python(moto, """
            image = ec2.describe_images(Owners=['amazon'])['Images'][0]['ImageId']
            reservation = ec2.run_instances(ImageId=image, MinCount=\(count), MaxCount=\(count),
                                            InstanceType='m1.small',
                                            Placement={'AvailabilityZone': '\(zone)'})
            for instance in sorted(reservation['Instances'], key=lambda i: i['AmiLaunchIndex']):
                print(instance['InstanceId'])
            """)
        let ids = output.split(separator: "\n").map(String.init)
        guard ids.count == count else { throw Failure(description: "expected \(count) instance IDs, got \(output)") }
        return ids
    }

    /// Gives a snapshot create-volume permission the way moto understands (OperationType and
    /// UserId.N — moto ignores the CreateVolumePermission.Add.N form euca2ools sends).
    static func grantCreateVolumePermission(_ moto: MotoEndpoint, snapshot: String, account: String) throws {
        _ = try python(moto, """
            ec2.modify_snapshot_attribute(SnapshotId='\(snapshot)', Attribute='createVolumePermission',
                                          OperationType='add', UserIds=['\(account)'])
            """)
    }
}

/// The field `index` (1 = the first after the record tag) of the first line of `output`.
func resourceField(_ output: String, _ index: Int, line: Int = 0) -> String {
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    guard line < lines.count else { return "" }
    let fields = lines[line].split(separator: "\t", omittingEmptySubsequences: false)
    return index < fields.count ? String(fields[index]) : ""
}
