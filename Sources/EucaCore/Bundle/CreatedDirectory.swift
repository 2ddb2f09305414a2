import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An output directory a command may create (`euca-download-bundle -d`, `euca-unbundle -d`),
/// as euca2ools 1.x did, remembering what it created so that a failed run removes it again
/// when nothing was written into it.
struct CreatedDirectory {
    /// The directories this made, deepest first (empty when the directory existed).
    let made: [String]

    /// Makes `path` and any missing parents; an existing directory is fine, an existing file
    /// is a usage error naming `option`.
    init(_ path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw UsageError("argument \(option): \(quoted(path)) is not a directory")
            }
            made = []
            return
        }
        var missing: [String] = []
        var cursor = path
        while !cursor.isEmpty, cursor != "/", cursor != ".", !FileManager.default.fileExists(atPath: cursor) {
            missing.append(cursor)
            cursor = (cursor as NSString).deletingLastPathComponent
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("cannot create the directory \(path): \((error as NSError).localizedDescription)")
        }
        made = missing
    }

    /// rmdir(2) what was made, deepest first: only empty directories go, so nothing a user or
    /// a partial download put there is touched.
    func removeIfEmpty() {
        for directory in made where rmdir(directory) != 0 { return }
    }
}
