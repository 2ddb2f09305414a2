extension ValueType {
    /// `KEY=VALUE`, `KEY=` or `KEY` for creating tags: a missing value is sent as an empty one.
    /// Fields: `Key`, `Value`.
    public static let tag = ValueType(expected: "KEY[=VALUE]") { text throws(ValueError) in
        let (key, value) = try splitTag(text)
        return [Field("Key", key), Field("Value", value ?? "")]
    }

    /// `KEY=VALUE`, `KEY=` or `KEY` for deleting tags: `KEY` alone matches any value, so no
    /// `Value` is sent for it.
    public static let tagKeyOptionalValue = ValueType(expected: "KEY[=VALUE]") { text throws(ValueError) in
        let (key, value) = try splitTag(text)
        return [Field("Key", key)] + (value.map { [Field("Value", $0)] } ?? [])
    }

    private static func splitTag(_ text: String) throws(ValueError) -> (String, String?) {
        guard let eq = text.firstIndex(of: "=") else {
            guard !text.isEmpty else { throw .expected("KEY[=VALUE]", got: text) }
            return (text, nil)
        }
        let key = String(text[..<eq])
        guard !key.isEmpty else { throw .expected("KEY[=VALUE] with a non-empty KEY", got: text) }
        return (key, String(text[text.index(after: eq)...]))
    }
}
