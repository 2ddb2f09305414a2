extension Record {
    /// `GROUP id owner name description vpc`, then a `PERMISSION` line per address range or
    /// group of each ingress rule and then of each egress rule, then the group's `TAG`s:
    ///
    ///     PERMISSION owner group ALLOWS protocol from to FROM CIDR range ingress
    ///     PERMISSION owner group ALLOWS protocol from to FROM USER account [NAME name] [ID id] ingress
    ///
    /// (`TO` and `egress` for egress rules), as euca2ools 3.4.1 prints them.
    public static func securityGroup(_ group: XML.Element) -> [Record] {
        let owner = group.value("ownerId")
        let name = group.value("groupName")
        var records = [Record("GROUP", group.value("groupId"), owner, name,
                              group.value("groupDescription"), group.value("vpcId"))]
        for (list, direction, word) in [("ipPermissions", "FROM", "ingress"),
                                        ("ipPermissionsEgress", "TO", "egress")] {
            for permission in group.items(list) {
                let base: [String?] = [owner, name, "ALLOWS", permission.value("ipProtocol"),
                                       permission.value("fromPort"), permission.value("toPort")]
                for range in permission.items("ipRanges") {
                    records.append(Record("PERMISSION", fields: base + [direction, "CIDR", range.value("cidrIp"), word]))
                }
                for other in permission.items("groups") {
                    var fields = base + [direction, "USER", other.value("userId")]
                    if let otherName = other.value("groupName") { fields += ["NAME", otherName] }
                    if let otherId = other.value("groupId") { fields += ["ID", otherId] }
                    records.append(Record("PERMISSION", fields: fields + [word]))
                }
            }
        }
        return records + tags(of: group, id: group.value("groupId") ?? name)
    }
}

extension Printer {
    /// Every group of a DescribeSecurityGroups response with its rules.
    public static let securityGroups = Printer { response in
        response.items("securityGroupInfo").flatMap(Record.securityGroup)
    }

    /// `GROUP id name description` for CreateSecurityGroup (name and description as given).
    public static let createdSecurityGroup = Printer(withArguments: { response, arguments in
        [Record("GROUP", response.value("groupId"), arguments.string("group"),
                arguments.string("description"))]
    })

    /// `RETURN true` (the response's `return`), as euca-delete-group prints it.
    public static let securityGroupDeleted = Printer { response in
        [Record("RETURN", response.value("return"))]
    }
}
