extension Record {
    /// `VOLUME id size snapshot zone status createTime type iops` (type `standard` when the
    /// response has none), then an `ATTACHMENT` line per attachment and the volume's `TAG`s.
    public static func volume(_ volume: XML.Element) -> [Record] {
        [Record("VOLUME", volume.value("volumeId"), volume.value("size"), volume.value("snapshotId"),
                volume.value("availabilityZone"), volume.value("status"), volume.value("createTime"),
                volume.value("volumeType") ?? "standard", volume.value("iops"))]
            + volume.items("attachmentSet").map(volumeAttachment)
            + tags(of: volume, id: volume.value("volumeId"))
    }

    /// `ATTACHMENT volume instance device status attachTime` for a volume attachment (an item of
    /// a volume's attachmentSet, or an AttachVolume/DetachVolume response).
    public static func volumeAttachment(_ attachment: XML.Element) -> Record {
        Record("ATTACHMENT", attachment.value("volumeId"), attachment.value("instanceId"),
               attachment.value("device"), attachment.value("status"), attachment.value("attachTime"))
    }
}

extension Printer {
    /// Every volume of a DescribeVolumes response.
    public static let volumes = Printer { response in
        response.items("volumeSet").flatMap(Record.volume)
    }

    /// The first seven fields of the VOLUME line for a CreateVolume response:
    /// `VOLUME id size snapshot zone status createTime`.
    public static let createdVolume = Printer { response in
        [Record("VOLUME", response.value("volumeId"), response.value("size"), response.value("snapshotId"),
                response.value("availabilityZone"), response.value("status"), response.value("createTime"))]
    }

    /// `ATTACHMENT …` for an AttachVolume or DetachVolume response.
    public static let volumeAttachment = Printer { response in
        [Record.volumeAttachment(response)]
    }
}
