import Testing
@testable import EucaCore

/// `-b bucket//double`: the prefix has an empty segment; listed keys must be matched by prefix,
/// not cut by length (which dropped the first letter of the bundle name).
@Suite struct BundleLocationKeyTests {
    @Test func emptySegmentPrefixKeepsTheWholeName() throws {
        let location = try BundleLocation(parsing: "bucket//double")
        #expect(location.prefix == "/double/")
        #expect(location.fileName(ofKey: "/double/image.manifest.xml") == "image.manifest.xml")
    }

    @Test func keyNotUnderThePrefixIsNotCut() throws {
        let location = try BundleLocation(parsing: "bucket//double")
        // A server that collapsed `//` answers keys without the leading `/`.
        #expect(location.fileName(ofKey: "double/image.manifest.xml") == nil)
    }

    @Test func noPrefixKeepsTheKey() throws {
        let location = try BundleLocation(parsing: "bucket")
        #expect(location.fileName(ofKey: "image.part.0") == "image.part.0")
    }
}
