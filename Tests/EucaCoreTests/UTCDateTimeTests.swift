@testable import EucaCore
import Foundation
import Testing

/// The integer calendar arithmetic against Foundation's Gregorian calendar in UTC (the
/// reference it replaces), and the date parsers against the forms the RFCs and AWS give.
struct UTCDateTimeTests {
    static func reference(_ date: Date) -> UTCDateTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                        from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
        return UTCDateTime(year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!, second: c.second!)
    }

    @Test func fieldsMatchFoundationsCalendarFrom1600To2400() {
        var generator = SystemRandomNumberGenerator()
        // Both ends and the century and leap-day edges, then random moments.
        var moments: [TimeInterval] = [0, -1, 86_399, 86_400, 951_782_400, 951_868_799, 4_107_542_399,
                                       -11_676_096_000, 13_574_563_200 - 1]
        moments += (0..<20_000).map { _ in TimeInterval(Int64.random(in: -11_676_096_000...13_574_563_200, using: &generator)) + 0.75 }
        for moment in moments {
            let date = Date(timeIntervalSince1970: moment)
            let fields = UTCDateTime(date)
            #expect(fields == Self.reference(date), "\(moment)")
            #expect(fields.date.timeIntervalSince1970 == moment.rounded(.down), "\(moment)")
        }
    }

    @Test func weekdaysAndSigningSpellings() {
        // 2015-08-30T12:36:00Z, the SigV4 test suite's date, was a Sunday.
        let date = Date(timeIntervalSince1970: 1_440_938_160)
        #expect(UTCDateTime(date).weekday == 0)
        #expect(SigningDate.amzDate(date) == "20150830T123600Z")
        #expect(SigningDate.dateStamp(date) == "20150830")
        #expect(SigningDate.iso8601(date) == "2015-08-30T12:36:00Z")
        #expect(SigningDate.rfc1123(date) == "Sun, 30 Aug 2015 12:36:00 GMT")
        #expect(SigningDate.rfc1123(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
        // 59.9 s is still 59 s: no rounding into the next minute.
        #expect(SigningDate.amzDate(Date(timeIntervalSince1970: 1_440_938_219.9)) == "20150830T123659Z")
    }

    @Test func httpDatesInAllThreeForms() {
        let expected = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(UTCDateTime.parseHTTPDate("Sun, 06 Nov 1994 08:49:37 GMT") == expected)
        #expect(UTCDateTime.parseHTTPDate("Sunday, 06-Nov-94 08:49:37 GMT") == expected)
        #expect(UTCDateTime.parseHTTPDate("Sun Nov  6 08:49:37 1994") == expected)
        #expect(UTCDateTime.parseHTTPDate("Thu, 03 Dec 2026 10:09:20 UTC")
            == UTCDateTime(year: 2026, month: 12, day: 3, hour: 10, minute: 9, second: 20).date)
        for bad in ["", "yesterday", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                    "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:49 GMT", "Sun, 06 Nov 1994 08:49:37 CET",
                    "Sun, -6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT"] {
            #expect(UTCDateTime.parseHTTPDate(bad) == nil, "\(bad)")
        }
    }

    @Test func iso8601AsAWSSendsIt() {
        let base = UTCDateTime(year: 2009, month: 10, day: 12, hour: 17, minute: 50, second: 30).date
        #expect(UTCDateTime.parseISO8601("2009-10-12T17:50:30Z") == base)
        #expect(UTCDateTime.parseISO8601("2009-10-12T17:50:30.000Z") == base)
        #expect(UTCDateTime.parseISO8601("2009-10-12T17:50:30.250Z") == base.addingTimeInterval(0.25))
        #expect(UTCDateTime.parseISO8601("2009-10-12T19:50:30+02:00") == base)
        #expect(UTCDateTime.parseISO8601("2009-10-12T12:20:30-05:30") == base)
        for bad in ["", "2009-10-12", "2009-10-12T17:50:30", "2009-13-12T17:50:30Z", "2009-10-12T17:50:30.Z",
                    "2009-10-12 17:50:30Z", "2009-10-12T17:50:30+2:00", "2009-10-12T17:50:30ZZ", "２009-10-12T17:50:30Z"] {
            #expect(UTCDateTime.parseISO8601(bad) == nil, "\(bad)")
        }
    }
}
