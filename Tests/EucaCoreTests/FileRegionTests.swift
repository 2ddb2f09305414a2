@testable import EucaCore
import Foundation
import Testing

/// File bodies are read piece by piece on every attempt; a file that is shorter than the
/// region (changed after its size was taken) must fail rather than send a short body.
struct FileRegionTests {
    static func file(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("region-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    static func chunks(_ region: FileRegion, chunkSize: Int) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        try region.forEachChunk(chunkSize: chunkSize) { (chunk: UnsafeRawBufferPointer) throws(Never) in out.append(Array(chunk)) }
        return out
    }

    @Test func regionsAreReadInPiecesFromTheirOffset() throws {
        let bytes = (0..<1000).map { UInt8($0 % 251) }
        let url = try Self.file(bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        let whole = try FileRegion.whole(url)
        #expect(whole.length == 1000 && HTTPBody.file(whole).count == 1000)
        let pieces = try Self.chunks(whole, chunkSize: 300)
        #expect(pieces.map(\.count) == [300, 300, 300, 100] && pieces.flatMap { $0 } == bytes)
        let middle = FileRegion(path: url.path, offset: 10, length: 25)
        #expect(try Self.chunks(middle, chunkSize: 300).flatMap { $0 } == Array(bytes[10..<35]))
        #expect(try Self.chunks(FileRegion(path: url.path, length: 0), chunkSize: 300).isEmpty)
    }

    @Test func aShortOrMissingFileFailsAndSaysWhy() throws {
        let url = try Self.file([1, 2, 3])
        defer { try? FileManager.default.removeItem(at: url) }
        #expect {
            try Self.chunks(FileRegion(path: url.path, length: 10), chunkSize: 4)
        } throws: { error in
            "\(error)".contains("ended after 3 bytes, 7 short")
        }
        #expect(throws: FileRegionError.self) { try FileRegion.whole(URL(fileURLWithPath: "/nonexistent/part")) }
    }
}
