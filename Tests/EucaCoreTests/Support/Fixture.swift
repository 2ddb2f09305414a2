import Foundation

/// Test data under `Tests/EucaCoreTests/Fixtures/`, which the test target copies as a resource
/// folder. Paths are relative to that folder, e.g. `Fixture.string("keys/user-key.pem")`.
/// A missing fixture is a broken checkout, so these trap with the path instead of throwing.
enum Fixture {
    static func url(_ relativePath: String) -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(relativePath)",
                                          withExtension: nil) else {
            fatalError("missing test fixture Fixtures/\(relativePath)")
        }
        return url
    }

    static func data(_ relativePath: String) -> Data {
        do {
            return try Data(contentsOf: url(relativePath))
        } catch {
            fatalError("cannot read test fixture Fixtures/\(relativePath): \(error)")
        }
    }

    static func string(_ relativePath: String) -> String {
        String(decoding: data(relativePath), as: UTF8.self)
    }
}
