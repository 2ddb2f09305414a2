import Foundation

/// What `euca-upload-bundle` does: checks the bundle on disk (the manifest reads, every part
/// it lists is there), makes sure the bucket exists, uploads the parts in parallel and the
/// manifest last, and prints `Uploaded BUCKET/PREFIX/NAME.manifest.xml` as euca2ools 3.4.1
/// does (every part too under --debug). A re-run sends only the parts not stored yet or stored
/// with other bytes; a run that fails leaves no manifest behind it, so nothing half-uploaded
/// can be registered.
public enum BundleUploadTool {
    public static func run(_ invocation: Invocation) async throws {
        let arguments = invocation.arguments
        let location = try BundleLocation.from(arguments)
        let manifestPath = try arguments.required("manifest")
        let manifest = try UnbundleTool.readManifest(manifestPath)
        let directory = arguments.string("directory").flatMap { $0.isEmpty ? nil : $0 }
            ?? { let parent = (manifestPath as NSString).deletingLastPathComponent
                 return parent.isEmpty ? "." : parent }()
        try UnbundleTool.requireDirectory(directory, option: "-d/--directory")
        let first = arguments.int("part") ?? 0
        guard first < manifest.parts.count else {
            throw UsageError("argument --part: the bundle has \(manifest.parts.count) part\(manifest.parts.count == 1 ? "" : "s"), numbered from 0 to \(manifest.parts.count - 1)")
        }
        let parts = try partFiles(manifest, in: directory, from: first)

        let uploader = try await BundleUploader.prepare(invocation, location: location)
        let manifestFile = arguments.flag("skipmanifest") ? nil : URL(fileURLWithPath: manifestPath)
        _ = try await uploader.upload(parts: parts, manifest: manifestFile,
                                      progressMode: ProgressOptions.mode(arguments))
        uploader.printResult(partNames: parts.map(\.lastPathComponent),
                             manifestName: manifestFile?.lastPathComponent, debug: invocation.log.isEnabled)
    }

    /// The part files the manifest lists from number `first` on, each checked to exist.
    static func partFiles(_ manifest: BundleManifest, in directory: String, from first: Int = 0) throws -> [URL] {
        try manifest.parts.dropFirst(first).map { part in
            let path = joinPath(directory, part.filename)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw BundleError("no such part: \(quoted(path)); use -d to say where the bundle's parts are")
            }
            return URL(fileURLWithPath: path)
        }
    }
}
