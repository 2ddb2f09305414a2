import Foundation
import Testing

/// Elastic IP addresses against the shared moto (which makes every address a VPC one).
@Suite struct AddressCommandsTests {
    @Test func vpcAddressByAllocationAndAssociationId() throws {
        let moto = try MotoEndpoint.shared
        let env = endpointEnv(moto)
        let instance = try ResourceTestSetup.runInstances(moto, count: 1)[0]
        let allocated = euca("euca-allocate-address", ["--domain", "vpc"], env: env)
        #expect(allocated.succeeded, "\(allocated)")
        let ip = resourceField(allocated.stdout, 1)
        let allocation = resourceField(allocated.stdout, 3)
        #expect(allocated.stdout == "ADDRESS\t\(ip)\tvpc\t\(allocation)\n")

        let associated = euca("euca-associate-address", ["-a", allocation, "-i", instance, "--allow-reassociation"], env: env)
        #expect(associated.succeeded, "\(associated)")
        let association = resourceField(associated.stdout, 3)
        #expect(associated.stdout == "ADDRESS\t\(instance)\t\(allocation)\t\(association)\t\n")
        #expect(association.hasPrefix("eipassoc-"))

        let described = euca("euca-describe-addresses", [allocation], env: env)
        let fields = described.stdout.dropLast().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        #expect(fields.count == 8, "\(described)")
        #expect(Array(fields.prefix(6)) == ["ADDRESS", ip, instance, "vpc", allocation, association])
        #expect(fields[6].hasPrefix("eni-") && !fields[7].isEmpty)
        #expect(euca("euca-describe-addresses", [ip], env: env).stdout == described.stdout)
        #expect(euca("euca-describe-addresses", ["--filter", "instance-id=\(instance)"], env: env).stdout == described.stdout)

        let disassociated = euca("euca-disassociate-address", ["-a", association], env: env)
        #expect(disassociated.stdout == "ADDRESS\t\(association)\n", "\(disassociated)")
        #expect(euca("euca-describe-addresses", [allocation], env: env).stdout
                == "ADDRESS\t\(ip)\t\tvpc\t\(allocation)\t\t\t\n")
        let released = euca("euca-release-address", ["-a", allocation], env: env)
        #expect(released.stdout == "ADDRESS\t\t\(allocation)\n", "\(released)")
        #expect(euca("euca-describe-addresses", [allocation], env: env).status == 1)
    }

    @Test func addressByIpAsInTheClassicTutorial() throws {
        let moto = try MotoEndpoint.shared
        let env = endpointEnv(moto)
        let instance = try ResourceTestSetup.runInstances(moto, count: 1)[0]
        let ip = resourceField(euca("euca-allocate-address", [], env: env).stdout, 1)
        let associated = euca("euca-associate-address", ["-i", instance, ip], env: env)
        #expect(associated.stdout == "ADDRESS\t\(ip)\t\(instance)\n", "\(associated)")
        #expect(resourceField(euca("euca-describe-addresses", [ip], env: env).stdout, 2) == instance)
        #expect(euca("euca-disassociate-address", [ip], env: env).stdout == "ADDRESS\t\(ip)\n")
        #expect(resourceField(euca("euca-describe-addresses", [ip], env: env).stdout, 2) == "")
        #expect(euca("euca-release-address", [ip], env: env).stdout == "ADDRESS\t\(ip)\t\n")
    }

    @Test func badInput() throws {
        let env = endpointEnv(try MotoEndpoint.shared)
        let neither = euca("euca-release-address", [], env: env)
        #expect(neither.status == 2)
        #expect(neither.stderr.hasSuffix("euca-release-address: error: one of -a/--allocation-id or ADDRESS is required\n"))
        let both = euca("euca-associate-address", ["1.2.3.4", "-a", "eipalloc-1", "-i", "i-1"], env: env)
        #expect(both.status == 2)
        #expect(both.stderr.hasSuffix("euca-associate-address: error: -a/--allocation-id and ADDRESS cannot be used together\n"))
        let unknown = euca("euca-release-address", ["-a", "eipalloc-00000000000000000"], env: env)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("euca-release-address: error ("), "\(unknown)")
        #expect(unknown.stderr.split(separator: "\n").count == 1)
    }
}
