import Foundation
import Testing
@testable import EucaCommands
@testable import EucaCore

/// The man pages in Man/man1 are generated (Scripts/generate-man-pages.sh); this fails when a
/// declaration changed and the checked-in page was not regenerated, or a page is missing.
@Suite struct ManPageTests {
    static let manDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Man/man1")

    static let tool = CommandLineTool(commands: allCommands)

    @Test(arguments: ["euca"] + tool.allNames)
    func checkedInPageIsCurrent(name: String) throws {
        let path = Self.manDirectory.appendingPathComponent("\(name).1")
        let checkedIn = try? String(contentsOf: path, encoding: .utf8)
        #expect(checkedIn == Self.tool.manPage(name),
                "Man/man1/\(name).1 is stale or missing: run `make man` and commit the result")
    }

    @Test func noPageForACommandThatIsGone() throws {
        let names = Set(["euca"] + Self.tool.allNames)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.manDirectory.path)
        for file in files where file.hasSuffix(".1") {
            #expect(names.contains(String(file.dropLast(2))), "Man/man1/\(file) has no command")
        }
    }

    @Test func everyCommandIsFullyDocumented() {
        for command in allCommands {
            #expect(!command.summary.isEmpty && command.summary.first!.isLowercase, "\(command.name) summary")
            for option in command.options { #expect(!option.help.isEmpty, "\(command.name) \(option.displayName)") }
            for positional in command.positionals { #expect(!positional.help.isEmpty, "\(command.name) \(positional.metavar)") }
            #expect(command.name.hasPrefix("euca-"))
            // Options and positionals share one namespace of keys in ParsedArguments.
            let keys = command.allOptions.map(\.key) + command.positionals.map(\.key)
            #expect(Set(keys).count == keys.count, "\(command.name) has two arguments with one key")
        }
    }

    @Test func completionCoversEveryName() {
        let script = BashCompletion(commands: allCommands).script
        for name in Self.tool.allNames { #expect(script.contains(name)) }
        #expect(script.contains("-f|--filename) COMPREPLY=( $(compgen -f -- \"$cur\") )"))
    }
}
