/// A problem with the command line as typed. Printed after the usage line as
/// `PROG: error: MESSAGE`; exit status 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
