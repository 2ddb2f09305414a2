import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Free space checks before writing large files, so that a bundle or image that cannot fit
/// fails at once with a clear message rather than after minutes of work.
public enum DiskSpace {
    /// Bytes available to this user on the file system holding `directory`; nil if unknown.
    public static func available(in directory: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// Throws unless `directory` has at least `needed` bytes free.
    public static func require(_ needed: UInt64, in directory: String, for purpose: String,
                               hint: String = "") throws {
        guard let available = available(in: directory), available < needed else { return }
        throw BundleError("not enough free space in \(directory) for \(purpose): about "
            + "\(ProgressReporter.formatBytes(needed)) needed, \(ProgressReporter.formatBytes(available)) available"
            + hint)
    }
}
