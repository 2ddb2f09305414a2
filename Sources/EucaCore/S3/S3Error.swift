/// A failure of an S3 operation that is not an error response from the service: data that does
/// not match its checksum after every retry, an object that changed mid-download, a local file
/// that cannot be read or written. Printed as `PROG: error: MESSAGE`.
public struct S3Error: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
