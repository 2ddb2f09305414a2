extension Record {
    /// `SNAPSHOT id volume status startTime progress owner volumeSize description`, then the
    /// snapshot's `TAG`s.
    public static func snapshot(_ snapshot: XML.Element) -> [Record] {
        [Record("SNAPSHOT", snapshot.value("snapshotId"), snapshot.value("volumeId"),
                snapshot.value("status"), snapshot.value("startTime"), snapshot.value("progress"),
                snapshot.value("ownerId"), snapshot.value("volumeSize"), snapshot.value("description"))]
            + tags(of: snapshot, id: snapshot.value("snapshotId"))
    }
}

extension Printer {
    /// Every snapshot of the responses, each once (the default listing asks twice — owned by
    /// and restorable by the caller — and a snapshot may be in both answers).
    public static func snapshots(_ responses: [XML.Element]) -> [Record] {
        var seen: Set<String> = []
        return responses.flatMap { $0.items("snapshotSet") }.filter { snapshot in
            guard let id = snapshot.value("snapshotId") else { return true }
            return seen.insert(id).inserted
        }.flatMap(Record.snapshot)
    }

    /// Every snapshot of a DescribeSnapshots response.
    public static let snapshots = Printer { response in snapshots([response]) }

    /// `SNAPSHOT id volume status startTime owner volumeSize description` for CreateSnapshot
    /// (no progress column, as euca2ools prints it).
    public static let createdSnapshot = Printer { response in
        [Record("SNAPSHOT", response.value("snapshotId"), response.value("volumeId"),
                response.value("status"), response.value("startTime"), response.value("ownerId"),
                response.value("volumeSize"), response.value("description"))]
    }

    /// DescribeSnapshotAttribute: `createVolumePermission snapshot userId|group value` per
    /// permission and `productCodes snapshot productCode code` per product code.
    public static let snapshotAttribute = Printer { response in
        let id = response.value("snapshotId")
        return Record.attributePermissions("createVolumePermission", of: response, id: id)
            + Record.attributeProductCodes(of: response, id: id)
    }
}

extension Record {
    /// `NAME id entityType entity` for each entity of a launchPermission or
    /// createVolumePermission list (`userId 123456789012`, `group all`).
    static func attributePermissions(_ list: String, of response: XML.Element, id: String?) -> [Record] {
        response.items(list).flatMap { permission in
            permission.children.map { Record(list, id, $0.name, $0.text) }
        }
    }

    /// `productCodes id productCode CODE` (`[TYPE: CODE]` when the code has a type).
    static func attributeProductCodes(of response: XML.Element, id: String?) -> [Record] {
        response.items("productCodes").map { code in
            let text = code.value("type").map { "[\($0): \(code.value("productCode") ?? "")]" }
                ?? code.value("productCode")
            return Record("productCodes", id, "productCode", text)
        }
    }
}
