/// `--filter NAME=VALUE`: validated against the names a command lists, and sent as
/// `Filter.N.Name` / `Filter.N.Value.M` with repeated names grouped into one filter (values of
/// one filter are ORed by EC2, different filters ANDed — the euca2ools behaviour).
public enum FilterOption {
    static func make(_ names: [String]) -> Option {
        Option("--filter", metavar: "NAME=VALUE", type: valueType(names),
               help: "restrict results to those matching a filter (repeatable; see FILTERS)",
               repeatable: true, parameter: binding, key: "filter")
    }

    static func valueType(_ names: [String]) -> ValueType {
        ValueType(expected: "NAME=VALUE") { text throws(ValueError) in
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                throw .expected("NAME=VALUE", got: text)
            }
            let name = String(text[..<eq])
            let value = String(text[text.index(after: eq)...])
            guard isAccepted(name, names) else {
                let list = names.isEmpty ? "none" : names.joined(separator: ", ")
                throw ValueError("unknown filter \(quoted(name)); this command accepts \(list) and tag:KEY")
            }
            return [Field("Name", name), Field("Value", value)]
        }
    }

    static func isAccepted(_ name: String, _ names: [String]) -> Bool {
        names.contains(name) || (name.hasPrefix("tag:") && name.count > 4)
    }

    static let binding = ParameterBinding { occurrences in
        var order: [String] = []
        var valuesByName: [String: [String]] = [:]
        for fields in occurrences {
            guard let name = fields.first(where: { $0.suffix == "Name" })?.value,
                  let value = fields.first(where: { $0.suffix == "Value" })?.value
            else { continue }
            if valuesByName[name] == nil { order.append(name) }
            valuesByName[name, default: []].append(value)
        }
        return order.enumerated().flatMap { index, name in
            [QueryItem("Filter.\(index + 1).Name", name)]
                + valuesByName[name]!.enumerated().map { valueIndex, value in
                    QueryItem("Filter.\(index + 1).Value.\(valueIndex + 1)", value)
                }
        }
    }
}
