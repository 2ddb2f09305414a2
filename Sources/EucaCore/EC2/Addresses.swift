/// Elastic IP addresses: a classic address is named by its IP, a VPC one by its allocation
/// (eipalloc-) or association (eipassoc-) ID; the commands accept either where euca2ools does
/// and check that exactly one was given.
public enum Addresses {
    /// ADDRESS positionals: `eipalloc-` IDs become `AllocationId.N`, everything else
    /// `PublicIp.N`; each list sorted and without repeats, as euca2ools sends them.
    public static let describeBinding = ParameterBinding { occurrences in
        let values = Set(occurrences.compactMap { $0.first?.value })
        let allocations = values.filter { $0.hasPrefix("eipalloc-") }.sorted()
        let addresses = values.subtracting(allocations).sorted()
        return allocations.enumerated().map { QueryItem("AllocationId.\($0.offset + 1)", $0.element) }
            + addresses.enumerated().map { QueryItem("PublicIp.\($0.offset + 1)", $0.element) }
    }

    /// One ADDRESS positional: an ID with `idPrefix` is sent as `idParameter`, anything else as
    /// `PublicIp`.
    public static func addressOrId(_ idPrefix: String, _ idParameter: String) -> ParameterBinding {
        ParameterBinding { occurrences in
            guard let value = occurrences.last?.first?.value else { return [] }
            return [QueryItem(value.hasPrefix(idPrefix) ? idParameter : "PublicIp", value)]
        }
    }

    /// The allocation ID given with -a/--allocation-id (what makes euca-associate-address print
    /// the VPC form of its ADDRESS line).
    public static func allocationId(_ arguments: ParsedArguments) -> String? {
        arguments.string("allocation-id")
    }

    /// euca-associate-address: an address or -a, not both; -i or -n.
    public static func checkAssociate(_ invocation: Invocation) throws -> [QueryItem] {
        let arguments = invocation.arguments
        try checkOneOf(arguments, idOption: "allocation-id", idName: "-a/--allocation-id ALLOCATION")
        if !arguments.isSet("instance-id") && !arguments.isSet("network-interface") {
            throw UsageError("-i/--instance-id or -n/--network-interface is required: the instance or interface to associate the address with")
        }
        return []
    }

    /// euca-disassociate-address: an address or -a ASSOCIATION, not both.
    public static func checkDisassociate(_ invocation: Invocation) throws -> [QueryItem] {
        try checkOneOf(invocation.arguments, idOption: "association-id", idName: "-a/--association-id ASSOCIATION")
        return []
    }

    /// euca-release-address: an address or -a ALLOCATION, not both.
    public static func checkRelease(_ invocation: Invocation) throws -> [QueryItem] {
        try checkOneOf(invocation.arguments, idOption: "allocation-id", idName: "-a/--allocation-id ALLOCATION")
        return []
    }

    static func checkOneOf(_ arguments: ParsedArguments, idOption: String, idName: String) throws(UsageError) {
        let short = String(idName.prefix { $0 != " " })
        if let address = arguments.string("address"), arguments.isSet(idOption) {
            throw UsageError("\(short): not allowed with an address (\(quoted(address))); give one or the other")
        }
        if !arguments.isSet("address") && !arguments.isSet(idOption) {
            throw UsageError("give the elastic IP address (classic), or its ID with \(idName) (VPC)")
        }
    }
}
