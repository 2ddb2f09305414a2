import Foundation

/// Value types of the bundling commands.
extension ValueType {
    /// A size in bytes: a number, optionally with a binary suffix K, M, G or T (`10M` is
    /// 10485760), as euca2ools' `filesize` accepts. The field is the number of bytes.
    public static let fileSize = ValueType(expected: "a size in bytes, optionally with K, M, G or T") {
        value throws(ValueError) in
        guard let bytes = FileSize.parse(value) else {
            throw .expected("a size in bytes, optionally with K, M, G or T", got: value)
        }
        return .scalar(String(bytes))
    }

    /// `VIRTUAL=DEVICE,VIRTUAL=DEVICE,...` for a bundle manifest (`ami=sda1,root=/dev/sda1`).
    /// Fields: one per mapping, the suffix is the virtual name and the value the device.
    public static let manifestBlockDeviceMappings = ValueType(expected: "VIRTUAL=DEVICE,...") {
        value throws(ValueError) in
        var fields: [Field] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            let mapping = item.trimmed()
            if mapping.isEmpty { continue }
            let bits = mapping.split(separator: "=", omittingEmptySubsequences: false)
            guard bits.count == 2,
                  !bits[0].trimmed().isEmpty,
                  !bits[1].trimmed().isEmpty else {
                throw ValueError("invalid device mapping \(quoted(mapping)) (must have format VIRTUAL=DEVICE)")
            }
            fields.append(Field(bits[0].trimmed(),
                                bits[1].trimmed()))
        }
        guard !fields.isEmpty else { throw .expected("VIRTUAL=DEVICE,...", got: value) }
        return fields
    }

    /// 32 hexadecimal digits (a bundle's AES key or IV).
    public static let hex128 = ValueType(expected: "32 hexadecimal digits") { value throws(ValueError) in
        guard BundleKeys.parseHex(value) != nil else { throw .expected("32 hexadecimal digits", got: value) }
        return .scalar(value.lowercased())
    }

    /// 40 hexadecimal digits (a SHA-1 digest); a leading `0x` is allowed.
    public static let sha1Hex = ValueType(expected: "a SHA-1 digest (40 hexadecimal digits)") {
        value throws(ValueError) in
        var text = value.lowercased()
        if text.hasPrefix("0x") { text.removeFirst(2) }
        guard text.utf8.count == 40, Hex.bytes(fromHex: text) != nil else {
            throw .expected("a SHA-1 digest (40 hexadecimal digits)", got: value)
        }
        return .scalar(text)
    }
}

public enum FileSize {
    /// `1234`, `10M`, `10MiB`, `2g`, `1.5G` → bytes; nil if not a size.
    public static func parse(_ text: String) -> UInt64? {
        var body = text.trimmed().lowercased()
        if body.hasSuffix("ib") { body.removeLast(2) } else if body.hasSuffix("b") { body.removeLast() }
        let units: [Character: Double] = ["k": 1024, "m": 1_048_576, "g": 1_073_741_824, "t": 1_099_511_627_776]
        var multiplier: Double = 1
        if let last = body.last, let unit = units[last] {
            multiplier = unit
            body.removeLast()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return nil }
        if multiplier == 1 {
            return UInt64(body)
        }
        guard let number = Double(body), number >= 0 else { return nil }
        let bytes = (number * multiplier).rounded()
        guard bytes < 1.8e19 else { return nil }
        return UInt64(bytes)
    }
}

extension ValueType {
    /// A file name, checked by the command when it is used (completion offers files).
    public static let filePath = ValueType(expected: "a file name", completion: .file) {
        value throws(ValueError) in
        guard !value.isEmpty else { throw ValueError("expected a file name") }
        return .scalar(value)
    }

    /// A directory name, checked (or created) by the command (completion offers directories).
    public static let directoryPath = ValueType(expected: "a directory name", completion: .directory) {
        value throws(ValueError) in
        guard !value.isEmpty else { throw ValueError("expected a directory name") }
        return .scalar(value)
    }
}
