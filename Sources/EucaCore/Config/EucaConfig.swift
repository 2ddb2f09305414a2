/// The euca2ools configuration files, merged: `[global]`, `[region NAME]` and `[user NAME]`
/// sections from `/etc/euca2ools/euca2ools.ini`, `/etc/euca2ools/conf.d/*.ini` and
/// `~/.euca/*.ini` (or the globs in `EUCA_CONFIG_PATH`), later files overriding earlier ones
/// key by key, as Python's ConfigParser does for euca2ools.
public struct EucaConfig: Sendable, Equatable {
    /// Section name ("global", "region NAME", "user NAME") → key → (value, file it came from).
    var sections: [String: [String: (value: String, path: String)]] = [:]

    public init() {}

    public init(files: [IniFile]) {
        for file in files {
            for section in file.sections where !section.name.isEmpty {
                let name = EucaConfig.normalizeSectionName(section.name)
                for (key, value) in section.values {
                    sections[name, default: [:]][key] = (value, file.path)
                }
            }
        }
    }

    public static func == (lhs: EucaConfig, rhs: EucaConfig) -> Bool {
        lhs.sections.keys == rhs.sections.keys && lhs.sections.allSatisfy { name, values in
            guard let other = rhs.sections[name], other.keys == values.keys else { return false }
            return values.allSatisfy { other[$0.key]?.value == $0.value.value }
        }
    }

    /// "region   foo" → "region foo"
    static func normalizeSectionName(_ name: String) -> String {
        name.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    public func global(_ key: String) -> Sourced<String>? {
        lookup(section: "global", key: key)
    }

    public func region(_ region: String, _ key: String) -> Sourced<String>? {
        lookup(section: resolve(kind: "region", name: region), key: key)
    }

    public func user(_ user: String, _ key: String) -> Sourced<String>? {
        lookup(section: resolve(kind: "user", name: user), key: key)
    }

    public func hasRegion(_ name: String) -> Bool { sections[resolve(kind: "region", name: name)] != nil }
    public func hasUser(_ name: String) -> Bool { sections[resolve(kind: "user", name: name)] != nil }

    /// Exact section first; otherwise a namespaced one ending in `:NAME` if there is exactly one
    /// (euca2ools lets `us-east-1` find `[region aws:us-east-1]`).
    func resolve(kind: String, name: String) -> String {
        let exact = "\(kind) \(name)"
        if sections[exact] != nil { return exact }
        let namespaced = sections.keys.filter { $0.hasPrefix("\(kind) ") && $0.hasSuffix(":\(name)") }
        return namespaced.count == 1 ? namespaced[0] : exact
    }

    func lookup(section: String, key: String) -> Sourced<String>? {
        guard let entry = sections[section]?[key], !entry.value.isEmpty else { return nil }
        let label = section == "global" ? "global" : section
        return Sourced(entry.value, .file(path: entry.path, section: label))
    }
}
