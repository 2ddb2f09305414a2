@testable import EucaCommands
@testable import EucaCore
import Testing

/// The registry names each command without building it; the names must be the declaration's.
@Suite struct RegistryTests {
    @Test func entryNamesAreTheDeclaredNamesAndAliases() {
        for entry in commandRegistry {
            let command = entry.command
            #expect(entry.names == [command.name] + command.aliases, "\(entry.names)")
        }
        let names = commandRegistry.flatMap(\.names)
        #expect(Set(names).count == names.count, "a name is registered twice")
    }

    @Test func dispatchBuildsOnlyTheCommandAskedFor() {
        final class Counter: @unchecked Sendable { var built: [String] = [] }
        let counter = Counter()
        let entries = ["euca-a", "euca-b"].map { name in
            CommandEntry(name) {
                counter.built.append(name)
                return Command(name, summary: "s", service: nil, action: .custom { _ in })
            }
        }
        let tool = CommandLineTool(entries)
        #expect(tool.command(named: "b")?.name == "euca-b")
        #expect(counter.built == ["euca-b"])
        #expect(tool.allNames == ["euca-a", "euca-b"])
    }
}
