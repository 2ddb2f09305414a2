/// What `--output json` prints: the service's response documents as JSON for `jq`. Element
/// names are kept; `item` (EC2) and `member` (IAM, ELB, Auto Scaling, CloudWatch,
/// CloudFormation) lists become arrays, and so do repeated elements (S3's `Contents`); the
/// pages of a paginated call are merged into one object; request ids, `ResponseMetadata` and
/// the page token are dropped; the `<ActionResult>` wrapper of the Query services other than
/// EC2 is unwrapped, as euca2ools does. Every value is a string, as in the XML.
public enum ResponseJSON {
    /// Elements that describe the exchange, not the result.
    static let dropped: Set<String> = ["requestId", "RequestId", "ResponseMetadata"]

    /// One object for all pages: list members are concatenated, anything else is the last
    /// page's (so `IsTruncated` reads as the last page says).
    public static func merge(_ documents: [XML.Element], pageToken: String? = nil) -> JSONValue {
        var merged: [(String, JSONValue)] = []
        for document in documents {
            guard case .object(let members) = object(document, dropping: pageToken) else { continue }
            for (name, value) in members {
                if let index = merged.firstIndex(where: { $0.0 == name }) {
                    if case .array(let earlier) = merged[index].1, case .array(let later) = value {
                        merged[index].1 = .array(earlier + later)
                    } else {
                        merged[index].1 = value
                    }
                } else {
                    merged.append((name, value))
                }
            }
        }
        return .object(merged)
    }

    /// A response document's content, without its root and exchange metadata.
    static func object(_ document: XML.Element, dropping pageToken: String?) -> JSONValue {
        var root = document
        // IAM-style `<XResponse><XResult>…</XResult><ResponseMetadata/></XResponse>`.
        let results = document.children.filter { $0.name.hasSuffix("Result") }
        if results.count == 1, document.children.allSatisfy({ $0.name.hasSuffix("Result") || dropped.contains($0.name) }) {
            root = results[0]
        }
        root.children.removeAll { dropped.contains($0.name) || $0.name == pageToken }
        if root.children.isEmpty { return .object([]) }
        return value(root)
    }

    static func value(_ element: XML.Element) -> JSONValue {
        if element.children.isEmpty {
            // An empty EC2 list (`<groupSet/>`) is still a list.
            if element.text.isEmpty && element.name.hasSuffix("Set") { return .array([]) }
            return .string(element.text)
        }
        if element.children.allSatisfy({ $0.name == "item" || $0.name == "member" }) {
            return .array(element.children.map(value))
        }
        var members: [(String, JSONValue)] = []
        var repeated: Set<String> = []
        var counts: [String: Int] = [:]
        for child in element.children { counts[child.name, default: 0] += 1 }
        for child in element.children {
            let converted = value(child)
            if counts[child.name]! > 1 {
                if let index = members.firstIndex(where: { $0.0 == child.name }), case .array(let list) = members[index].1,
                   repeated.contains(child.name) {
                    members[index].1 = .array(list + [converted])
                } else {
                    repeated.insert(child.name)
                    members.append((child.name, .array([converted])))
                }
            } else {
                members.append((child.name, converted))
            }
        }
        return .object(members)
    }
}
