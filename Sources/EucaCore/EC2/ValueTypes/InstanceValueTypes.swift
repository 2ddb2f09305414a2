import Foundation

/// Value types of the instance commands (euca-run-instances, euca-modify-instance-attribute):
/// instance counts, user data, network interface definitions, delete-on-termination mappings.
/// Each is a pure conversion; its message names the expected form and the value given.
extension ValueType {
    /// `-n/--instance-count MIN[-MAX]`. Fields: `MinCount`, `MaxCount`. A range given the wrong
    /// way round is swapped, as euca2ools does.
    public static let instanceCount = ValueType(expected: InstanceCount.form) {
        text throws(ValueError) in
        let (minimum, maximum) = try InstanceCount.parse(text)
        return [Field("MinCount", String(minimum)), Field("MaxCount", String(maximum))]
    }

    /// `-d/--user-data DATA`: the text itself, sent base64-encoded. A value that names an
    /// existing file is refused (the classic mistake of meaning `-f`); `--user-data-force`
    /// sends such a value anyway.
    public static let userData = ValueType(expected: "user data") { text throws(ValueError) in
        var isDirectory: ObjCBool = false
        if !text.isEmpty, FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory),
           !isDirectory.boolValue {
            throw ValueError("\(quoted(text)) is the name of a file; to send the file's contents use -f/--user-data-file, to send the text itself use --user-data-force")
        }
        return .scalar(Data(text.utf8).base64EncodedString())
    }

    /// `--user-data-force DATA`: the text itself, base64-encoded, without the file check.
    public static let userDataForce = ValueType(expected: "user data") { text throws(ValueError) in
        .scalar(Data(text.utf8).base64EncodedString())
    }

    /// Data that must already be base64-encoded (`euca-modify-instance-attribute --user-data`,
    /// where the Query API takes the encoded form, as euca2ools 3 sends it).
    public static let base64Data = ValueType(expected: "base64-encoded data") {
        text throws(ValueError) in
        let compact = text.filter { !$0.isWhitespace }
        guard !compact.isEmpty, Data(base64Encoded: compact) != nil else {
            throw ValueError("expected base64-encoded data (--user-data-file encodes a file for you), got \(quoted(text))")
        }
        return .scalar(compact)
    }

    /// `-a/--network-interface`, euca2ools' nine-part interface definition. Fields are relative
    /// to `NetworkInterface.N` (see `NetworkInterfaceDefinition`).
    public static let networkInterface = ValueType(expected: NetworkInterfaceDefinition.form) {
        text throws(ValueError) in
        try NetworkInterfaceDefinition.parse(text)
    }

    /// `DEVICE=::true` or `DEVICE=::false` for euca-modify-instance-attribute, which can only
    /// change whether an attached volume is deleted with the instance. Fields: `DeviceName`,
    /// `Ebs.DeleteOnTermination`.
    public static let deleteOnTerminationMapping = ValueType(expected: "DEVICE=::true or DEVICE=::false") {
        text throws(ValueError) in
        let halves = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let bits = halves.count == 2 ? halves[1].split(separator: ":", omittingEmptySubsequences: false) : []
        guard halves.count == 2, !halves[0].isEmpty, bits.count == 3, bits[0].isEmpty, bits[1].isEmpty,
              bits[2] == "true" || bits[2] == "false"
        else { throw .expected("DEVICE=::true or DEVICE=::false", got: text) }
        return [Field("DeviceName", String(halves[0])), Field("Ebs.DeleteOnTermination", String(bits[2]))]
    }

    /// `true`/`false` with euca2ools' `flexible_bool` spellings (`t`, `yes`, `1`, …), sent as
    /// `true` or `false`.
    public static let flexibleBoolean = ValueType(expected: "true or false",
                                                  completion: .choices(["true", "false"])) {
        text throws(ValueError) in
        switch text.trimmed().lowercased() {
        case "1", "t", "true", "y", "yes", "on": return .scalar("true")
        case "0", "f", "false", "n", "no", "off": return .scalar("false")
        default: throw .expected("true or false", got: text)
        }
    }

    /// An IPv4 address such as 10.0.0.5 (a private address for an instance's interface).
    public static let privateIPv4Address = ValueType(expected: "an IPv4 address") {
        text throws(ValueError) in
        guard CIDR.isValidIPv4Address(text) else { throw .expected("an IPv4 address such as 10.0.0.5", got: text) }
        return .scalar(text)
    }

    /// An idempotency token: 1 to 64 ASCII characters (the EC2 limit).
    public static let clientToken = ValueType(expected: "a token of 1 to 64 ASCII characters") {
        text throws(ValueError) in
        guard !text.isEmpty, text.count <= 64, text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F })
        else { throw .expected("a token of 1 to 64 printable ASCII characters", got: text) }
        return .scalar(text)
    }
}

/// `MIN` or `MIN-MAX`, whole numbers of at least 1.
public enum InstanceCount {
    public static let form = "MIN or MIN-MAX"

    public static func parse(_ text: String) throws(ValueError) -> (Int, Int) {
        let problem = ValueError("expected MIN or MIN-MAX with whole numbers of at least 1, got \(quoted(text))")
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { throw problem }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(part), n >= 1 else {
                throw problem
            }
            numbers.append(n)
        }
        let first = numbers[0], last = numbers.last!
        return (min(first, last), max(first, last))
    }
}

