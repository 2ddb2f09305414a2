import Foundation

/// Which bundle(s) under `-b BUCKET[/PREFIX]` a download or delete command acts on, from the
/// union of the euca2ools 1.x and 3.x options:
/// - `-p NAME`: the bundle whose manifest is `NAME.manifest.xml`;
/// - `-m MANIFEST`: a local manifest file when one exists at that path (1.x), otherwise the
///   manifest's file name under the location (3.x);
/// - `--local-manifest FILE`: a local manifest file (3.x);
/// - none of them: every bundle under the location (1.x).
public enum BundleSelection: Sendable, Equatable {
    case remote(manifestName: String)
    case local(path: String)
    case all

    public static func from(_ arguments: ParsedArguments) throws -> BundleSelection {
        if let prefix = arguments.string("prefix") {
            guard !prefix.isEmpty, !prefix.contains("/") else {
                throw UsageError("argument -p/--prefix: \(quoted(prefix)) must be a bundle's file name prefix (no \"/\")")
            }
            return .remote(manifestName: BundleLocation.manifestName(forPrefix: prefix))
        }
        if let path = arguments.string("local-manifest") {
            try requireFile(path, option: "--local-manifest")
            return .local(path: path)
        }
        if let manifest = arguments.string("manifest") {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: manifest, isDirectory: &isDirectory), !isDirectory.boolValue {
                return .local(path: manifest)
            }
            guard !manifest.hasSuffix("/") else {
                throw UsageError("argument -m/--manifest: \(quoted(manifest)) names no manifest")
            }
            return .remote(manifestName: manifest)
        }
        return .all
    }

    static func requireFile(_ path: String, option: String) throws(UsageError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UsageError("argument \(option): manifest file \(quoted(path)) does not exist")
        }
        guard !isDirectory.boolValue else {
            throw UsageError("argument \(option): manifest file \(quoted(path)) is not a file")
        }
    }

    /// The manifests this selection names under `location`: fetched (remote), read (local) or
    /// found (all). Each comes with the name it has (or would have) in object storage.
    func manifests(_ s3: S3Client, _ location: BundleLocation) async throws -> [(name: String, manifest: BundleManifest, data: Data?)] {
        switch self {
        case .remote(let name):
            let fetched = try await RemoteBundle.fetchManifest(s3, location, name: name)
            return [(name, fetched.manifest, fetched.data)]
        case .local(let path):
            return [((path as NSString).lastPathComponent, try BundleManifest.read(contentsOf: path), nil)]
        case .all:
            var found: [(name: String, manifest: BundleManifest, data: Data?)] = []
            for name in try await RemoteBundle.manifestNames(s3, location) {
                let fetched = try await RemoteBundle.fetchManifest(s3, location, name: name)
                found.append((name, fetched.manifest, fetched.data))
            }
            return found
        }
    }
}
