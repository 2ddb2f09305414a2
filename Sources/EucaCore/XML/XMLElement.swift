/// The small XML tree every response is read into. AWS Query and S3 responses are
/// element-only documents (no mixed content we care about), so an element keeps its
/// children and the concatenated text directly inside it.
public enum XML {}

extension XML {
    public struct Element: Sendable, Equatable {
        /// Local name, without any namespace prefix (`ec2:item` → `item`).
        public var name: String
        public var attributes: [String: String]
        public var children: [Element]
        public var text: String

        public init(name: String, attributes: [String: String] = [:], children: [Element] = [],
                    text: String = "") {
            self.name = name
            self.attributes = attributes
            self.children = children
            self.text = text
        }

        /// The first child with this name, or nil.
        public subscript(_ childName: String) -> Element? {
            children.first { $0.name == childName }
        }

        /// Follows a path of child names: `response["reservationSet", "item"]`.
        public subscript(_ path: String...) -> Element? {
            var node: Element? = self
            for step in path { node = node?[step] }
            return node
        }

        /// The text of a child (or of a path of children); nil when absent *or empty*, because
        /// AWS sends `<kernelId/>` and omits the element interchangeably and the printers treat
        /// both as an empty field.
        public func value(_ path: String...) -> String? {
            var node: Element? = self
            for step in path { node = node?[step] }
            guard let text = node?.text, !text.isEmpty else { return nil }
            return text
        }

        /// The `item` children of a list element: `<groupSet><item/>…</groupSet>`; empty when
        /// the list element is absent.
        public func items(_ path: String...) -> [Element] {
            var node: Element? = self
            for step in path { node = node?[step] }
            return node?.children.filter { $0.name == "item" } ?? []
        }

        /// All children with a given name (S3 lists repeat elements without a wrapper).
        public func all(_ childName: String) -> [Element] {
            children.filter { $0.name == childName }
        }

        /// Depth-first search for the first descendant (or self) with this name.
        public func first(named wanted: String) -> Element? {
            if name == wanted { return self }
            for child in children {
                if let found = child.first(named: wanted) { return found }
            }
            return nil
        }
    }
}