/// euca2ools' nine-part network interface definition for `-a/--network-interface`:
///
///     [INTERFACE]:INDEX:[SUBNET]:[DESCRIPTION]:[PRIV_IP]:[GROUP1,GROUP2,...]:[true|false]:[SEC_IP_COUNT|:SEC_IP1,SEC_IP2,...]
///
/// An existing interface is `eni-…:INDEX`; a new one gives the index and a subnet, then
/// optionally a description, the primary private address, security group ids, whether to delete
/// it with the instance, and either a number of secondary addresses or a list of them.
/// Field suffixes are the EC2 Query names below `NetworkInterface.N`.
public enum NetworkInterfaceDefinition {
    public static let form = "[INTERFACE]:INDEX:[SUBNET]:[DESCRIPTION]:[PRIV_IP]:[GROUP1,GROUP2,...]:[true|false]:[SEC_IP_COUNT|:SEC_IP1,SEC_IP2,...]"

    public static func parse(_ text: String) throws(ValueError) -> [Field] {
        guard !text.isEmpty else { throw ValueError("expected a network interface definition \(form), got \"\"") }
        var bits = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let definition = "network interface definition \(quoted(text))"
        guard bits.count >= 2 else {
            throw ValueError("\(definition) must have at least 2 elements separated by \":\" (1 given); the form is \(form)")
        }
        guard bits.count <= 9 else {
            throw ValueError("\(definition) must have at most 9 elements separated by \":\" (\(bits.count) given)")
        }
        while bits.count < 9 { bits.append("") }
        var fields: [Field] = []
        if !bits[0].isEmpty {
            guard isResourceId(bits[0], prefix: "eni") else {
                throw ValueError("first element of \(definition) must be a network interface ID (eni-…)")
            }
            fields.append(Field("NetworkInterfaceId", bits[0]))
        }
        guard !bits[1].isEmpty else {
            throw ValueError("second element of \(definition) (the device index) must not be empty")
        }
        guard bits[1].allSatisfy({ $0.isASCII && $0.isNumber }), let index = Int(bits[1]) else {
            throw ValueError("second element of \(definition) (the device index) must be a whole number")
        }
        fields.append(Field("DeviceIndex", String(index)))
        if !bits[2].isEmpty {
            guard isResourceId(bits[2], prefix: "subnet") else {
                throw ValueError("third element of \(definition) must be a subnet ID (subnet-…)")
            }
            fields.append(Field("SubnetId", bits[2]))
        }
        if !bits[3].isEmpty { fields.append(Field("Description", bits[3])) }
        var addressIndex = 0
        if !bits[4].isEmpty {
            guard CIDR.isValidIPv4Address(bits[4]) else {
                throw ValueError("fifth element of \(definition) (the primary private address) must be an IPv4 address")
            }
            addressIndex += 1
            fields.append(Field("PrivateIpAddresses.\(addressIndex).PrivateIpAddress", bits[4]))
            fields.append(Field("PrivateIpAddresses.\(addressIndex).Primary", "true"))
        }
        if !bits[5].isEmpty {
            let groups = bits[5].split(separator: ",").map(String.init)
            guard groups.allSatisfy({ $0.hasPrefix("sg-") }) else {
                throw ValueError("sixth element of \(definition) must list security groups by ID (sg-…), not by name")
            }
            for (n, group) in groups.enumerated() { fields.append(Field("SecurityGroupId.\(n + 1)", group)) }
        }
        if !bits[6].isEmpty {
            guard bits[6] == "true" || bits[6] == "false" else {
                throw ValueError("seventh element of \(definition) (delete on termination) must be \"true\" or \"false\"")
            }
            fields.append(Field("DeleteOnTermination", bits[6]))
        }
        if !bits[7].isEmpty {
            guard bits[8].isEmpty else {
                throw ValueError("eighth and ninth elements of \(definition) cannot both be given: use a number of secondary addresses or a list of them")
            }
            guard bits[7].allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(bits[7]) else {
                throw ValueError("eighth element of \(definition) (the number of secondary addresses) must be a whole number")
            }
            fields.append(Field("SecondaryPrivateIpAddressCount", String(count)))
        }
        if !bits[8].isEmpty {
            for address in bits[8].split(separator: ",").map(String.init) {
                guard CIDR.isValidIPv4Address(address) else {
                    throw ValueError("ninth element of \(definition) (secondary private addresses) must list IPv4 addresses, got \(quoted(address))")
                }
                addressIndex += 1
                fields.append(Field("PrivateIpAddresses.\(addressIndex).PrivateIpAddress", address))
            }
        }
        return fields
    }

    /// `PREFIX-` followed by hex digits (8 of them in old ids, 17 in current ones).
    static func isResourceId(_ text: String, prefix: String) -> Bool {
        guard text.hasPrefix(prefix + "-") else { return false }
        let rest = text.dropFirst(prefix.count + 1)
        return !rest.isEmpty && rest.allSatisfy { $0.isHexDigit }
    }
}
