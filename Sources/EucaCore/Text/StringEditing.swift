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

extension String {
    /// Every occurrence of `target` replaced, left to right, by plain UTF-8 comparison (no
    /// NSString on the way, see `trimmed()`); an empty `target` changes nothing.
    func replacingAll(_ target: String, with replacement: String) -> String {
        let text = Array(utf8), needle = Array(target.utf8)
        guard !needle.isEmpty, text.count >= needle.count else { return self }
        var out = [UInt8]()
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if i + needle.count <= text.count, text[i] == needle[0], text[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: replacement.utf8)
                i += needle.count
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
