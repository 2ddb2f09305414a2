import Foundation

extension Printer {
    /// A DescribeInstanceStatus response, as euca2ools 3.4.1 lays it out:
    ///
    ///     INSTANCE id zone stateName stateCode instanceStatus systemStatus retirementStatus retirementDate
    ///     SYSTEMSTATUS name status impairedSince      (each system status detail)
    ///     INSTANCESTATUS name status impairedSince    (each instance status detail)
    ///     EVENT code notBefore notAfter description   (each scheduled event)
    ///
    /// The retirement status is `retiring` when any event is scheduled, else `active`; the
    /// retirement date is the earliest event start. With `--hide-healthy`, instances whose
    /// system and instance checks are both `ok` are left out. (euca2ools 3.4.1 printed the
    /// system status details a second time as INSTANCESTATUS lines; we print the instance's own.)
    public static let instanceStatuses = Printer(withArguments: { response, arguments in
        let hideHealthy = arguments.flag("hide-healthy")
        return response.items("instanceStatusSet").flatMap { status -> [Record] in
            let systemStatus = status.value("systemStatus", "status")
            let instanceStatus = status.value("instanceStatus", "status")
            if hideHealthy && systemStatus == "ok" && instanceStatus == "ok" { return [] }
            let events = status.items("eventsSet")
            let starts = events.compactMap { $0.value("notBefore") }
            var records = [Record("INSTANCE", status.value("instanceId"), status.value("availabilityZone"),
                                  status.value("instanceState", "name"), status.value("instanceState", "code"),
                                  instanceStatus, systemStatus, events.isEmpty ? "active" : "retiring",
                                  InstanceStatusDates.earliest(starts))]
            for detail in status.items("systemStatus", "details") {
                records.append(Record("SYSTEMSTATUS", detail.value("name"), detail.value("status"),
                                      detail.value("impairedSince")))
            }
            for detail in status.items("instanceStatus", "details") {
                records.append(Record("INSTANCESTATUS", detail.value("name"), detail.value("status"),
                                      detail.value("impairedSince")))
            }
            for event in events {
                records.append(Record("EVENT", event.value("code"), event.value("notBefore"),
                                      event.value("notAfter"), event.value("description")))
            }
            return records
        }
    })
}

enum InstanceStatusDates {
    /// The earliest of some ISO 8601 timestamps, printed as the server sent it. Timestamps that
    /// do not parse compare as text after those that do.
    static func earliest(_ stamps: [String]) -> String? {
        stamps.min { a, b in
            switch (UTCDateTime.parseISO8601(a), UTCDateTime.parseISO8601(b)) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
    }
}
