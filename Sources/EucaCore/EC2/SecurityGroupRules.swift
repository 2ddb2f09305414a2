/// One security-group rule as euca-authorize and euca-revoke build it from their options, the
/// request parameters it becomes, and the lines the commands print for it.
///
/// The checks follow euca2ools 3.4.1 (`parse_ports` and `ModifySecurityGroupRequest`) with one
/// deliberate difference: a source-group rule (`-o GROUP`) grants exactly that group. euca2ools
/// also sent `CidrIp=0.0.0.0/0` with it, which opened the port to the whole internet as well.
public struct SecurityGroupRule: Sendable, Equatable {
    /// The group to change, by name or by `sg-` ID, as typed.
    public var group: String
    public var egress: Bool
    /// As sent: `tcp`, `udp`, `icmp`, `sctp`, `-1` (all), or a protocol number.
    public var ipProtocol: String
    public var fromPort: Int?
    public var toPort: Int?
    /// CIDR blocks; empty for a source-group rule.
    public var cidrs: [String]
    public var sourceGroup: String?
    public var sourceGroupUser: String?

    /// What was typed, before any check.
    public struct Input: Sendable, Equatable {
        public var group: String
        public var egress = false
        public var ipProtocol: String?
        public var portRange: String?
        public var icmpTypeCode: String?
        public var cidrs: [String] = []
        public var sourceGroup: String?
        public var sourceGroupUser: String?

        public init(group: String, egress: Bool = false, ipProtocol: String? = nil,
                    portRange: String? = nil, icmpTypeCode: String? = nil, cidrs: [String] = [],
                    sourceGroup: String? = nil, sourceGroupUser: String? = nil) {
            self.group = group
            self.egress = egress
            self.ipProtocol = ipProtocol
            self.portRange = portRange
            self.icmpTypeCode = icmpTypeCode
            self.cidrs = cidrs
            self.sourceGroup = sourceGroup
            self.sourceGroupUser = sourceGroupUser
        }
    }

    /// How a protocol treats ports: TCP, UDP and SCTP take a port range, ICMP a type and
    /// code, and every other protocol (including -1, all) none.
    enum PortKind { case ports, icmp, none }

    static func portKind(_ ipProtocol: String) -> PortKind {
        switch ipProtocol {
        case "tcp", "6", "udp", "17", "sctp", "132": return .ports
        case "icmp", "1": return .icmp
        default: return .none
        }
    }

    static let protocolForm = "tcp, udp, icmp, sctp, all, or a protocol number from 0 to 255 (-1 for all)"

