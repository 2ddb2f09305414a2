import Foundation

/// What `euca-delete-bundle` does: deletes a bundle's parts and then its manifest from
/// object storage, and with `--clear` the bucket too. The bundle is the one `-p`/`-m`/
/// `--local-manifest` names (see `BundleSelection`), or every bundle under `-b BUCKET[/PREFIX]`
/// without them, as euca2ools 1.x did. When the manifest is gone already (an upload that
/// failed, a delete interrupted half-way), the parts are found by listing `NAME.part.` under the
/// location; with every bundle, parts left without a manifest go too. Prints nothing, as
/// euca2ools 3.4.1.
public enum BundleDeleteTool {
    public static func run(_ invocation: Invocation) async throws {
        let arguments = invocation.arguments
        let location = try BundleLocation.from(arguments)
        let selection = try BundleSelection.from(arguments)
        let clear = arguments.flag("clear")
        let s3 = try invocation.s3()
        guard try await s3.bucketExists(location.bucket) else {
            throw BundleError("bucket \(location.bucket) does not exist")
        }
        let transfer = S3Transfer(client: s3)

        switch selection {
        case .local(let path):
            let manifest = try BundleManifest.read(contentsOf: path)
            try await delete(manifest, manifestName: (path as NSString).lastPathComponent, location, transfer)
        case .remote(let name):
            do {
                let fetched = try await RemoteBundle.fetchManifest(s3, location, name: name)
                try await delete(fetched.manifest, manifestName: name, location, transfer)
            } catch let error as BundleError where error.message.hasSuffix("does not exist on the server") {
                // No manifest: delete whatever parts of it are stored.
                let stem = name.hasSuffix(".manifest.xml") ? String(name.dropLast(".manifest.xml".count)) : name
                let parts = try await partKeys(s3, location, stem: stem)
                if parts.isEmpty && !clear {
                    throw BundleError("manifest \(location.path(name)) does not exist on the server, and no parts of \(stem) are stored there either")
                }
                s3.log("\(location.path(name)) is gone; deleting the \(parts.count) part(s) of \(stem) found by listing")
                try await transfer.delete(keys: parts, bucket: location.bucket)
            }
        case .all:
            for name in try await RemoteBundle.manifestNames(s3, location) {
                let fetched = try await RemoteBundle.fetchManifest(s3, location, name: name)
                try await delete(fetched.manifest, manifestName: name, location, transfer)
            }
            // Parts whose manifest never arrived or is gone.
            let orphans = try await partKeys(s3, location, stem: nil)
            if !orphans.isEmpty {
                s3.log("deleting \(orphans.count) bundle part(s) without a manifest")
                try await transfer.delete(keys: orphans, bucket: location.bucket)
            }
        }
        if clear {
            // Only a listing made now, after the bundle's objects are gone, may decide: a server
            // that deletes non-empty buckets would otherwise take other data with it.
            let remaining = try await s3.listObjects(location.bucket, prefix: nil).objects
            if shouldDeleteBucket(remainingKeys: remaining.map(\.key)) {
                try await s3.deleteBucket(location.bucket)
            } else {
                s3.log("not sending DeleteBucket: \(location.bucket) still holds \(remaining.count) object(s)")
                invocation.warn("bucket \(location.bucket) was kept: it holds other objects")
            }
        }
    }

    /// `--clear` deletes the bucket only when the listing made after the bundle was deleted
    /// shows it empty.
    static func shouldDeleteBucket(remainingKeys: [String]) -> Bool { remainingKeys.isEmpty }

    /// The parts, then the manifest (so that a delete interrupted half-way leaves a manifest
    /// that still lists what is left, or nothing).
    static func delete(_ manifest: BundleManifest, manifestName: String, _ location: BundleLocation,
                       _ transfer: S3Transfer) async throws {
        try await transfer.delete(keys: manifest.parts.map { location.key($0.filename) }, bucket: location.bucket)
        try await transfer.delete(keys: [location.key(manifestName)], bucket: location.bucket)
    }

    /// Keys under the location named like bundle parts (`STEM.part.N`; any stem when nil).
    static func partKeys(_ s3: S3Client, _ location: BundleLocation, stem: String?) async throws -> [String] {
        let prefix = location.prefix + (stem.map { $0 + ".part." } ?? "")
        return try await RemoteBundle.list(s3, bucket: location.bucket, prefix: prefix).map(\.key).filter { key in
            guard let name = location.fileName(ofKey: key), !name.contains("/"), let range = name.range(of: ".part.", options: .backwards) else { return false }
            let number = name[range.upperBound...]
            return !number.isEmpty && number.allSatisfy { $0.isASCII && $0.isNumber }
        }
    }
}
