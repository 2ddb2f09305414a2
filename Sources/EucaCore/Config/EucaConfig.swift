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
        guard let entry = sections["global"]?[key], !entry.value.isEmpty else { return nil }
        return Sourced(entry.value, .file(path: entry.path, section: "global"))
    }

    public func region(_ region: String, _ key: String) -> Sourced<String>? {
        lookup(kind: "region", name: region, key: key)?.value
    }

    /// A region value with the name of the section that finally supplied it (after wildcards,
    /// `use` jumps and namespace prefixes): an endpoint's signing region comes from there.
    public func regionValue(_ region: String, _ key: String) -> ConfigValue? {
        lookup(kind: "region", name: region, key: key)
    }

    public func user(_ user: String, _ key: String) -> Sourced<String>? {
        lookup(kind: "user", name: user, key: key)?.value
    }

    public func hasRegion(_ name: String) -> Bool { section(kind: "region", name: name) != nil }
    public func hasUser(_ name: String) -> Bool { section(kind: "user", name: name) != nil }

    /// The section a name selects: the exact one, else the one namespaced section ending in
    /// `:NAME` (euca2ools lets `us-east-1` find `[region aws:us-east-1]`).
    func section(kind: String, name: String) -> String? {
        if sections["\(kind) \(name)"] != nil { return name }
        return prefixedSections(kind: kind, name: name).flatMap { $0.count == 1 ? $0[0] : nil }
    }

    /// Sections whose name ends with all of NAME's `:`-separated parts and is longer, the
    /// shortest such names only (`us-east-1` → `aws:us-east-1`, not `x:aws:us-east-1`).
    func prefixedSections(kind: String, name: String) -> [String]? {
        let bits = name.split(separator: ":", omittingEmptySubsequences: false)
        var byLength: [Int: [String]] = [:]
        for section in sections.keys where section.hasPrefix(kind + " ") {
            let candidate = section.dropFirst(kind.count + 1)
            let candidateBits = candidate.split(separator: ":", omittingEmptySubsequences: false)
            if candidateBits.count > bits.count, Array(candidateBits.suffix(bits.count)) == bits {
                byLength[candidateBits.count, default: []].append(String(candidate))
            }
        }
        return byLength.keys.min().map { byLength[$0]!.sorted() }
    }

    /// euca2ools' (requestbuilder's) lookup of KEY for a region or user NAME:
    /// 1. NAME and its wildcard forms, most specific first (`aws:us-west-1`, `aws:*`,
    ///    `*:us-west-1`, `*:*`); a value `use OTHER [KEY2]` continues the lookup at section
    ///    OTHER (for KEY2, default the same key) — euca2ools' aws.ini sends every `aws:*`
    ///    region's `iam-url` to `aws:us-east-1` this way;
    /// 2. else the one namespaced section ending in `:NAME`;
    /// 3. else the `*` section.
    /// A jump back to a section already visited stops there, keeping the `use` value, as
    /// euca2ools does; two equally short namespaced candidates match neither.
    func lookup(kind: String, name: String, key: String, seen: [String] = []) -> ConfigValue? {
        let bits = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        for mask in EucaConfig.wildcardMasks(bits.count) {
            let candidate = zip(bits, mask).map { $1 ? $0 : "*" }.joined(separator: ":")
            guard let entry = sections["\(kind) \(candidate)"]?[key], !entry.value.isEmpty else { continue }
            let words = entry.value.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if words.first == "use", words.count >= 2, !seen.contains(words[1]) {
                return lookup(kind: kind, name: words[1], key: words.count > 2 ? words[2] : key,
                              seen: seen + [name])
            }
            return ConfigValue(value: Sourced(entry.value, .file(path: entry.path, section: "\(kind) \(candidate)")),
                               section: candidate, sectionName: sections["\(kind) \(candidate)"]?["name"]?.value)
        }
        if let prefixed = prefixedSections(kind: kind, name: name), prefixed.count == 1,
           !seen.contains(prefixed[0]) {
            return lookup(kind: kind, name: prefixed[0], key: key, seen: seen + [name])
        }
        if let entry = sections["\(kind) *"]?[key], !entry.value.isEmpty {
            return ConfigValue(value: Sourced(entry.value, .file(path: entry.path, section: "\(kind) *")),
                               section: "*", sectionName: sections["\(kind) *"]?["name"]?.value)
        }
        return nil
    }

    /// Which parts of a name to keep (true) or replace by `*`, most specific first, in the
    /// order of Python's `itertools.product((True, False), repeat: n)`; the lone `*` of a
    /// one-part name is left to the final step.
    static func wildcardMasks(_ count: Int) -> [[Bool]] {
        var masks: [[Bool]] = [[]]
        for _ in 0..<count { masks = masks.flatMap { [$0 + [true], $0 + [false]] } }
        return masks.filter { !(count == 1 && $0 == [false]) }
    }
}

/// A value found in a `[region]` or `[user]` section, with the section that supplied it.
public struct ConfigValue: Sendable {
    public var value: Sourced<String>
    /// The section's name without its kind: `aws:us-east-1`, `*`.
    public var section: String
    /// The section's own `name` key, if it has one.
    public var sectionName: String?

    /// The region a service endpoint found in this section is signed for: the section's
    /// `name` key, else the last part of its name (`aws:us-east-1` → `us-east-1`).
    public var signingRegion: String {
        sectionName ?? String(section.split(separator: ":").last ?? Substring(section))
    }
}
