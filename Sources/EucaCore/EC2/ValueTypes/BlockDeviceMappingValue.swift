extension ValueType {
    /// `DEVICE=MAPPED` as euca2ools takes it (`-b/--block-device-mapping`): `none` suppresses a
    /// mapping, `ephemeralN` names an instance-store volume, and
    /// `[SNAP-ID]:[SIZE]:[true|false]:[TYPE[:IOPS]]` describes an EBS volume. Fields:
    /// `DeviceName`, `NoDevice`, `VirtualName`, `Ebs.SnapshotId`, `Ebs.VolumeSize`,
    /// `Ebs.DeleteOnTermination`, `Ebs.VolumeType`, `Ebs.Iops`.
    public static let blockDeviceMapping = ValueType(expected: "DEVICE=MAPPED") {
        text throws(ValueError) in
        let form = "DEVICE=none, DEVICE=ephemeralN or DEVICE=[SNAP-ID]:[SIZE]:[true|false]:[TYPE[:IOPS]]"
        let halves = text.split(separator: "=", omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[0].isEmpty else { throw .expected(form, got: text) }
        let device = String(halves[0])
        let mapping = String(halves[1])
        var fields = [Field("DeviceName", device)]
        if mapping.lowercased() == "none" {
            fields.append(Field("NoDevice", ""))
        } else if mapping.hasPrefix("ephemeral") {
            guard Int(mapping.dropFirst("ephemeral".count)) != nil else {
                throw ValueError("expected ephemeralN (N a number) in \(quoted(text))")
            }
            fields.append(Field("VirtualName", mapping))
        } else if mapping.hasPrefix("snap-") || mapping.hasPrefix("vol-") || mapping.hasPrefix(":") {
            fields += try ebsFields(mapping, whole: text, device: device)
        } else if mapping.isEmpty {
            throw ValueError("empty mapping in \(quoted(text)); use \(device)=none to suppress an existing mapping")
        } else {
            throw .expected(form, got: text)
        }
        return fields
    }

    private static func ebsFields(_ mapping: String, whole: String, device: String) throws(ValueError) -> [Field] {
        var bits = mapping.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bits.count <= 5 else {
            throw ValueError("EBS mapping \(quoted(whole)) must have the form DEVICE=[SNAP-ID]:[SIZE]:[true|false]:[TYPE[:IOPS]]")
        }
        while bits.count < 5 { bits.append("") }
        var fields: [Field] = []
        if !bits[0].isEmpty { fields.append(Field("Ebs.SnapshotId", bits[0])) }
        if !bits[1].isEmpty {
            guard let size = Int(bits[1]), size > 0 else {
                throw ValueError("size in EBS mapping \(quoted(whole)) must be a whole number of GiB, got \(quoted(bits[1]))")
            }
            fields.append(Field("Ebs.VolumeSize", String(size)))
        }
        if !bits[2].isEmpty {
            guard ["true", "false"].contains(bits[2].lowercased()) else {
                throw ValueError("delete-on-termination in EBS mapping \(quoted(whole)) must be true or false, got \(quoted(bits[2]))")
            }
            fields.append(Field("Ebs.DeleteOnTermination", bits[2].lowercased()))
        }
        if !bits[3].isEmpty { fields.append(Field("Ebs.VolumeType", bits[3])) }
        if !bits[4].isEmpty {
            guard bits[3] != "standard" else {
                throw ValueError("IOPS are not allowed with volume type standard in \(quoted(whole))")
            }
            guard let iops = Int(bits[4]), iops > 0 else {
                throw ValueError("IOPS in EBS mapping \(quoted(whole)) must be a whole number, got \(quoted(bits[4]))")
            }
            fields.append(Field("Ebs.Iops", String(iops)))
        }
        guard !fields.isEmpty else {
            throw ValueError("EBS mapping \(quoted(whole)) must give at least one element; use \(device)=none to suppress an existing mapping")
        }
        return fields
    }
}
