@testable import EucaCommands
@testable import EucaCore
import Foundation
import Testing

/// Options are read by key (`arguments.string("filename")`); a key that no command declares is
/// a typo that would silently read nil. Until commands receive typed inputs (issue 9), this
/// reads the sources and checks every literal key read against the declarations.
struct OptionKeyReadTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// `(file, key)` for every `.string("key")`, `.strings`, `.flag` and `.isSet` in Sources.
    static func keyReads() throws -> [(file: String, key: String)] {
        let pattern = try NSRegularExpression(pattern: #"\.(?:string|strings|flag|isSet|required|int|double|fields)\("([a-z0-9][a-z0-9-]*)"\)"#)
        var reads: [(String, String)] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                reads.append((url.lastPathComponent, key))
            }
        }
        return reads
    }

    @Test func everyKeyReadIsDeclaredBySomeCommand() throws {
        let declared = Set(allCommands.flatMap { $0.allOptions.map(\.key) + $0.positionals.map(\.key) })
        let reads = try Self.keyReads()
        #expect(reads.count > 50, "the scan found the reads")
        let unknown = reads.filter { !declared.contains($0.key) }
        #expect(unknown.isEmpty, "keys no command declares: \(unknown.map { "\($0.file): \($0.key)" })")
    }

    /// A constraint naming a key its command does not declare would never fire.
    @Test func everyConstraintNamesDeclaredKeys() {
        for command in allCommands {
            let declared = Set(command.allOptions.map(\.key) + command.positionals.map(\.key))
            for constraint in command.constraints {
                let unknown = constraint.keys.filter { !declared.contains($0) }
                #expect(unknown.isEmpty, "\(command.name): \(constraint) names \(unknown)")
            }
        }
    }
}
