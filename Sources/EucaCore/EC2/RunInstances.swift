import Foundation

/// The RunInstances parameters that need more than one option to compute, in euca2ools 3.4.1's
/// way, plus a client token that is always sent:
///
/// - Security groups (`-g`, repeatable): names go to `SecurityGroup.N` and `sg-` ids to
///   `SecurityGroupId.N`. When the instance goes into a VPC subnet (`-s/--subnet`,
///   `-a/--network-interface` or `--associate-public-ip-address`) the network options are
///   instead gathered into one more interface, `NetworkInterface.N` with device index 0, since
///   EC2 does not accept them both at the top level and per interface; groups must then be ids.
/// - `-p/--iam-profile`: an ARN (`arn:…`) fills `IamInstanceProfile.Arn`, a name
///   `IamInstanceProfile.Name`.
/// - `--client-token`: when not given, a random UUID is generated here, once per run. The
///   HTTP layer retries a request with exactly the same parameters, so a retried RunInstances
///   whose first attempt did reach the cloud cannot launch a second set of instances.
/// - `-k/--key`: when not given, the region's `ec2-default-keypair` from the euca2ools
///   configuration, as euca2ools does.
///
/// The option keys read here are those of euca-run-instances' declaration.
public enum RunInstancesRequest {
    public static func extraParameters(_ invocation: Invocation) throws -> [QueryItem] {
        var items = try parameters(invocation.arguments) { UUID().uuidString.lowercased() }
        if !invocation.arguments.isSet("key"), let keyPair = invocation.settings?.ec2DefaultKeyPair?.value {
            invocation.log("using the default key pair \(keyPair) (ec2-default-keypair)")
            items.append(QueryItem("KeyName", keyPair))
        }
        if let token = items.first(where: { $0.name == "ClientToken" }), !invocation.arguments.isSet("client-token") {
            invocation.log("client token \(token.value) (generated, so that a retry cannot launch twice)")
        }
        return items
    }

    /// Everything but the default key pair: a pure function of the command line.
    public static func parameters(_ arguments: ParsedArguments,
                                  newToken: () -> String) throws(UsageError) -> [QueryItem] {
        var items: [QueryItem] = []
        let groups = arguments.strings("group")
        let interfaces = arguments.fields("network-interface")
        let intoVPC = arguments.isSet("subnet") || !interfaces.isEmpty
            || arguments.isSet("associate-public-ip-address")

        if intoVPC {
            for (index, fields) in interfaces.enumerated() {
                items += fields.map { QueryItem("NetworkInterface.\(index + 1).\($0.suffix)", $0.value) }
            }
            var own: [QueryItem] = []
            func add(_ name: String, _ value: String) { own.append(QueryItem(name, value)) }
            for (n, group) in groups.enumerated() {
                guard group.hasPrefix("sg-") else {
                    throw UsageError("-g/--group: with -s/--subnet, -a/--network-interface or --associate-public-ip-address, security groups must be given by ID (sg-…), not by name (\(quoted(group)))")
                }
                add("SecurityGroupId.\(n + 1)", group)
            }
            if let associate = arguments.fields("associate-public-ip-address").last?.first?.value {
                add("AssociatePublicIpAddress", associate)
            }
            var addressIndex = 0
            if let address = arguments.string("private-ip-address") {
                addressIndex += 1
                add("PrivateIpAddresses.\(addressIndex).PrivateIpAddress", address)
                add("PrivateIpAddresses.\(addressIndex).Primary", "true")
            }
            for address in arguments.strings("secondary-address") {
                addressIndex += 1
                add("PrivateIpAddresses.\(addressIndex).PrivateIpAddress", address)
            }
            if let count = arguments.string("secondary-count") {
                add("SecondaryPrivateIpAddressCount", count)
            }
            if let subnet = arguments.string("subnet") { add("SubnetId", subnet) }
            if !own.isEmpty {
                let n = interfaces.count + 1
                items.append(QueryItem("NetworkInterface.\(n).DeviceIndex", "0"))
                items += own.map { QueryItem("NetworkInterface.\(n).\($0.name)", $0.value) }
            }
        } else {
            items += ParameterBinding.groupNamesOrIds(names: "SecurityGroup", ids: "SecurityGroupId")
                .bind(arguments.fields("group"))
            if let address = arguments.string("private-ip-address") {
                items.append(QueryItem("PrivateIpAddress", address))
            }
        }

        if let profile = arguments.string("iam-profile") {
            items.append(QueryItem(profile.hasPrefix("arn:") ? "IamInstanceProfile.Arn" : "IamInstanceProfile.Name",
                                   profile))
        }
        if !arguments.isSet("client-token") {
            items.append(QueryItem("ClientToken", newToken()))
        }
        return items
    }
}
