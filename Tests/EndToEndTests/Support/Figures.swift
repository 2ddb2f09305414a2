/// Measured figures for docs/reliability.md: tests print them as `FIGURE: …` lines, and
/// `make reliability-report` (Scripts/reliability-report.sh) collects them from a test run
/// into the document, so the figures there always come from the tests.
enum Figures {
    static func record(_ text: String) {
        print("FIGURE: \(text)")
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.1f s", value)
    }
}
