import Foundation

/// euca-get-console-output: prints the instance id, the timestamp, then the console text
/// (base64-decoded), as euca2ools 3.4.1 does. Bytes that are not UTF-8 become `?`; control
/// characters other than tab, newline and carriage return are shown as `^X` unless
/// `-r/--raw-console-output` is given.
public enum ConsoleOutput {
    public static func get(_ invocation: Invocation) async throws {
        let response = try await invocation.ec2().call("GetConsoleOutput", invocation.boundParameters)
        StandardStream.output.write(text(response, raw: invocation.arguments.flag("raw-console-output")))
    }

    /// Everything printed for a response, newlines included.
    public static func text(_ response: XML.Element, raw: Bool) -> String {
        let encoded = response.value("output") ?? ""
        let bytes = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) ?? Data()
        var output = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\u{FFFD}", with: "?")
        if !raw { output = escapeControlCharacters(output) }
        return (response.value("instanceId") ?? "") + "\n" + (response.value("timestamp") ?? "") + "\n"
            + output + "\n"
    }

    /// `^@` for NUL, `^A` … `^_`, `^?` for DEL; tab, newline and carriage return stay.
    public static func escapeControlCharacters(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D:
                out.append(scalar)
            case 0x00...0x1F:
                out.append("^")
                out.append(Unicode.Scalar(UInt8(scalar.value) + 0x40))
            case 0x7F:
                out.append(contentsOf: "^?".unicodeScalars)
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}
