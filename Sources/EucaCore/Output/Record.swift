/// One line of euca2ools output: a record type tag (`INSTANCE`, `VOLUME`, …) followed by fields.
/// A nil field is "no value": printed empty, or `(nil)` under `--show-empty-fields`. Trailing
/// empty fields are kept, since scripts count columns with awk.
public struct Record: Sendable, Equatable, CustomStringConvertible {
    public var fields: [String?]

    public init(_ tag: String, _ fields: String?...) {
        self.fields = [tag] + fields
    }

    public init(_ tag: String, fields: [String?]) {
        self.fields = [tag] + fields
    }

    public func formatted(showEmptyFields: Bool = false) -> String {
        fields.map { field in
            guard let field, !field.isEmpty else { return showEmptyFields ? "(nil)" : "" }
            return field
        }.joined(separator: "\t")
    }

    public var description: String { formatted() }
}
