import Foundation

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The server's clock from the `Date` header (RFC 1123), used to correct clock skew.
    public var serverDate: Date? {
        headers["Date"].flatMap(HTTPDate.parse)
    }
}

/// HTTP dates (`Date` and `Last-Modified` headers), always in English and UTC.
public enum HTTPDate {
    public static func string(_ date: Date) -> String { SigningDate.rfc1123(date) }

    public static func parse(_ text: String) -> Date? { UTCDateTime.parseHTTPDate(text) }
}
