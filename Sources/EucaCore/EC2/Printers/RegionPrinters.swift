extension Printer {
    /// `REGION name endpoint`
    public static let regions = Printer { response in
        response.items("regionInfo").map { Record("REGION", $0.value("regionName"), $0.value("regionEndpoint")) }
    }

    /// `AVAILABILITYZONE name state messages` (messages joined with ", "; the field stays,
    /// empty, when there are none).
    public static let availabilityZones = Printer { response in
        response.items("availabilityZoneInfo").map { zone in
            let messages = zone.items("messageSet").compactMap { $0.value("message") }
            return Record("AVAILABILITYZONE", zone.value("zoneName"), zone.value("zoneState"),
                          messages.joined(separator: ", "))
        }
    }
}
