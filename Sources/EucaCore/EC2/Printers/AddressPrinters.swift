extension Record {
    /// `ADDRESS publicIp instance domain allocation association interface privateIp` (domain
    /// `standard` when the response has none).
    public static func address(_ address: XML.Element) -> Record {
        Record("ADDRESS", address.value("publicIp"), address.value("instanceId"),
               address.value("domain") ?? "standard", address.value("allocationId"),
               address.value("associationId"), address.value("networkInterfaceId"),
               address.value("privateIpAddress"))
    }
}

extension Printer {
    /// Every address of a DescribeAddresses response.
    public static let addresses = Printer { response in
        response.items("addressesSet").map(Record.address)
    }

    /// `ADDRESS publicIp domain allocation` for AllocateAddress.
    public static let allocatedAddress = Printer { response in
        [Record("ADDRESS", response.value("publicIp"), response.value("domain") ?? "standard",
                response.value("allocationId"))]
    }

    /// AssociateAddress, as euca2ools prints it: `ADDRESS instance allocation association
    /// privateIp` for a VPC address (given by allocation ID), `ADDRESS publicIp instance` for a
    /// classic one.
    public static let associatedAddress = Printer(withArguments: { response, arguments in
        if let allocation = Addresses.allocationId(arguments) {
            return [Record("ADDRESS", arguments.string("instance-id"), allocation,
                           response.value("associationId"), arguments.string("private-ip-address"))]
        }
        return [Record("ADDRESS", arguments.string("address"), arguments.string("instance-id"))]
    })
}
