import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `euca-bundle-image` does, given its parsed command line (the declaration is in
/// EucaCommands): check the inputs as euca2ools 3.4 does, bundle, write and sign the manifest,
/// print `Wrote manifest PATH`.
public enum BundleImageTool {
    /// EC2 refuses bundled images larger than this (euca2ools warns).
    static let ec2SizeLimit: UInt64 = 10 << 30

    public static func run(_ invocation: Invocation) throws {
        let made = try make(invocation)
        StandardStream.output.writeLine("Wrote manifest \(made.manifestPath)")
    }

    /// A bundle on disk, as `make` leaves it.
    public struct Made: Sendable {
        public var manifestPath: String
        public var manifest: BundleManifest
        public var parts: [BundlePartFile]
        public var directory: String
        /// Whether `directory` was created for this bundle (a new temporary one, or a missing -d).
        public var createdDirectory: Bool
    }

    /// Everything `euca-bundle-image` does but print: checks the options, bundles, writes and
    /// signs the manifest. Shared with the bundle-and-upload commands, which read the same options
    /// and may take each part as it is completed (see `BundleWriter.Options.partCompleted`).
    public static func make(_ invocation: Invocation,
                            partCompleted: (@Sendable (BundlePartFile) throws -> Void)? = nil) throws -> Made {
        let arguments = invocation.arguments
        let credentials = BundleCredentials(invocation: invocation)

        // The image and its name.
        let image = try arguments.required("image")
        let fromStandardInput = image == "-"
        let declaredSize = byteCount(arguments, "image-size")
        let prefix: String
        if fromStandardInput {
            guard let given = arguments.string("prefix"), !given.isEmpty else {
                throw UsageError("argument --prefix is required when bundling stdin")
            }
            guard declaredSize != nil else {
                throw UsageError("argument --image-size is required when bundling stdin")
            }
            prefix = given
        } else {
            prefix = arguments.string("prefix").flatMap { $0.isEmpty ? nil : $0 } ?? (image as NSString).lastPathComponent
        }
        do {
            try BundleManifest.checkFileName(prefix, what: "prefix")
        } catch {
            throw UsageError("argument -p/--prefix: \(quoted(prefix)) must be a plain file name (no \"/\")")
        }

        // Image type, kernel and ramdisk, as euca2ools works them out ("true" is Eucalyptus'
        // way of marking kernel and ramdisk images).
        var imageType = arguments.string("image-type") ?? "machine"
        let kernel = arguments.string("kernel")
        let ramdisk = arguments.string("ramdisk")
        if kernel == "true" { imageType = "kernel" }
        if ramdisk == "true" { imageType = "ramdisk" }
        let mappings = arguments.fields("block-device-mapping").flatMap { $0 }
            .map { BundleManifest.BlockDeviceMapping(virtual: $0.suffix, device: $0.value) }
        if imageType == "kernel" {
            if let kernel, kernel != "true" { throw UsageError("argument --kernel: not compatible with image type 'kernel'") }
            if ramdisk != nil { throw UsageError("argument --ramdisk: not compatible with image type 'kernel'") }
            if !mappings.isEmpty { throw UsageError("argument -B/--block-device-mappings: not compatible with image type 'kernel'") }
        }
        if imageType == "ramdisk" {
            if kernel != nil { throw UsageError("argument --kernel: not compatible with image type 'ramdisk'") }
            if let ramdisk, ramdisk != "true" { throw UsageError("argument --ramdisk: not compatible with image type 'ramdisk'") }
            if !mappings.isEmpty { throw UsageError("argument -B/--block-device-mappings: not compatible with image type 'ramdisk'") }
        }
        let productCodes = arguments.strings("productcodes")
            .flatMap { $0.split(separator: ",").map { $0.trimmed() } }
            .filter { !$0.isEmpty }

        // Who the bundle is for.
        guard let accountId = credentials.accountId else {
            throw UsageError("missing account ID; please supply one with --user (or set EC2_USER_ID)")
        }
        guard let certificateFile = credentials.userCertificate else {
            throw UsageError("missing certificate; please supply one with -c (or set EC2_CERT)")
        }
        guard let keyFile = credentials.privateKey else {
            throw UsageError("missing private key; please supply one with -k (or set EC2_PRIVATE_KEY)")
        }
        guard let cloudFile = credentials.cloudCertificate else {
            throw UsageError("missing cloud certificate; please supply one with --ec2cert (or set EUCALYPTUS_CERT)")
        }
        let userCertificate = try credentials.loadCertificate(certificateFile, what: "user certificate")
        let signingKey = try credentials.loadPrivateKey(keyFile)
        let cloudCertificate = try credentials.loadCertificate(cloudFile, what: "cloud certificate")

        var options = try writerOptions(invocation)
        options.partCompleted = partCompleted
        if !fromStandardInput {
            // A missing image is a usage problem, reported before anything is created.
            var info = stat()
            guard stat(image, &info) == 0 else {
                throw UsageError("argument -i/--image: \(quoted(image)): \(systemError())")
            }
        }
        let size = declaredSize ?? imageSize(image)

        // Where it goes: -d (created if missing), else a new bundle-XXXXXX directory under
        // TMPDIR, TEMP, TMP or /var/tmp (not /tmp, which is often small or in memory).
        let directory: String
        var created = false
        if let destination = arguments.string("destination"), !destination.isEmpty {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw UsageError("argument -d/--destination: \(quoted(destination)) is not a directory")
                }
            } else if mkdir(destination, 0o777) != 0 {
                throw BundleError("cannot create the directory \(destination): \(systemError())")
            } else {
                created = true
            }
            directory = destination
        } else {
            directory = try makeTemporaryDirectory(invocation.environment)
            created = true
        }
        // A directory made for this bundle goes again if the bundle fails (when empty).
        if created { InterruptCleanup.shared.rememberDirectory(directory) }
        defer { if created { InterruptCleanup.shared.forgetDirectory(directory) } }

        if size > ec2SizeLimit {
            invocation.warn("image is incompatible with EC2 due to its size (\(size) > \(ec2SizeLimit))")
        }
        let input: BundleWriter.Input = fromStandardInput
            ? .descriptor(0, name: "standard input", size: declaredSize!)
            : .file(image)
        let progress = ProgressReporter(operation: "bundle-image", label: "Bundling image", total: size,
                                        mode: ProgressOptions.mode(arguments))
        let result: BundleWriter.Result
        do {
            result = try BundleWriter.bundle(input, name: prefix, directory: directory, prefix: prefix,
                                             options: options, progress: progress)
        } catch {
            if created { rmdir(directory) }
            throw error
        }

        var manifest = BundleManifest(
            architecture: arguments.string("arch") ?? "x86_64",
            kernelId: kernel, ramdiskId: ramdisk,
            blockDeviceMappings: mappings, productCodes: productCodes,
            imageName: prefix, accountId: accountId, imageType: imageType,
            imageDigest: result.tarDigest, imageSize: result.imageSize, bundledSize: result.bundledSize,
            parts: result.parts.map { BundleManifest.Part(filename: $0.filename, digest: $0.digest) })
        let manifestPath = joinPath(directory, prefix + ".manifest.xml")
        do {
            try manifest.seal(keys: result.keys, cloudCertificate: cloudCertificate,
                              userCertificate: userCertificate, signingKey: signingKey)
            try writeAtomically(Array(manifest.document.utf8), to: manifestPath)
        } catch {
            for part in result.parts { unlink(part.path) }
            if created { rmdir(directory) }
            throw error
        }
        return Made(manifestPath: manifestPath, manifest: manifest, parts: result.parts,
                    directory: directory, createdDirectory: created)
    }

    /// Part size, fixed keys and the measurement knobs (`Tuning`).
    static func writerOptions(_ invocation: Invocation) throws -> BundleWriter.Options {
        let arguments = invocation.arguments
        var options = BundleWriter.Options()
        let tuning = invocation.settings?.tuning ?? Tuning()
        if let threads = tuning.bundleThreads { options.compression.workers = threads.value }
        if let block = tuning.bundleBlockKiB { options.compression.blockSize = block.value << 10 }
        if let extra = tuning.bundleExtraBlocksInFlight { options.compression.extraBlocksInFlight = extra.value }
        if tuning.deflateEveryBlock { options.compression.storeIncompressible = false }
        options.printStats = tuning.printBundleStats
        if let partSize = byteCount(arguments, "part-size") {
            guard partSize > 0, partSize <= UInt64(Int32.max) else {
                throw UsageError("argument --part-size: must be from 1 byte to 2 GiB")
            }
            options.partSize = Int(partSize)
        }
        if let keyHex = arguments.string("enc-key"), let ivHex = arguments.string("enc-iv") {
            options.keys = try BundleKeys(keyHex: keyHex, ivHex: ivHex)
        } else if arguments.isSet("enc-key") || arguments.isSet("enc-iv") {
            let keys = try BundleKeys.random()
            options.keys = try BundleKeys(keyHex: arguments.string("enc-key") ?? keys.keyHex,
                                          ivHex: arguments.string("enc-iv") ?? keys.ivHex)
        }
        return options
    }

    /// A size option's value in bytes (its value type converted `10M` and friends).
    static func byteCount(_ arguments: ParsedArguments, _ key: String) -> UInt64? {
        arguments.fields(key).last?.first.flatMap { UInt64($0.value) }
    }

    static func imageSize(_ path: String) -> UInt64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        if info.st_mode & S_IFMT == S_IFBLK {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            defer { if fd >= 0 { close(fd) } }
            return fd >= 0 ? UInt64(max(lseek(fd, 0, SEEK_END), 0)) : 0
        }
        return UInt64(info.st_size)
    }

    /// A new `bundle-XXXXXX` directory in TMPDIR, TEMP, TMP or /var/tmp.
    static func makeTemporaryDirectory(_ environment: [String: String]) throws -> String {
        let base = ["TMPDIR", "TEMP", "TMP"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? "/var/tmp"
        var template = Array(joinPath(base, "bundle-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw BundleError("cannot create a directory for the bundle in \(base): \(systemError()); choose one with -d")
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Writes a small file under a temporary name and renames it into place.
func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    do {
        try AtomicFile.write(Data(bytes), to: path)
    } catch {
        throw BundleError(error.description)
    }
}
