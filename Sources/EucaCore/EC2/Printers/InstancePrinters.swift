import Foundation

/// The records of reservations and instances, shared by euca-run-instances and
/// euca-describe-instances (identical blocks), laid out as euca2ools 3.4.1 prints them:
///
///     RESERVATION  id  owner  group names (", ")
///     INSTANCE     32 fields (see `Record.instance`)
///     BLOCKDEVICE  device  volume  attachTime  deleteOnTermination  volumeType  iops
///     NETWORKINTERFACE, ATTACHMENT, ASSOCIATION, GROUP, PRIVATEIPADDRESS, TAG (per interface)
///     TAG          instance tags
extension Printer {
    /// A RunInstances response: its root element is the reservation.
    public static let reservation = Printer { response in
        Record.reservation(response)
    }

    /// A DescribeInstances response: every reservation in `reservationSet`.
    public static let reservations = Printer { response in
        response.items("reservationSet").flatMap(Record.reservation)
    }

    /// `INSTANCE id previousState currentState` for TerminateInstances, StopInstances and
    /// StartInstances responses (whichever of their instance lists the response has).
    public static let instanceStateChanges = Printer { response in
        let list = ["instancesSet", "terminatingInstances", "stoppingInstances", "startingInstances"]
            .lazy.compactMap { response[$0] }.first
        return (list?.children.filter { $0.name == "item" } ?? []).map { instance in
            Record("INSTANCE", instance.value("instanceId"), instance.value("previousState", "name"),
                   instance.value("currentState", "name"))
        }
    }

    /// `INSTANCEID monitoring-STATE` (no record tag, as euca2ools prints it) for
    /// MonitorInstances and UnmonitorInstances responses.
    public static let instanceMonitoring = Printer { response in
        response.items("instancesSet").map { instance in
            Record(instance.value("instanceId") ?? "", instance.value("monitoring", "state").map { "monitoring-" + $0 })
        }
    }
}

extension Record {
    /// The `RESERVATION` line, then each instance's block, instances ordered by launch time
    /// (stable: instances launched together keep the server's order).
    public static func reservation(_ reservation: XML.Element) -> [Record] {
        // euca2ools shows each group's name, else its id (old Eucalyptus clouds sent `entry`).
        let groups = reservation.items("groupSet").map { group in
            group.value("groupName") ?? group.value("groupId") ?? group.value("entry") ?? ""
        }
        var records = [Record("RESERVATION", reservation.value("reservationId"), reservation.value("ownerId"),
                              groups.joined(separator: ", "))]
        let instances = reservation.items("instancesSet").enumerated().sorted { a, b in
            let (timeA, timeB) = (a.element.value("launchTime") ?? "", b.element.value("launchTime") ?? "")
            return timeA == timeB ? a.offset < b.offset : timeA < timeB
        }
        for (_, instance) in instances { records += Record.instance(instance) }
        return records
    }

    /// The `INSTANCE` line (32 fields after the tag) and its `BLOCKDEVICE`, network interface
    /// and `TAG` lines. The 22nd field is the spot instance request id, which euca2ools 3.4.1
    /// always left empty because of a typo; the 23rd is the license column of the EC2 tools'
    /// layout, always empty.
    public static func instance(_ instance: XML.Element) -> [Record] {
        let productCodes = instance.items("productCodes").compactMap { $0.value("productCode") }
        let groupIds = instance.items("groupSet").compactMap { $0.value("groupId") }
        let monitoring = instance["monitoring"].flatMap { $0.hasContent ? $0.value("state") : nil }
            .map { "monitoring-" + $0 }
        let line = Record("INSTANCE",
                          instance.value("instanceId"),
                          instance.value("imageId"),
                          instance.value("dnsName"),
                          instance.value("privateDnsName"),
                          instance.value("instanceState", "name"),
                          instance.value("keyName"),
                          instance.value("amiLaunchIndex"),
                          productCodes.joined(separator: ","),
                          instance.value("instanceType"),
                          instance.value("launchTime"),
                          instance.value("placement", "availabilityZone"),
                          instance.value("kernelId"),
                          instance.value("ramdiskId"),
                          instance.value("platform"),
                          monitoring,
                          instance.value("ipAddress"),
                          instance.value("privateIpAddress"),
                          instance.value("vpcId"),
                          instance.value("subnetId"),
                          instance.value("rootDeviceType"),
                          instance.value("instanceLifecycle"),
                          instance.value("spotInstanceRequestId"),
                          nil,
                          instance.value("placement", "groupName"),
                          instance.value("virtualizationType"),
                          instance.value("hypervisor"),
                          instance.value("clientToken"),
                          groupIds.joined(separator: ","),
                          instance.value("placement", "tenancy"),
                          instance.value("ebsOptimized"),
                          instance.value("iamInstanceProfile", "arn"),
                          instance.value("architecture"))
        var records = [line]
        records += instance.items("blockDeviceMapping").map(Record.blockDevice)
        for interface in instance.items("networkInterfaceSet") {
            records += Record.networkInterface(interface)
        }
        records += Record.tags(of: instance, id: instance.value("instanceId"))
        return records
    }

