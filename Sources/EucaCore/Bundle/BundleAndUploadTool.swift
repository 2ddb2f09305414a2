import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `euca-bundle-and-upload-image` and `euca-install-image` do: check the upload options
/// and the bucket first (nothing is bundled for an upload that cannot happen), bundle the image
/// exactly as `euca-bundle-image` does (same options) while uploading each part as soon as it is
/// complete, upload the manifest last, and remove the bundle's files unless `--preserve-bundle`
/// — also after a failed upload, since a re-run bundles again with a new key; with
/// `--preserve-bundle` a failed upload can be resumed with `euca-upload-bundle -m`.
/// `euca-install-image` then registers the image.
public enum BundleAndUploadTool {
    /// `euca-bundle-and-upload-image`: prints `Uploaded BUCKET/PREFIX/NAME.manifest.xml`
    /// (every part too under --debug), as euca2ools 3.4.1.
    public static func run(_ invocation: Invocation) async throws {
        let (uploader, made) = try await bundleAndUpload(invocation)
        uploader.printResult(partNames: made.parts.map(\.filename),
                             manifestName: (made.manifestPath as NSString).lastPathComponent,
                             debug: invocation.log.isEnabled)
    }

    /// `euca-install-image`: bundle, upload, then RegisterImage with `-n`, the architecture,
    /// the manifest's location and `--description`/`--virtualization-type`/`--platform`;
    /// prints `IMAGE ID` (and nothing about the upload), as euca2ools 3.4.1.
    public static func install(_ invocation: Invocation) async throws {
        let arguments = invocation.arguments
        let name = try arguments.required("name")
        if arguments.flag("check-cert") {
            invocation.warn("--check-cert: this implementation cannot ask the identity service about certificates; not checked")
        }
        let ec2 = try computeClient(invocation)
        let (uploader, made) = try await bundleAndUpload(invocation)
        var parameters = [QueryItem("Name", name),
                          QueryItem("Architecture", arguments.string("arch") ?? "x86_64"),
                          QueryItem("ImageLocation", uploader.location.path((made.manifestPath as NSString).lastPathComponent))]
        if let description = arguments.string("description") { parameters.append(QueryItem("Description", description)) }
        if let type = arguments.string("virtualization-type") { parameters.append(QueryItem("VirtualizationType", type)) }
        if let platform = arguments.string("platform") { parameters.append(QueryItem("Platform", platform)) }
        let response = try await ec2.call("RegisterImage", parameters)
        invocation.output(Printer.imageId.records(response), from: [response])
    }

    /// The EC2 endpoint for RegisterImage: `--ec2-url`, else the configured one.
    static func computeClient(_ invocation: Invocation) throws -> QueryClient {
        let configured = try invocation.ec2()
        guard let text = invocation.arguments.string("ec2-url"), let url = URL(string: text) else { return configured }
        try invocation.checkTLS(url)
        return configured.at(url)
    }

    /// Checks, bundles and uploads, then cleans up; returns what was uploaded where. Each part
    /// is uploaded as soon as it is complete, while the rest of the image is bundled, and
    /// removed once stored (unless --preserve-bundle); at most --max-pending-parts parts (default:
    /// two more than the uploads in flight) wait on disk, bundling pauses beyond that. The
    /// manifest goes up once every part is stored.
    static func bundleAndUpload(_ invocation: Invocation) async throws -> (BundleUploader, BundleImageTool.Made) {
        let arguments = invocation.arguments
        let location = try BundleLocation.from(arguments)
        let uploader = try await BundleUploader.prepare(invocation, location: location)
        let preserve = arguments.flag("preserve-bundle")
        let concurrency = uploader.effectiveConcurrency
        let pipeline = BundlePartPipeline(maximumPending: arguments.int("max-pending-parts") ?? concurrency + 2)
        // A second bar would fight with the bundling bar on the terminal: upload progress is
        // reported only as porcelain lines.
        let mode = ProgressOptions.mode(arguments)
        let progress = ProgressReporter(operation: "bundle-and-upload-image", label: "Uploading bundle", total: nil,
                                        mode: mode == .porcelain ? .porcelain : .off)
        let uploads = Task {
            try await uploadParts(pipeline, uploader: uploader, concurrency: min(concurrency, pipeline.maximumPending),
                                  remove: !preserve, progress: progress)
        }
        var bundled: BundleImageTool.Made?
        do {
            let made = try await BlockingWork.run("bundle-image") {
                try BundleImageTool.make(invocation) { part in try pipeline.hand(part) }
            }
            bundled = made
            pipeline.finish()
            try await uploads.value
            try await uploader.put(URL(fileURLWithPath: made.manifestPath))
            progress.finish()
            if !preserve { remove(made) }
            return (uploader, made)
        } catch {
            pipeline.finish()
            uploads.cancel()
            _ = try? await uploads.value
            progress.fail()
            // A bundle that failed is removed by the bundler itself; one that was made is
            // removed here, unless it is to be kept.
            if let bundled, !preserve { remove(bundled) }
            throw error
        }
    }

    /// Uploads the parts the pipeline hands over, a few at a time; each is removed once stored
    /// when `remove`. A failure stops the bundler too.
    static func uploadParts(_ pipeline: BundlePartPipeline, uploader: BundleUploader, concurrency: Int,
                            remove: Bool, progress: ProgressReporter) async throws {
        let done = LockedValue<UInt64>(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for await part in pipeline.parts {
                if running >= max(concurrency, 1) {
                    try await group.next()
                    running -= 1
                }
                group.addTask {
                    do {
                        try await uploader.put(URL(fileURLWithPath: part.path))
                        if remove { unlink(part.path) }
                        pipeline.uploaded()
                        progress.update(done.withLock { $0 += part.size; return $0 })
                    } catch {
                        pipeline.fail(error)
                        throw error
                    }
                }
                running += 1
            }
            try await group.waitForAll()
        }
    }

    /// Removes the bundle's files, and its directory when it was made for it and is now empty.
    static func remove(_ made: BundleImageTool.Made) {
        for part in made.parts { unlink(part.path) }
        unlink(made.manifestPath)
        if made.createdDirectory { rmdir(made.directory) }
    }
}
