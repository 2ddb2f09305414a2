import Foundation

/// euca-describe-instance-types: a table of instance types, as euca2ools 3.4.1 prints it
/// (`INSTANCETYPE\t` then space-aligned columns, a header line first). Both response shapes
/// work: Eucalyptus' `instanceTypeDetails` (name, cpu, memory, disk, per-zone `availability`)
/// and AWS's `instanceTypeSet` (instanceType, vCpuInfo, memoryInfo, instanceStorageInfo; an
/// EBS-only type has 0 GiB of disk). Capacity (`--show-capacity`, `--by-zone`) is a Eucalyptus
/// extension.
public enum InstanceTypes {
    public static func describe(_ invocation: Invocation) async throws {
        let showCapacity = invocation.arguments.flag("show-capacity")
        let byZone = invocation.arguments.flag("by-zone")
        var parameters = invocation.boundParameters
        if showCapacity || byZone { parameters.append(QueryItem("Availability", "true")) }
        let pages = try await invocation.ec2().callAllPages("DescribeInstanceTypes", parameters)
        let text = lines(pages, showCapacity: showCapacity, byZone: byZone).map { $0 + "\n" }.joined()
        invocation.output(bytes: Data(text.utf8), from: pages, pageToken: "nextToken")
    }

    struct TypeInfo {
        var name: String
        var cpu: String
        var memory: String
        var disk: String
        var available = 0
        var maximum = 0
    }

    /// The output lines (without newlines) for the response pages.
    public static func lines(_ pages: [XML.Element], showCapacity: Bool, byZone: Bool) -> [String] {
        var order: [String] = []
        var totals: [String: TypeInfo] = [:]
        var zones: [String: [String: TypeInfo]] = [:]
        let capacity = showCapacity || byZone
        for page in pages {
            for item in page.items("instanceTypeDetails") {
                // Eucalyptus; a missing value shows as Python's None, as euca2ools shows it.
                let name = item.value("name") ?? "None"
                let info = TypeInfo(name: name, cpu: item.value("cpu") ?? "None",
                                    memory: item.value("memory") ?? "None", disk: item.value("disk") ?? "None")
                if totals[name] == nil { order.append(name) }
                totals[name] = info
                guard capacity else { continue }
                for zone in item.items("availability") {
                    let available = Int(zone.value("available") ?? "") ?? 0
                    let maximum = Int(zone.value("max") ?? "") ?? 0
                    totals[name]!.available += available
                    totals[name]!.maximum += maximum
                    var perZone = info
                    perZone.available = available
                    perZone.maximum = maximum
                    zones[zone.value("zoneName") ?? "", default: [:]][name] = perZone
                }
            }
            for item in page.items("instanceTypeSet") {
                // AWS
                let name = item.value("instanceType") ?? "None"
                if totals[name] == nil { order.append(name) }
                totals[name] = TypeInfo(name: name, cpu: item.value("vCpuInfo", "defaultVCpus") ?? "None",
                                        memory: item.value("memoryInfo", "sizeInMiB") ?? "None",
                                        disk: item.value("instanceStorageInfo", "totalSizeInGB") ?? "0")
            }
        }
        if byZone {
            var out: [String] = []
            for zone in zones.keys.sorted() {
                out.append("AVAILABILITYZONE\t\(zone)")
                let types = zones[zone]!
                out += table(order.compactMap { types[$0] }, showCapacity: showCapacity)
                out.append("")
            }
            return out
        }
        return table(order.compactMap { totals[$0] }, showCapacity: showCapacity)
    }

    /// Name left-aligned, numbers right-aligned, columns two spaces apart, each as wide as its
    /// widest entry or header; with capacity, `used / total  used%`.
    static func table(_ types: [TypeInfo], showCapacity: Bool) -> [String] {
        let header = ["Name", "CPUs", "Memory (MiB)", "Disk (GiB)", "Used", "Total", "Used %"]
        var rows: [[String]] = [header]
        for type in types {
            let used = type.maximum - type.available
            let percent = type.maximum == 0 ? "" : String(format: "%.0f%%", Double(used) / Double(type.maximum) * 100)
            rows.append([type.name, type.cpu, type.memory, type.disk, String(used), String(type.maximum), percent])
        }
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func left(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        return rows.map { row in
            var line = left(row[0], widths[0]) + "  " + right(row[1], widths[1]) + "  "
                + right(row[2], widths[2]) + "  " + right(row[3], widths[3])
            if showCapacity {
                line += "  " + right(row[4], widths[4]) + " / " + right(row[5], widths[5]) + "  " + right(row[6], widths[6])
            }
            return "INSTANCETYPE\t" + line
        }
    }
}