    /// Checks the combination of options and builds the rule. Every message names the option
    /// and the form it expects.
    public static func make(_ input: Input) throws(UsageError) -> SecurityGroupRule {
        let ipProtocol: String
        do {
            ipProtocol = try normalizedProtocol(input.ipProtocol ?? "tcp")
        } catch {
            throw UsageError("-P/--protocol: \(error.problem)")
        }
        if input.egress && !isGroupId(input.group) {
            throw UsageError("--egress: egress rules need the group's ID (sg-…), not the name \(quoted(input.group))")
        }
        var rule = SecurityGroupRule(group: input.group, egress: input.egress, ipProtocol: ipProtocol,
                                     fromPort: nil, toPort: nil, cidrs: [], sourceGroup: nil,
                                     sourceGroupUser: nil)
        switch portKind(ipProtocol) {
        case .ports:
            if input.icmpTypeCode != nil {
                throw UsageError("-t/--icmp-type-code: not allowed with protocol \(quoted(ipProtocol)); give its ports with -p/--port-range PORT or FROM-TO")
            }
            guard let range = input.portRange else {
                throw UsageError("-p/--port-range is required for protocol \(quoted(ipProtocol)): give PORT or FROM-TO (e.g. -p 22 or -p 8000-8080; -1 means all)")
            }
            let (from, to): (Int, Int)
            do {
                (from, to) = try PortRange.parse(range)
            } catch {
                throw UsageError("-p/--port-range: \(error.problem)")
            }
            // As in euca2ools: -1 stands for the lowest or highest port.
            rule.fromPort = from == -1 ? 1 : from
            rule.toPort = to == -1 ? 65535 : to
        case .icmp:
            if input.portRange != nil {
                throw UsageError("-p/--port-range: not allowed with protocol \(quoted(ipProtocol)); give the ICMP type and code with -t/--icmp-type-code TYPE:CODE (-1:-1 for all)")
            }
            let fields: [Field]
            do {
                fields = try ValueType.icmpTypeCode.convert(input.icmpTypeCode ?? "-1:-1")
            } catch {
                throw UsageError("-t/--icmp-type-code: \(error.problem)")
            }
            rule.fromPort = fields.first { $0.suffix == "FromPort" }.flatMap { Int($0.value) }
            rule.toPort = fields.first { $0.suffix == "ToPort" }.flatMap { Int($0.value) }
        case .none:
            if input.portRange != nil {
                throw UsageError("-p/--port-range: not allowed with protocol \(quoted(ipProtocol)), which has no ports; use -P tcp, udp or sctp to give ports")
            }
            if input.icmpTypeCode != nil {
                throw UsageError("-t/--icmp-type-code: not allowed with protocol \(quoted(ipProtocol)); use -P icmp to give an ICMP type and code")
            }
        }

        // -s with -o, and -u without -o, are refused by the commands' constraints.
        if let source = input.sourceGroup {
            guard !source.isEmpty else { throw UsageError("-o/--source-group: expected a group name or ID") }
            if !isGroupId(source) {
                if input.egress {
                    throw UsageError("-o/--source-group: egress rules need the source group's ID (sg-…), not the name \(quoted(source))")
                }
                if (input.sourceGroupUser ?? "").isEmpty {
                    throw UsageError("-u/--source-group-user ACCOUNT is required when -o/--source-group names a group (\(quoted(source))); give the owner's account ID, or the group's sg- ID instead of its name")
                }
            }
            rule.sourceGroup = source
            rule.sourceGroupUser = input.sourceGroupUser
        } else {
            for cidr in input.cidrs where !CIDR.isValidIPv4(cidr) {
                throw UsageError("-s/--cidr: expected an IPv4 CIDR block like 10.0.0.0/8, got \(quoted(cidr))")
            }
            rule.cidrs = input.cidrs.isEmpty ? ["0.0.0.0/0"] : input.cidrs
        }
        return rule
    }

    /// `tcp`/`udp`/`icmp`/`sctp` (any case), `all` (sent as -1), or a number from -1 to 255.
    static func normalizedProtocol(_ text: String) throws(ValueError) -> String {
        let lower = text.lowercased()
        switch lower {
        case "tcp", "udp", "icmp", "sctp": return lower
        case "all": return "-1"
        default:
            guard let number = Int(text), (-1...255).contains(number),
                  text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") })
            else { throw .expected(protocolForm, got: text) }
            return String(number)
        }
    }

    /// The value type of `-P/--protocol`, so that a bad protocol is reported while parsing.
    public static let protocolType = ValueType(
        expected: protocolForm, completion: .choices(["tcp", "udp", "icmp", "sctp", "all"])
    ) { text throws(ValueError) in
        .scalar(try normalizedProtocol(text))
    }

    static func isGroupId(_ value: String) -> Bool { value.hasPrefix("sg-") }

    /// The EC2 action: Authorize/RevokeSecurityGroupIngress/Egress.
    public func action(authorize: Bool) -> String {
        (authorize ? "Authorize" : "Revoke") + "SecurityGroup" + (egress ? "Egress" : "Ingress")
    }

    public var queryItems: [QueryItem] {
        var items = [QueryItem(Self.isGroupId(group) ? "GroupId" : "GroupName", group),
                     QueryItem("IpPermissions.1.IpProtocol", ipProtocol)]
        if let fromPort { items.append(QueryItem("IpPermissions.1.FromPort", String(fromPort))) }
        if let toPort { items.append(QueryItem("IpPermissions.1.ToPort", String(toPort))) }
        if let sourceGroup {
            items.append(QueryItem(Self.isGroupId(sourceGroup) ? "IpPermissions.1.Groups.1.GroupId"
                                                               : "IpPermissions.1.Groups.1.GroupName",
                                   sourceGroup))
            if let user = sourceGroupUser, !user.isEmpty {
                items.append(QueryItem("IpPermissions.1.Groups.1.UserId", user))
            }
        }
        for (index, cidr) in cidrs.enumerated() {
            items.append(QueryItem("IpPermissions.1.IpRanges.\(index + 1).CidrIp", cidr))
        }
        return items
    }

