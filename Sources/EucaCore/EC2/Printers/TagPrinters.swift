extension Record {
    /// `TAG resourceType resourceId key value` for a tag in a resource's `tagSet`.
    public static func tag(_ tag: XML.Element, resourceId: String?) -> Record {
        Record("TAG", resourceId.flatMap(ResourceType.of), resourceId, tag.value("key"), tag.value("value"))
    }

    /// The `TAG` lines that follow a resource's own record.
    public static func tags(of resource: XML.Element, id: String?) -> [Record] {
        resource.items("tagSet").map { tag($0, resourceId: id) }
    }
}

extension Printer {
    /// `TAG resourceType resourceId key value` for each tag of a DescribeTags response.
    public static let tags = Printer { response in
        response.items("tagSet").map {
            Record("TAG", $0.value("resourceType"), $0.value("resourceId"), $0.value("key"), $0.value("value"))
        }
    }
}
