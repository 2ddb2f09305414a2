extension ParameterBinding {
    /// Security groups given by name or by `sg-` id, as euca2ools' `-g` takes either: names
    /// fill `NAMES.N` and ids fill `IDS.N`, each list numbered from 1 on its own.
    public static func groupNamesOrIds(names: String, ids: String) -> ParameterBinding {
        ParameterBinding { occurrences in
            var nameCount = 0
            var idCount = 0
            return occurrences.compactMap { fields in
                guard let value = fields.first?.value else { return nil }
                if value.hasPrefix("sg-") {
                    idCount += 1
                    return QueryItem("\(ids).\(idCount)", value)
                }
                nameCount += 1
                return QueryItem("\(names).\(nameCount)", value)
            }
        }
    }
}
