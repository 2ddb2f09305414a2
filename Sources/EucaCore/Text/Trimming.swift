extension StringProtocol {
    /// Without leading and trailing whitespace (spaces, tabs, line breaks, and the other
    /// Unicode white space). Foundation's `trimmingCharacters(in:)` does the same through
    /// NSString and CharacterSet on Linux, whose first use costs milliseconds of start-up
    /// (measured in the profile of a whole `euca-describe-availability-zones`); header values,
    /// ini lines and option values are trimmed on every run.
    func trimmed() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
