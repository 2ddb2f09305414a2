import Foundation

/// euca-describe-instance-attribute, euca-modify-instance-attribute and
/// euca-reset-instance-attribute: each takes exactly one attribute, chosen by an option.
public enum InstanceAttribute {
    /// Option key → EC2 attribute name, for euca-describe-instance-attribute (declaration order).
    public static let describable: [(key: String, attribute: String)] = [
        ("block-device-mapping", "blockDeviceMapping"),
        ("disable-api-termination", "disableApiTermination"),
        ("ebs-optimized", "ebsOptimized"),
        ("group-id", "groupSet"),
        ("product-code", "productCodes"),
        ("instance-initiated-shutdown-behavior", "instanceInitiatedShutdownBehavior"),
        ("instance-type", "instanceType"),
        ("kernel", "kernel"),
        ("ramdisk", "ramdisk"),
        ("root-device-name", "rootDeviceName"),
        ("source-dest-check", "sourceDestCheck"),
        ("user-data", "userData"),
    ]

    /// The option keys of euca-modify-instance-attribute, exactly one of which is given.
    public static let modifiable = [
        "block-device-mapping", "disable-api-termination", "ebs-optimized", "group-id",
        "instance-initiated-shutdown-behavior", "instance-type", "kernel", "ramdisk",
        "source-dest-check", "sriov", "user-data", "user-data-file",
    ]

    /// euca-describe-instance-attribute.
    public static func describe(_ invocation: Invocation) async throws {
        // The declaration requires exactly one of the attribute options.
        guard let attribute = describable.first(where: { invocation.arguments.isSet($0.key) })?.attribute else {
            throw CommandFailure("no attribute chosen")
        }
        let response = try await invocation.ec2().call(
            "DescribeInstanceAttribute", invocation.boundParameters + [QueryItem("Attribute", attribute)])
        let output = render(response, attribute: attribute, showEmptyFields: invocation.showEmptyFields)
        invocation.output(bytes: output, from: [response])
    }

    /// What euca2ools 3.4.1 prints for each attribute:
    ///
    ///     BLOCKDEVICE device volumeId attachTime deleteOnTermination   (each mapping)
    ///     groupSet INSTANCE id, id, …            productCodes INSTANCE code, code, …
    ///     userData INSTANCE, then the decoded user data on its own lines (or `userData INSTANCE` and an empty field)
    ///     ATTRIBUTE INSTANCE value               (everything else)
    public static func render(_ response: XML.Element, attribute: String, showEmptyFields: Bool) -> Data {
        func line(_ record: Record) -> Data { Data((record.formatted(showEmptyFields: showEmptyFields) + "\n").utf8) }
        let instance = response.value("instanceId")
        switch attribute {
        case "blockDeviceMapping":
            return response.items("blockDeviceMapping").reduce(into: Data()) { out, mapping in
                out += line(Record("BLOCKDEVICE", mapping.value("deviceName"), mapping.value("ebs", "volumeId"),
                                   mapping.value("ebs", "attachTime"), mapping.value("ebs", "deleteOnTermination")))
            }
        case "groupSet":
            let groups = response.items("groupSet").map { $0.value("groupId") ?? $0.value("groupName") ?? "" }
            return line(Record("groupSet", instance, groups.joined(separator: ", ")))
        case "productCodes":
            let codes = response.items("productCodes").map { $0.value("productCode") ?? "" }
            return line(Record("productCodes", instance, codes.joined(separator: ", ")))
        case "userData":
            let encoded = response.value("userData", "value") ?? ""
            let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) ?? Data()
            if data.isEmpty { return line(Record("userData", instance, nil)) }
            return line(Record("userData", instance)) + data + Data("\n".utf8)
        default:
            let element = response[attribute]
            let value = element?["value"].map { $0.text } ?? element?.text
            return line(Record(attribute, instance, value))
        }
    }
}
