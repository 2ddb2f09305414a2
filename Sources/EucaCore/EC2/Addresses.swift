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
}
