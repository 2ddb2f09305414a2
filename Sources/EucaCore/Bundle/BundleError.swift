import Foundation

/// A bundling or unbundling failure, worded for the person running the command (one line).
public struct BundleError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The text of errno, for messages.
func systemError(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
