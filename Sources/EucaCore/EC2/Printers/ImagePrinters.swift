extension Record {
    /// `IMAGE id name-or-location owner state public|private architecture type kernel ramdisk
    /// platform rootDeviceType virtualizationType hypervisor`, then a `BLOCKDEVICEMAPPING` line
    /// per mapping and the image's `TAG`s. The second column is `owner/name` when the image has
    /// a name and its manifest location otherwise; the owner column is the owner's alias when
    /// there is one — both as euca2ools 3.4.1 prints them.
    public static func image(_ image: XML.Element) -> [Record] {
        let nameOrLocation = image.value("name").map { "\(image.value("imageOwnerId") ?? "")/\($0)" }
            ?? image.value("imageLocation")
        return [Record("IMAGE", image.value("imageId"), nameOrLocation,
                       image.value("imageOwnerAlias") ?? image.value("imageOwnerId"),
                       image.value("imageState"),
                       image.value("isPublic") == "true" ? "public" : "private",
                       image.value("architecture"), image.value("imageType"), image.value("kernelId"),
                       image.value("ramdiskId"), image.value("platform"), image.value("rootDeviceType"),
                       image.value("virtualizationType"), image.value("hypervisor"))]
            + image.items("blockDeviceMapping").map(blockDeviceMapping)
            + tags(of: image, id: image.value("imageId"))
    }

    /// `BLOCKDEVICEMAPPING EPHEMERAL device virtualName` for an instance-store mapping,
    /// `BLOCKDEVICEMAPPING EBS device snapshot size deleteOnTermination type iops` otherwise.
    public static func blockDeviceMapping(_ mapping: XML.Element) -> Record {
        if let virtualName = mapping.value("virtualName") {
            return Record("BLOCKDEVICEMAPPING", "EPHEMERAL", mapping.value("deviceName"), virtualName)
        }
        return Record("BLOCKDEVICEMAPPING", "EBS", mapping.value("deviceName"),
                      mapping.value("ebs", "snapshotId"), mapping.value("ebs", "volumeSize"),
                      mapping.value("ebs", "deleteOnTermination"), mapping.value("ebs", "volumeType"),
                      mapping.value("ebs", "iops"))
    }
}

extension Printer {
    /// The images of one or more DescribeImages responses, each image once and sorted by ID,
    /// as euca2ools prints them (the default listing asks twice — owned by and executable by
    /// the caller — and an image may be in both answers).
    public static func images(_ responses: [XML.Element]) -> [Record] {
        var byId: [String: XML.Element] = [:]
        var withoutId: [XML.Element] = []
        for image in responses.flatMap({ $0.items("imagesSet") }) {
            if let id = image.value("imageId") {
                if byId[id] == nil { byId[id] = image }
            } else {
                withoutId.append(image)
            }
        }
        let sorted = byId.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        return (sorted.map { byId[$0]! } + withoutId).flatMap(Record.image)
    }

    /// The images of a DescribeImages response.
    public static let images = Printer { response in images([response]) }

    /// `IMAGE id` for RegisterImage, CreateImage and CopyImage.
    public static let imageId = Printer { response in
        [Record("IMAGE", response.value("imageId"))]
    }

    /// DescribeImageAttribute, as euca2ools prints each attribute:
    ///
    ///     launchPermission IMAGE userId|group VALUE
    ///     productCodes IMAGE productCode CODE
    ///     blockDeviceMapping IMAGE blockDeviceMap DEVICE: SNAPSHOT-OR-VIRTUAL-NAME
    ///     kernel|ramdisk|description IMAGE (empty) VALUE
    public static let imageAttribute = Printer { response in
        let id = response.value("imageId")
        var records = Record.attributePermissions("launchPermission", of: response, id: id)
            + Record.attributeProductCodes(of: response, id: id)
        for mapping in response.items("blockDeviceMapping") {
            let source = mapping.value("virtualName") ?? mapping.value("ebs", "snapshotId") ?? ""
            records.append(Record("blockDeviceMapping", id, "blockDeviceMap",
                                  "\(mapping.value("deviceName") ?? ""): \(source)"))
        }
        for name in ["kernel", "ramdisk", "description"] {
            // An attribute without a <value> (`<kernel/>`) is not set: nothing to print.
            if let attribute = response[name], !attribute.children.isEmpty {
                records.append(Record(name, id, nil, attribute.value("value")))
            }
        }
        return records
    }
}
