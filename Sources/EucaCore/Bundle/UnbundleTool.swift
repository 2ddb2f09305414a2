import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `euca-unbundle` and `euca-unbundle-stream` do, given their parsed command lines.
public enum UnbundleTool {
    /// `euca-unbundle`: parts beside the manifest (or in -s) → image in -d (default .; created
    /// when missing, as euca2ools 1.x did and the classic tutorial relies on); prints
    /// `Wrote PATH`.
    public static func unbundle(_ invocation: Invocation) throws {
        let arguments = invocation.arguments
        let manifestPath = try arguments.required("manifest")
        let source = arguments.string("source").flatMap { $0.isEmpty ? nil : $0 }
            ?? { let directory = (manifestPath as NSString).deletingLastPathComponent
                 return directory.isEmpty ? "." : directory }()
        let destination = arguments.string("destination").flatMap { $0.isEmpty ? nil : $0 } ?? "."
        try requireDirectory(source, option: "-s/--source")
        let manifest = try readManifest(manifestPath)
        let (keys, _) = try openKeys(manifest, invocation: invocation)
        let created = try CreatedDirectory(destination, option: "-d/--destination")
        let progress = ProgressReporter(operation: "unbundle", label: "Unbundling image", total: manifest.imageSize,
                                        mode: ProgressOptions.mode(arguments))
        let result: Unbundler.Result
        do {
            result = try Unbundler.unbundle(manifest: manifest, keys: keys, partsDirectory: source,
                                            destinationDirectory: destination, progress: progress)
        } catch {
            created.removeIfEmpty()
            throw error
        }
        StandardStream.output.writeLine("Wrote \(joinPath(destination, result.imageName))")
    }

    /// `euca-unbundle-stream`: concatenated parts on stdin (or -i) → image on stdout (or -o).
    /// The key, IV, size and digest come from the manifest (-m, opened with -k or
    /// EC2_PRIVATE_KEY) or from --enc-key/--enc-iv, --image-size and --sha1-digest.
    public static func unbundleStream(_ invocation: Invocation) throws {
        let arguments = invocation.arguments
        var keys: BundleKeys?
        var expectedSize = BundleImageTool.byteCount(arguments, "image-size")
        var expectedDigest = arguments.string("sha1-digest")
        if let manifestPath = arguments.string("manifest") {
            let manifest = try readManifest(manifestPath)
            if !(arguments.isSet("enc-key") && arguments.isSet("enc-iv")) {
                keys = try openKeys(manifest, invocation: invocation).keys
            }
            expectedSize = expectedSize ?? manifest.imageSize
            expectedDigest = expectedDigest ?? manifest.imageDigest
        }
        if let keyHex = arguments.string("enc-key"), let ivHex = arguments.string("enc-iv") {
            keys = try BundleKeys(keyHex: keyHex, ivHex: ivHex)
        }
        guard let keys else {
            throw UsageError("give the bundle's manifest with -m (and its key with -k), or --enc-key and --enc-iv")
        }

        var input: Int32 = 0
        var inputName = "standard input"
        if let path = arguments.string("input"), path != "-" {
            input = open(path, O_RDONLY | O_CLOEXEC)
            guard input >= 0 else { throw UsageError("argument -i: cannot open \(quoted(path)): \(systemError())") }
            inputName = path
        }
        defer { if input != 0 { close(input) } }
        let progress = ProgressReporter(operation: "unbundle-stream", label: "Unbundling image", total: expectedSize,
                                        mode: ProgressOptions.mode(arguments))
        if let path = arguments.string("output"), path != "-" {
            // A file: written beside its final name and renamed when complete.
            let directory = (path as NSString).deletingLastPathComponent
            let name = (path as NSString).lastPathComponent
            let sink = try ImageFileSink(directory: directory.isEmpty ? "." : directory, name: name)
            do {
                _ = try Unbundler.unbundleStream(input: input, inputName: inputName, sink: sink,
                                                 keys: keys, expectedSize: expectedSize,
                                                 expectedDigest: expectedDigest, progress: progress)
                try sink.commit()
            } catch {
                sink.abort()
                throw error
            }
        } else {
            _ = try Unbundler.unbundleStream(input: input, inputName: inputName,
                                             sink: DescriptorSink(descriptor: 1, name: "standard output"),
                                             keys: keys, expectedSize: expectedSize,
                                             expectedDigest: expectedDigest, progress: progress)
        }
    }

    static func readManifest(_ path: String) throws -> BundleManifest {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw UsageError("argument -m/--manifest: \(quoted(path)) is not a file")
        }
        return try BundleManifest.read(contentsOf: path)
    }

    static func requireDirectory(_ path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UsageError("argument \(option): directory \(quoted(path)) does not exist")
        }
        guard isDirectory.boolValue else {
            throw UsageError("argument \(option): \(quoted(path)) is not a directory")
        }
    }

    /// Opens the bundle's key with -k (or EC2_PRIVATE_KEY); checks the manifest's signature
    /// when the user's certificate is known, warning if it does not verify.
    static func openKeys(_ manifest: BundleManifest,
                         invocation: Invocation) throws -> (keys: BundleKeys, holder: BundleManifest.KeyHolder) {
        let credentials = BundleCredentials(invocation: invocation)
        guard let keyFile = credentials.privateKey else {
            throw UsageError("missing private key; please supply one with -k (or set EC2_PRIVATE_KEY)")
        }
        let privateKey = try credentials.loadPrivateKey(keyFile)
        let opened: (keys: BundleKeys, holder: BundleManifest.KeyHolder)
        do {
            opened = try manifest.decryptKeys(with: privateKey)
        } catch let error as ManifestError {
            throw BundleError("cannot decrypt the bundle with \(keyFile.path) (from \(keyFile.source)): \(error.message)")
        }
        if let certificateFile = credentials.userCertificate,
           let certificate = try? credentials.loadCertificate(certificateFile, what: "user certificate") {
            if manifest.signature.isEmpty {
                invocation.warn("the manifest is not signed")
            } else if !manifest.verifySignature(with: certificate) {
                invocation.warn("the manifest's signature does not verify with \(certificateFile.path) (from \(certificateFile.source)): it was signed by someone else, or changed after signing")
            }
        }
        return opened
    }
}
