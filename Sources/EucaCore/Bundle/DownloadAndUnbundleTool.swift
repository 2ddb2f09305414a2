import Foundation

/// What `euca-download-and-unbundle` does: fetches the manifest, opens its key with `-k` (or
/// EC2_PRIVATE_KEY), and streams the parts from object storage straight into the unbundler —
/// no part touches the disk. Each part is checked against the manifest's SHA-1 before any of it
/// is decrypted (a damaged one is fetched again); the image is then checked like
/// `euca-unbundle` checks it, and appears under its name only when complete and correct.
/// Prints `Wrote PATH`, as euca2ools 3.4.1 does.
public enum DownloadAndUnbundleTool {
    public static func run(_ invocation: Invocation) async throws {
        let arguments = invocation.arguments
        let location = try BundleLocation.from(arguments)
        let selection = try BundleSelection.from(arguments)
        let destination = arguments.string("destination").flatMap { $0.isEmpty ? nil : $0 } ?? "."
        let target = try Target(destination)
        let credentials = BundleCredentials(invocation: invocation)
        guard credentials.privateKey != nil else {
            throw UsageError("missing private key; please supply one with -k (or set EC2_PRIVATE_KEY)")
        }
        let s3 = try invocation.s3()
        let manifest: BundleManifest
        switch selection {
        case .all:
            let names = try await RemoteBundle.manifestNames(s3, location)
            guard names.count == 1 else {
                throw UsageError(names.isEmpty
                    ? "no manifests found in \(location); give the bundle with -p or -m"
                    : "\(location) holds \(names.count) bundles (\(names.joined(separator: ", "))); choose one with -p or -m")
            }
            manifest = try await RemoteBundle.fetchManifest(s3, location, name: names[0]).manifest
        default:
            guard let chosen = try await selection.manifests(s3, location).first else {
                throw BundleError("no manifest found")
            }
            manifest = chosen.manifest
        }
        let (keys, _) = try UnbundleTool.openKeys(manifest, invocation: invocation)
        let path = target.path(for: manifest)
        if let path {
            let directory = (path as NSString).deletingLastPathComponent
            try DiskSpace.require(manifest.imageSize, in: directory.isEmpty ? "." : directory,
                                  for: "the image \(manifest.imageName)", hint: "; choose another destination with -d")
        }

        let source = S3PartStream(client: s3, bucket: location.bucket,
                                  parts: manifest.parts.map { .init(key: location.key($0.filename), sha1: $0.digest) },
                                  window: RemoteBundle.window(for: manifest))
        let progress = ProgressReporter(operation: "download-and-unbundle", label: "Downloading and unbundling",
                                        total: manifest.imageSize, mode: ProgressOptions.mode(arguments))
        source.start()
        defer { source.cancel() }
        try await BlockingWork.run("download-and-unbundle") {
            let sink: ImageSink
            if let path {
                let directory = (path as NSString).deletingLastPathComponent
                sink = try ImageFileSink(directory: directory.isEmpty ? "." : directory,
                                         name: (path as NSString).lastPathComponent)
            } else {
                sink = DescriptorSink(descriptor: 1, name: "standard output")
            }
            do {
                let (member, digest) = try Unbundler.run(source: source, keys: keys, sink: sink, progress: progress)
                try Unbundler.check(member: member, digest: digest, manifest: manifest)
                try sink.commit()
                progress.finish()
            } catch {
                sink.abort()
                progress.fail()
                throw error
            }
        }
        if let path { StandardStream.output.writeLine("Wrote \(path)") }
    }

    /// `-d`: a directory (the image goes in it under its name from the manifest), a file name,
    /// or `-` for standard output.
    enum Target {
        case directory(String)
        case file(String)
        case standardOutput

        init(_ destination: String) throws {
            if destination == "-" {
                self = .standardOutput
                return
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory), isDirectory.boolValue {
                self = .directory(destination)
                return
            }
            let parent = (destination as NSString).deletingLastPathComponent
            if !parent.isEmpty,
               !(FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) && isDirectory.boolValue) {
                throw UsageError("argument -d/--destination: directory \(quoted(parent)) does not exist")
            }
            self = .file(destination)
        }

        func path(for manifest: BundleManifest) -> String? {
            switch self {
            case .directory(let directory): return joinPath(directory, manifest.imageName)
            case .file(let path): return path
            case .standardOutput: return nil
            }
        }
    }
}
