import Foundation

/// A moment as UTC calendar fields, by integer arithmetic on the days since 1970 (the
/// proleptic Gregorian algorithms of Howard Hinnant, "chrono-Compatible Low-Level Date
/// Algorithms"). Every request signs a timestamp and every S3 listing carries dates, and
/// Foundation's `Calendar`, `DateFormatter` and `ISO8601DateFormatter` load ICU's time zone
/// data on first use: measured here, about a quarter of the CPU time of a whole
/// `euca-describe-availability-zones`. UTC needs no time zone data.
struct UTCDateTime: Equatable, Sendable {
    var year: Int
    /// 1...12
    var month: Int
    /// 1...31
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second) = (hour, minute, second)
    }

    /// The fields of `date`, truncated to whole seconds (signatures carry whole seconds; 59.7 s
    /// must not round into the next minute).
    init(_ date: Date) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, time) = seconds.floorDivided(by: 86_400)
        (year, month, day) = UTCDateTime.civil(fromDays: days)
        (hour, minute, second) = (time / 3600, time / 60 % 60, time % 60)
    }

    /// The moment these fields name (a second of 60 runs into the next minute).
    var date: Date {
        let days = UTCDateTime.days(fromCivil: year, month, day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    /// 0 for Sunday through 6 for Saturday (1970-01-01 was a Thursday).
    var weekday: Int {
        (UTCDateTime.days(fromCivil: year, month, day).floorDivided(by: 7).remainder + 4) % 7
    }

    static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Fields that name a real moment (a leap second, :60, is let through).
    var isValid: Bool {
        (1...12).contains(month) && (1...UTCDateTime.daysIn(month: month, year: year)).contains(day)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...60).contains(second)
    }

    // MARK: Parsing

    /// An HTTP date (RFC 9110 5.6.7): the IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, and the
    /// obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
    /// (`Sun Nov  6 08:49:37 1994`) forms recipients must accept. The weekday is not checked.
    static func parseHTTPDate(_ text: String) -> Date? {
        let words = text.split(separator: " ")
        var fields: UTCDateTime?
        switch words.count {
        case 6 where words[5] == "GMT" || words[5] == "UTC":
            fields = parse(day: words[1], month: words[2], year: words[3], time: words[4])
        case 4 where words[3] == "GMT" || words[3] == "UTC":
            let parts = words[1].split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2].count == 2, let short = Int(parts[2]) else { return nil }
            // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            let year = (short < 70 ? 2000 : 1900) + short
            fields = parse(day: parts[0], month: parts[1], year: Substring(String(year)), time: words[2])
        case 5:
            fields = parse(day: words[2], month: words[1], year: words[4], time: words[3])
        default:
            return nil
        }
        return fields?.date
    }

    /// ISO 8601 / RFC 3339 as AWS sends it: `2009-10-12T17:50:30.000Z`, with or without the
    /// fraction, with `Z` or an offset `±HH:MM`.
    static func parseISO8601(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]),
              let second = number(bytes[17..<19])
        else { return nil }
        let fields = UTCDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard fields.isValid else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            let start = index + 1
            index = start
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > start, let value = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self))
            else { return nil }
            fraction = value
        }
        var offset = 0
        let zone = bytes[index...]
        if zone.elementsEqual("Z".utf8) || zone.elementsEqual("z".utf8) {
            offset = 0
        } else if zone.count == 6, zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"),
                  zone[index + 3] == UInt8(ascii: ":"),
                  let hours = number(zone[(index + 1)..<(index + 3)]), let minutes = number(zone[(index + 4)..<(index + 6)]),
                  hours <= 23, minutes <= 59 {
            offset = (hours * 3600 + minutes * 60) * (zone.first == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        return Date(timeIntervalSince1970: fields.date.timeIntervalSince1970 - TimeInterval(offset) + fraction)
    }

    private static func parse(day: Substring, month: Substring, year: Substring, time: Substring) -> UTCDateTime? {
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(day.count), year.count == 4, clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let d = number(day.utf8), let y = number(year.utf8),
              let m = monthNames.firstIndex(where: { $0.caseInsensitiveCompare(month) == .orderedSame }),
              let hh = number(clock[0].utf8), let mm = number(clock[1].utf8), let ss = number(clock[2].utf8)
        else { return nil }
        let fields = UTCDateTime(year: y, month: m + 1, day: d, hour: hh, minute: mm, second: ss)
        return fields.isValid ? fields : nil
    }

    /// Decimal digits only (no sign, no spaces), as a number.
    private static func number<Digits: Collection<UInt8>>(_ digits: Digits) -> Int? {
        guard !digits.isEmpty else { return nil }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }
}

private extension Int {
    /// Quotient rounded towards minus infinity, and the remainder that goes with it (never negative).
    func floorDivided(by divisor: Int) -> (quotient: Int, remainder: Int) {
        let (q, r) = quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }
}
