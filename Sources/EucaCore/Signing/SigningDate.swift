import Foundation

/// The date spellings the AWS signature schemes use, always in UTC and in English whatever the
/// user's locale (a localized month name in an S3 `Date` header fails the signature).
enum SigningDate {
    /// SigV4 `X-Amz-Date`: `20150830T123600Z`.
    static func amzDate(_ date: Date) -> String {
        let c = UTCDateTime(date)
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T"
            + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
    }

    /// SigV4 credential scope date: `20150830`.
    static func dateStamp(_ date: Date) -> String {
        let c = UTCDateTime(date)
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2)
    }

    /// Query SigV2 `Timestamp`: `2011-10-03T15:19:30Z`.
    static func iso8601(_ date: Date) -> String {
        let c = UTCDateTime(date)
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T"
            + "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))Z"
    }

    /// HTTP `Date` (RFC 1123 / RFC 7231 IMF-fixdate): `Tue, 27 Mar 2007 19:36:42 GMT`.
    static func rfc1123(_ date: Date) -> String {
        let c = UTCDateTime(date)
        return "\(UTCDateTime.weekdayNames[c.weekday]), \(pad(c.day, 2)) \(UTCDateTime.monthNames[c.month - 1]) "
            + "\(pad(c.year, 4)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) GMT"
    }

    /// Whole seconds since 1970, as S3 SigV2 `Expires` wants.
    static func epochSeconds(_ date: Date) -> String {
        String(Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
