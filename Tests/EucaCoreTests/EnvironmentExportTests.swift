import Testing
@testable import EucaCore

@Suite struct EnvironmentExportTests {
    @Test func printsEvalSafeShellCode() {
        let variables: [(String, String?)] = [("A", "plain/value:1"), ("B", nil), ("C", "it's $x")]
        #expect(EnvironmentExport.format(variables, shell: .sh) == "A=plain/value:1; export A;\nC='it'\\''s $x'; export C;\n# B is not set\n")
        #expect(EnvironmentExport.format(variables, shell: .csh) == "setenv A plain/value:1;\nsetenv C 'it'\\''s $x';\n# B is not set\n")
        #expect(EnvironmentExport.format(variables, shell: .simple) == "A=plain/value:1\nB=\nC=it's $x\n")
    }
}