    /// `GROUP name`, then the `PERMISSION` line of the rule sent, as euca2ools prints them:
    /// `PERMISSION group ALLOWS protocol from to [USER account] [NAME name | ID id]
    /// [FROM CIDR range]` — one PERMISSION line per CIDR block.
    public var records: [Record] {
        let base: [String?] = [group, "ALLOWS", ipProtocol, fromPort.map(String.init), toPort.map(String.init)]
        var source: [String?] = []
        if let user = sourceGroupUser, !user.isEmpty { source += ["USER", user] }
        if let sourceGroup { source += [Self.isGroupId(sourceGroup) ? "ID" : "NAME", sourceGroup] }
        var records = [Record("GROUP", group)]
        if cidrs.isEmpty {
            records.append(Record("PERMISSION", fields: base + source))
        } else {
            for cidr in cidrs {
                records.append(Record("PERMISSION", fields: base + source + ["FROM", "CIDR", cidr]))
            }
        }
        return records
    }
}

extension SecurityGroupRule {
    /// The options euca-authorize and euca-revoke share: every euca2ools 3.x spelling and the
    /// 1.x long names (`--source-subnet`, `--source-group`, `--source-group-user`).
    /// A rule grants either address ranges or a group; an owner only makes sense for a group.
    public static let constraints: [Constraint] = [
        .atMostOne(["cidr", "source-group"]),
        .requires("source-group-user", "source-group"),
    ]

    public static let commandOptions: [Option] = [
        Option.flag("--egress", help: "[VPC only] manage an egress rule, which controls traffic leaving the group (the group must be given by ID)"),
        Option("-P", "--protocol", metavar: "PROTOCOL", type: protocolType,
               help: "protocol to affect: tcp, udp, icmp, sctp, all (-1), or a protocol number (default: tcp)",
               key: "protocol"),
        Option("-p", "--port-range", metavar: "RANGE", type: .portRange,
               help: "port, or range of ports as FROM-TO (required for tcp, udp and sctp; -1 means all)",
               key: "port-range"),
        Option("-t", "--icmp-type-code", metavar: "TYPE:CODE", type: .icmpTypeCode,
               help: "ICMP type and code as TYPE:CODE (icmp only; default: -1:-1, all)",
               key: "icmp-type-code"),
        Option("-s", "--cidr", "--source-subnet", metavar: "CIDR", type: .cidr,
               help: "IPv4 address range the rule applies to (repeatable; default: 0.0.0.0/0 unless -o is given)",
               repeatable: true, key: "cidr"),
        Option("-o", "--source-group", metavar: "GROUP", type: .nonEmpty,
               help: "security group (name or sg- ID) the rule applies to instead of an address range; the rule grants exactly that group",
               key: "source-group"),
        Option("-u", "--source-group-user", metavar: "ACCOUNT", type: .nonEmpty,
               help: "ID of the account that owns the group given with -o (required when -o gives a name)",
               key: "source-group-user"),
    ]

    /// Builds the rule from an invocation of euca-authorize/euca-revoke, sends it and prints it.
    public static func run(_ invocation: Invocation, authorize: Bool) async throws {
        let arguments = invocation.arguments
        let rule = try make(Input(
            group: arguments.string("group") ?? "",
            egress: arguments.flag("egress"),
            ipProtocol: arguments.string("protocol").map { (try? normalizedProtocol($0)) ?? $0 },
            portRange: arguments.string("port-range"),
            icmpTypeCode: arguments.string("icmp-type-code"),
            cidrs: arguments.strings("cidr"),
            sourceGroup: arguments.string("source-group"),
            sourceGroupUser: arguments.string("source-group-user")))
        let response = try await invocation.ec2().call(rule.action(authorize: authorize), rule.queryItems)
        invocation.output(rule.records, from: [response])
    }
}

extension ParameterBinding {
    /// One value that is an ID when it starts with `idPrefix` (`sg-`) and a name otherwise:
    /// sent as `idParameter` or `nameParameter` (`GroupId` / `GroupName`).
    public static func nameOrId(idPrefix: String, name nameParameter: String,
                                id idParameter: String) -> ParameterBinding {
        ParameterBinding { occurrences in
            guard let value = occurrences.last?.first?.value else { return [] }
            return [QueryItem(value.hasPrefix(idPrefix) ? idParameter : nameParameter, value)]
        }
    }
}