    /// `BLOCKDEVICE device volumeId attachTime deleteOnTermination volumeType iops` for one
    /// entry of an instance's `blockDeviceMapping`.
    public static func blockDevice(_ mapping: XML.Element) -> Record {
        Record("BLOCKDEVICE", mapping.value("deviceName"), mapping.value("ebs", "volumeId"),
               mapping.value("ebs", "attachTime"), mapping.value("ebs", "deleteOnTermination"),
               mapping.value("ebs", "volumeType"), mapping.value("ebs", "iops"))
    }

    /// A network interface of an instance:
    ///
    ///     NETWORKINTERFACE id subnet vpc owner status privateIp privateDnsName sourceDestCheck
    ///     ATTACHMENT instanceId attachmentId deviceIndex status attachTime deleteOnTermination
    ///     ASSOCIATION publicIp ipOwnerId privateIp   (the private address holding that public one)
    ///     GROUP groupId groupName                    (each group)
    ///     PRIVATEIPADDRESS address privateDnsName primary   (each private address)
    ///     TAG …                                      (the interface's tags)
    public static func networkInterface(_ nic: XML.Element) -> [Record] {
        var records = [Record("NETWORKINTERFACE", nic.value("networkInterfaceId"), nic.value("subnetId"),
                              nic.value("vpcId"), nic.value("ownerId"), nic.value("status"),
                              nic.value("privateIpAddress"), nic.value("privateDnsName"),
                              nic.value("sourceDestCheck"))]
        if let attachment = nic["attachment"], attachment.hasContent {
            records.append(Record("ATTACHMENT", attachment.value("instanceId"), attachment.value("attachmentId"),
                                  attachment.value("deviceIndex"), attachment.value("status"),
                                  attachment.value("attachTime"), attachment.value("deleteOnTermination")))
        }
        let addresses = nic.items("privateIpAddressesSet")
        if let association = nic["association"], association.hasContent {
            // The EC2 tools show the private address the public one maps to; the response
            // carries that pairing only in the private address list.
            let publicIp = association.value("publicIp")
            let holder = addresses.first { $0.value("association", "publicIp") == publicIp }
            records.append(Record("ASSOCIATION", publicIp, association.value("ipOwnerId"),
                                  holder?.value("privateIpAddress")))
        }
        for group in nic.items("groupSet") {
            records.append(Record("GROUP", group.value("groupId"), group.value("groupName")))
        }
        for address in addresses {
            let primary = address.value("primary")?.lowercased() == "true" ? "primary" : nil
            records.append(Record("PRIVATEIPADDRESS", address.value("privateIpAddress"),
                                  address.value("privateDnsName"), primary))
        }
        records += Record.tags(of: nic, id: nic.value("networkInterfaceId"))
        return records
    }
}

fileprivate extension XML.Element {
    /// Whether an element carries anything: `<association/>` is how EC2 says "none".
    var hasContent: Bool {
        !children.isEmpty || !text.trimmed().isEmpty
    }
}
