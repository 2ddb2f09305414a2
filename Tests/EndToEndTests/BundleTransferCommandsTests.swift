@testable import EucaCore
import Foundation
import Testing

/// euca-upload-bundle, euca-download-bundle, euca-delete-bundle, euca-download-and-unbundle,
/// euca-bundle-and-upload-image and euca-install-image, run as built against moto with
/// signature checking on (S3 and EC2 on the same endpoint), and the whole workflow
/// bundle → upload → register → describe → download-and-unbundle. The tests that need S3 alone
/// also run against SeaweedFS, with SigV4 and SigV2 (see `S3Target`).
@Suite("Bundle transfer commands")
struct BundleTransferCommandsTests {
    typealias Bundles = BundleCommandsTests

    /// The endpoint and a sourced eucarc's bundling credentials.
    static func environment(_ moto: MotoEndpoint) -> [String: String] {
        endpointEnv(moto).merging(Bundles.eucarc) { $1 }
    }

    /// A sourced eucarc's bundling credentials and the target's S3 endpoint and keys.
    static func environment(_ target: S3Target) throws -> [String: String] {
        let server = try target.server()
        return Bundles.eucarc.merging([
            "S3_URL": server.endpoint, "AWS_ACCESS_KEY_ID": server.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": server.secretAccessKey, "AWS_DEFAULT_REGION": server.region,
        ]) { $1 }
    }

    /// The flags that select the target's signature version.
    static func flags(_ target: S3Target) -> [String] {
        target.signatureVersion == .v2 ? ["--signature-version", "2"] : []
    }

    static func uniqueBucket(_ purpose: String) -> String {
        "bt-\(purpose)-\(UUID().uuidString.lowercased().prefix(8))"
    }

    /// A random image of `size` bytes bundled into `directory`/bundle; returns the image's
    /// path and the manifest's.
    static func bundle(in directory: URL, name: String = "disk.img", size: Int,
                       partSize: String = "256K") throws -> (image: String, manifest: String) {
        let image = directory.appendingPathComponent(name).path
        try Bundles.randomFile(image, size: size)
        let out = directory.appendingPathComponent("bundle").path
        let result = euca("bundle-image", ["-i", image, "-d", out, "--part-size", partSize], env: Bundles.eucarc)
        #expect(result.succeeded, "\(result)")
        return (image, "\(out)/\(name).manifest.xml")
    }

    /// The file names of the parts a manifest lists.
    static func partNames(_ manifest: String) throws -> [String] {
        try BundleManifest.read(contentsOf: manifest).parts.map(\.filename)
    }

    static func keys(_ server: any S3TestEndpoint, _ bucket: String) async throws -> [String] {
        try await S3ClientTests.client(server).listObjects(bucket).objects.map(\.key).sorted()
    }

    // MARK: - Help and bad input

    /// An OpenSSL without MD5 (FIPS-only configurations leave it out; here only the base
    /// provider is active): S3 commands say so in one line before sending anything.
    @Test func anOpenSSLWithoutMD5IsOneLine() throws {
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("openssl.cnf")
        try Data("""
            openssl_conf = openssl_init
            [openssl_init]
            providers = provider_sect
            [provider_sect]
            base = base_sect
            [base_sect]
            activate = 1

            """.utf8).write(to: config)
        let env = try Self.environment(.motoV4).merging(["OPENSSL_CONF": config.path]) { $1 }
        let result = euca("delete-bundle", ["-b", Self.uniqueBucket("nomd5"), "-p", "x"], env: env)
        #expect(result.status == 1 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.hasPrefix("euca-delete-bundle: error: OpenSSL offers no MD5 digest")
            && result.stderr.filter { $0 == "\n" }.count == 1, "\(result)")
    }

    @Test func helpListsEverySpelling() {
        let expected: [String: [String]] = [
            "upload-bundle": ["-b BUCKET[/PREFIX], --bucket BUCKET[/PREFIX]", "-m FILE, --manifest FILE", "--acl ACL",
                              "(default: aws-exec-read)", "ec2-bundle-read", "--location REGION", "--upload-policy POLICY",
                              "--upload-policy-file FILE", "--upload-policy-signature SIGNATURE", "--skipmanifest",
                              "-d DIR, --directory DIR", "--part N", "--retry", "--ec2cert FILE", "--progress",
                              "--no-progress", "--porcelain"],
            "download-bundle": ["-b BUCKET[/PREFIX], --bucket BUCKET[/PREFIX]", "-p NAME, --prefix NAME",
                                "-m MANIFEST, --manifest MANIFEST", "--local-manifest FILE", "-d DIR, --directory DIR",
                                "--progress"],
            "delete-bundle": ["-b BUCKET[/PREFIX], --bucket BUCKET[/PREFIX]", "-p NAME, --prefix NAME",
                              "-m MANIFEST, --manifest MANIFEST", "--local-manifest FILE", "--clear"],
            "download-and-unbundle": ["-b BUCKET[/PREFIX]", "-p NAME, --prefix NAME", "-m MANIFEST, --manifest MANIFEST",
                                      "--local-manifest FILE", "-d (FILE | DIR), --destination (FILE | DIR)",
                                      "-k FILE, --privatekey FILE", "--porcelain"],
            "bundle-and-upload-image": ["-i FILE, --image FILE", "-p PREFIX, --prefix PREFIX", "-d DIR, --destination DIR",
                                        "-r ARCH, --arch ARCH", "-k FILE, --privatekey FILE", "-c FILE, --cert FILE",
                                        "--ec2cert FILE, --ec2cert_path FILE", "-u ACCOUNT, --user ACCOUNT",
                                        "--kernel IMAGE", "--ramdisk IMAGE", "--block-device-mappings", "--productcodes",
                                        "--image-type TYPE", "--image-size SIZE", "--part-size SIZE", "--batch",
                                        "-b BUCKET[/PREFIX], --bucket BUCKET[/PREFIX]", "--acl ACL", "--location REGION",
                                        "--upload-policy POLICY", "--upload-policy-signature SIGNATURE",
                                        "--preserve-bundle", "--max-pending-parts N", "--progress"],
            "install-image": ["-n NAME, --name NAME", "--description DESCRIPTION", "--virtualization-type TYPE",
                              "--platform windows", "--ec2-url URL", "--check-cert", "--iam-url URL",
                              "--max-pending-parts N", "-i FILE, --image FILE", "-r ARCH, --arch ARCH",
                              "-b BUCKET[/PREFIX], --bucket BUCKET[/PREFIX]", "--acl ACL", "--upload-policy POLICY"],
        ]
        for (command, spellings) in expected {
            let help = euca(command, ["--help"])
            #expect(help.succeeded, "\(help)")
            for spelling in spellings {
                #expect(help.stdout.contains(spelling), "\(spelling) missing from euca-\(command) --help")
            }
        }
        // bundle-and-upload's -b is the bucket, not euca-bundle-image's 1.x -b/--batch.
        #expect(!euca("bundle-and-upload-image", ["--help"]).stdout.contains("-b, --batch"))
    }

    @Test func badInput() throws {
        let moto = try MotoEndpoint.shared
        let env = Self.environment(moto)
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (image, manifest) = try Self.bundle(in: dir, size: 100_000)
        let cases: [(String, [String], [String: String], Int32, String)] = [
            ("upload-bundle", ["-m", manifest], env, 2, "the following arguments are required: -b/--bucket"),
            ("upload-bundle", ["-b", "bkt"], env, 2, "the following arguments are required: -m/--manifest"),
            ("upload-bundle", ["-b", "bad bucket", "-m", manifest], env, 2, "argument -b/--bucket: bucket name \"bad bucket\""),
            ("upload-bundle", ["-b", "bkt", "-m", dir.path + "/none.xml"], env, 2, "argument -m/--manifest:"),
            ("upload-bundle", ["-b", "bkt", "-m", image], env, 1, "not a valid manifest"),
            ("upload-bundle", ["-b", "bkt", "-m", manifest, "--acl", "everyone"], env, 2, "--acl: expected one of"),
            ("upload-bundle", ["-b", "bkt", "-m", manifest, "--part", "9"], env, 2, "argument --part: the bundle has 1 part"),
            ("upload-bundle", ["-b", "bkt", "-m", manifest, "-d", dir.path], env, 1, "no such part: \"\(dir.path)/disk.img.part.00\""),
            ("upload-bundle", ["-b", "bkt", "-m", manifest, "--upload-policy", "{}"], env, 2,
             "--upload-policy requires --upload-policy-signature"),
            ("upload-bundle", ["-b", "bkt", "-m", manifest, "--upload-policy-signature", "x"], env, 2,
             "--upload-policy-signature requires --upload-policy or --upload-policy-file"),
            ("upload-bundle", ["-b", "bkt", "-m", manifest, "--upload-policy", "not base64!", "--upload-policy-signature", "x"],
             env, 2, "argument --upload-policy: expected a JSON policy document or its base64 encoding"),
            ("upload-bundle", ["-b", "bkt", "-m", manifest, "--upload-policy", "{}", "--upload-policy-signature", "x"],
             Bundles.eucarc.merging(["S3_URL": moto.endpoint]) { $1 }, 2, "-I/--access-key-id is required when using an upload policy"),
            ("upload-bundle", ["-b", "bkt", "-m", manifest], Bundles.eucarc.merging(["S3_URL": moto.endpoint]) { $1 }, 1,
             "no credentials found"),
            ("download-bundle", ["-p", "x"], env, 2, "the following arguments are required: -b/--bucket"),
            ("download-bundle", ["-b", "bkt", "-p", "x", "-m", "y"], env, 2, "cannot be used together"),
            ("download-bundle", ["-b", "bkt", "-p", "a/b"], env, 2, "argument -p/--prefix: \"a/b\" must be a bundle's file name prefix"),
            ("download-bundle", ["-b", "bkt", "--local-manifest", dir.path + "/none.xml"], env, 2,
             "--local-manifest: manifest file \"\(dir.path)/none.xml\" does not exist"),
            ("download-bundle", ["-b", "bkt", "-p", "x", "-d", image], env, 2, "-d/--directory: \"\(image)\" is not a directory"),
            ("download-bundle", ["-b", "bkt", "-d", "-"], env, 2, "\"-\" (standard output) takes one bundle"),
            ("download-bundle", ["-b", Self.uniqueBucket("none"), "-p", "x", "-d", dir.path], env, 1, "does not exist"),
            // A directory made for a download that failed is not left behind.
            ("download-bundle", ["-b", Self.uniqueBucket("none"), "-p", "x", "-d", dir.path + "/made/here"], env, 1, "does not exist"),
            ("delete-bundle", ["-b", Self.uniqueBucket("none"), "-p", "x"], env, 1, "bucket bt-none-"),
            ("download-and-unbundle", ["-b", "bkt", "-p", "x"], Self.environment(moto).merging(["EC2_PRIVATE_KEY": ""]) { $1 }, 2,
             "missing private key; please supply one with -k"),
            ("download-and-unbundle", ["-b", "bkt", "-p", "x", "-d", dir.path + "/nowhere/img"], env, 2,
             "-d/--destination: directory \"\(dir.path)/nowhere\" does not exist"),
            ("bundle-and-upload-image", ["-i", image], env, 2, "the following arguments are required: -b/--bucket"),
            ("bundle-and-upload-image", ["-i", image, "-b", "bkt", "-r", "sparc"], env, 2, "-r/--arch: expected one of"),
            ("install-image", ["-i", image, "-b", "bkt"], env, 2, "the following arguments are required: -n/--name"),
            ("install-image", ["-i", image, "-b", "bkt", "-n", "x", "--virtualization-type", "pv"], env, 2,
             "--virtualization-type: expected one of paravirtual, hvm"),
        ]
        for (command, arguments, environment, status, message) in cases {
            let result = euca(command, arguments, env: environment, directory: dir)
            #expect(result.status == status, "\(result)")
            #expect(result.stderr.contains(message), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            if status == 1 {
                #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line: \(result)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/made"), "the directory made for the failed download is gone")
    }

    // MARK: - The workflow

    @Test("bundle | upload | register | describe-images | download-and-unbundle, and download-bundle | unbundle: the same bytes")
    func workflow() async throws {
        let moto = try MotoEndpoint.shared
        let env = Self.environment(moto)
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (image, manifest) = try Self.bundle(in: dir, size: 3_000_000)
        let bucket = Self.uniqueBucket("flow")

        let upload = euca("upload-bundle", ["-b", "\(bucket)/images/centos", "-m", manifest], env: env)
        #expect(upload.succeeded, "\(upload)")
        #expect(upload.stdout == "Uploaded \(bucket)/images/centos/disk.img.manifest.xml\n")
        #expect(upload.stderr.isEmpty, "\(upload)")
        let partNames = try Self.partNames(manifest)
        #expect(partNames.count > 5)
        let stored = try await Self.keys(moto, bucket)
        #expect(stored == (partNames + ["disk.img.manifest.xml"]).map { "images/centos/" + $0 }.sorted())

        let registered = euca("register", ["\(bucket)/images/centos/disk.img.manifest.xml"], env: env)
        #expect(registered.succeeded, "\(registered)")
        let imageId = try #require(registered.stdout.split(separator: "\t").last.map { $0.trimmingCharacters(in: .newlines) })
        #expect(registered.stdout == "IMAGE\t\(imageId)\n" && imageId.hasPrefix("ami-"))
        let described = euca("describe-images", [imageId], env: env)
        #expect(described.succeeded && described.stdout.hasPrefix("IMAGE\t\(imageId)\t"), "\(described)")
        #expect(described.stdout.contains("disk.img"), "named after the manifest: \(described)")

        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let unbundled = euca("download-and-unbundle", ["-b", "\(bucket)/images/centos", "-p", "disk.img", "-d", out.path],
                             env: env)
        #expect(unbundled.succeeded, "\(unbundled)")
        #expect(unbundled.stdout == "Wrote \(out.path)/disk.img\n")
        #expect(Bundles.sha1(out.path + "/disk.img") == Bundles.sha1(image))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["disk.img"], "no parts on disk")

        // The same with the manifest's file name (3.x -m) and a file name as destination.
        let named = euca("download-and-unbundle", ["-b", "\(bucket)/images/centos", "-m", "disk.img.manifest.xml",
                                                   "-d", out.path + "/copy.img"], env: env)
        #expect(named.stdout == "Wrote \(out.path)/copy.img\n", "\(named)")
        #expect(Bundles.sha1(out.path + "/copy.img") == Bundles.sha1(image))

        let parts = dir.appendingPathComponent("parts").path
        let downloaded = euca("download-bundle", ["-b", "\(bucket)/images/centos", "-p", "disk.img", "-d", parts], env: env)
        #expect(downloaded.succeeded, "\(downloaded)")
        #expect(downloaded.stdout == "Wrote manifest \(parts)/disk.img.manifest.xml\n" && downloaded.stderr.isEmpty, "\(downloaded)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parts).sorted()
            == (partNames + ["disk.img.manifest.xml"]).sorted())
        let back = dir.appendingPathComponent("back").path
        try FileManager.default.createDirectory(atPath: back, withIntermediateDirectories: true)
        let local = euca("unbundle", ["-m", parts + "/disk.img.manifest.xml", "-d", back], env: env)
        #expect(local.succeeded, "\(local)")
        #expect(Bundles.sha1(back + "/disk.img") == Bundles.sha1(image))

        // The encrypted stream on stdout, for euca-unbundle-stream.
        let piped = runHermetic(["/bin/sh", "-c",
                                 "euca-download-bundle -b \(bucket)/images/centos -p disk.img -d - | euca-unbundle-stream -m \(manifest) | sha1sum"],
                                env: env.merging(["PATH": EucaBinary.directoryPath! + ":/usr/bin:/bin"]) { $1 })
        #expect(piped.stdout.hasPrefix(Bundles.sha1(image)), "\(piped)")
    }

    // MARK: - Resume

    @Test("a second upload sends only the parts missing or different, then the manifest",
          arguments: S3Target.allCases)
    func uploadResumes(_ target: S3Target) async throws {
        let proxy = try FaultProxy.start(upstream: try target.server().endpoint)
        defer { proxy.stop() }
        var env = try Self.environment(target)
        env["S3_URL"] = proxy.endpoint
        let v = Self.flags(target)
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (image, manifest) = try Self.bundle(in: dir, size: 2_000_000)
        let bucket = Self.uniqueBucket("resume")
        let first = euca("upload-bundle", ["-b", bucket, "-m", manifest] + v, env: env)
        #expect(first.succeeded, "\(first)")
        // One part lost, one replaced by other bytes of the same size.
        let s3 = try S3ClientTests.client(target)
        try await s3.deleteObject(bucket, "disk.img.part.03")
        try await s3.putObject(bucket, "disk.img.part.05", data: Data(repeating: 7, count: 256 * 1024))
        try proxy.reset()
        let second = euca("upload-bundle", ["-b", bucket, "-m", manifest] + v, env: env)
        #expect(second.succeeded && second.stdout == "Uploaded \(bucket)/disk.img.manifest.xml\n", "\(second)")
        let puts = try proxy.requests().filter { $0.method == "PUT" }.compactMap(\.key)
        // The manifest is stored already, with the same bytes: it stays as it is.
        #expect(puts.sorted() == ["disk.img.part.03", "disk.img.part.05"], "\(puts)")
        let out = dir.appendingPathComponent("o").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let unbundled = euca("download-and-unbundle", ["-b", bucket, "-p", "disk.img", "-d", out] + v, env: env)
        #expect(unbundled.succeeded, "\(unbundled)")
        #expect(Bundles.sha1(out + "/disk.img") == Bundles.sha1(image))
        // A third run sends only the manifest? No: nothing changed, so only the lookups.
        try proxy.reset()
        #expect(euca("upload-bundle", ["-b", bucket, "-m", manifest] + v, env: env).succeeded)
        #expect(try proxy.requests().filter { $0.method == "PUT" }.isEmpty)
    }

    @Test("download-bundle keeps the parts already downloaded and checked", arguments: S3Target.allCases)
    func downloadResumes(_ target: S3Target) async throws {
        let proxy = try FaultProxy.start(upstream: try target.server().endpoint)
        defer { proxy.stop() }
        var env = try Self.environment(target)
        let v = Self.flags(target)
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, manifest) = try Self.bundle(in: dir, size: 1_000_000)
        let bucket = Self.uniqueBucket("dlresume")
        #expect(euca("upload-bundle", ["-b", bucket, "-m", manifest] + v, env: env).succeeded)
        env["S3_URL"] = proxy.endpoint
        let parts = dir.appendingPathComponent("dl").path
        #expect(euca("download-bundle", ["-b", bucket, "-p", "disk.img", "-d", parts] + v, env: env).succeeded)
        try FileManager.default.removeItem(atPath: parts + "/disk.img.part.01")
        try Data("damaged".utf8).write(to: URL(fileURLWithPath: parts + "/disk.img.part.02"))
        try proxy.reset()
        let again = euca("download-bundle", ["-b", bucket, "-p", "disk.img", "-d", parts] + v, env: env)
        #expect(again.succeeded, "\(again)")
        let gets = try proxy.requests().filter { $0.method == "GET" }.compactMap(\.key).sorted()
        #expect(gets == ["disk.img.manifest.xml", "disk.img.part.01", "disk.img.part.02"], "\(gets)")
        let unbundled = euca("unbundle", ["-m", parts + "/disk.img.manifest.xml", "-d", parts], env: env)
        #expect(unbundled.succeeded, "\(unbundled)")
    }

    // MARK: - Delete

    @Test("delete-bundle: by prefix, by local manifest, with the manifest gone, every bundle, --clear",
          arguments: S3Target.allCases)
    func deleteBundle(_ target: S3Target) async throws {
        let env = try Self.environment(target)
        let v = Self.flags(target)
        let s3 = try S3ClientTests.client(target)
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, manifest) = try Self.bundle(in: dir, size: 600_000)
        let bucket = Self.uniqueBucket("delete")
        for prefix in ["a", "b", "c"] {
            #expect(euca("upload-bundle", ["-b", "\(bucket)/\(prefix)", "-m", manifest] + v, env: env).succeeded)
        }
        #expect(euca("upload-bundle", ["-b", bucket, "-m", manifest] + v, env: env).succeeded)

        // -p NAME
        let byPrefix = euca("delete-bundle", ["-b", "\(bucket)/a", "-p", "disk.img"] + v, env: env)
        #expect(byPrefix.succeeded && byPrefix.stdout.isEmpty && byPrefix.stderr.isEmpty, "\(byPrefix)")
        #expect(try await Self.keys(try target.server(), bucket).allSatisfy { !$0.hasPrefix("a/") })
        // -m with a local manifest file (1.x)
        #expect(euca("delete-bundle", ["-b", "\(bucket)/b", "-m", manifest] + v, env: env).succeeded)
        #expect(try await Self.keys(try target.server(), bucket).allSatisfy { !$0.hasPrefix("b/") })
        // The manifest already gone: the parts are found by listing.
        try await s3.deleteObject(bucket, "c/disk.img.manifest.xml")
        let gone = euca("delete-bundle", ["-b", "\(bucket)/c", "-p", "disk.img"] + v, env: env)
        #expect(gone.succeeded, "\(gone)")
        #expect(try await Self.keys(try target.server(), bucket).allSatisfy { !$0.hasPrefix("c/") })
        let nothing = euca("delete-bundle", ["-b", "\(bucket)/c", "-p", "disk.img"] + v, env: env)
        #expect(nothing.status == 1 && nothing.stderr.contains("no parts of disk.img are stored there either"), "\(nothing)")

        // Every bundle in the bucket (1.x), a stray part left by a failed upload, and --clear.
        try await s3.putObject(bucket, "orphan.img.part.00", data: Data("x".utf8))
        let all = euca("delete-bundle", ["-b", bucket, "--clear"] + v, env: env)
        #expect(all.succeeded, "\(all)")
        #expect(try await !s3.bucketExists(bucket))
    }

    /// SeaweedFS deletes a bucket with everything in it; --clear must remove only a bucket
    /// that a listing has just shown to be empty, whatever the bundle's name.
    @Test("--clear keeps a bucket that holds anything else", arguments: S3Target.allCases)
    func clearKeepsOtherData(_ target: S3Target) async throws {
        let env = try Self.environment(target)
        let v = Self.flags(target)
        let s3 = try S3ClientTests.client(target)
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, manifest) = try Self.bundle(in: dir, size: 300_000)
        let bucket = Self.uniqueBucket("clear")
        #expect(euca("upload-bundle", ["-b", "\(bucket)/keep", "-m", manifest] + v, env: env).succeeded)
        #expect(euca("upload-bundle", ["-b", "\(bucket)/gone", "-m", manifest] + v, env: env).succeeded)
        let kept = try await Self.keys(try target.server(), bucket).filter { $0.hasPrefix("keep/") }

        // No such bundle: nothing of it is stored, so it is "deleted", but the bucket stays.
        let absent = euca("delete-bundle", ["-b", bucket, "-p", "no-such-image", "--clear"] + v, env: env)
        #expect(absent.succeeded && absent.stderr == "euca-delete-bundle: warning: bucket \(bucket) was kept: it holds other objects\n",
                "\(absent)")
        let one = euca("delete-bundle", ["-b", "\(bucket)/gone", "-p", "disk.img", "--clear"] + v, env: env)
        #expect(one.succeeded && one.stderr.contains("bucket \(bucket) was kept: it holds other objects"), "\(one)")
        #expect(try await Self.keys(try target.server(), bucket) == kept)
        #expect(kept.contains("keep/disk.img.manifest.xml"))

        // The last bundle gone, the bucket is empty and --clear removes it.
        let last = euca("delete-bundle", ["-b", "\(bucket)/keep", "-p", "disk.img", "--clear"] + v, env: env)
        #expect(last.succeeded && last.stderr.isEmpty, "\(last)")
        #expect(try await !s3.bucketExists(bucket))
    }

    /// `-b BUCKET//double`: the prefix has an empty segment, which moto keeps (SeaweedFS
    /// stores keys as paths and collapses it, so this runs on moto only). Without -p, every
    /// bundle under the prefix is found by listing, and each keeps its whole name.
    @Test("download-bundle and delete-bundle without -p under a prefix with an empty segment")
    func emptySegmentPrefixWithoutName() async throws {
        let target = S3Target.motoV4
        let env = try Self.environment(target)
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, manifest) = try Self.bundle(in: dir, size: 200_000)
        let bucket = Self.uniqueBucket("double")
        #expect(euca("upload-bundle", ["-b", "\(bucket)//double", "-m", manifest], env: env).succeeded)
        let parts = try Self.partNames(manifest)
        #expect(try await Self.keys(try target.server(), bucket) == (parts + ["disk.img.manifest.xml"]).map { "/double/" + $0 }.sorted())

        let into = dir.appendingPathComponent("down").path
        let download = euca("download-bundle", ["-b", "\(bucket)//double", "-d", into], env: env)
        #expect(download.succeeded, "\(download)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: into).sorted() == (parts + ["disk.img.manifest.xml"]).sorted())

        let delete = euca("delete-bundle", ["-b", "\(bucket)//double", "--clear"], env: env)
        #expect(delete.succeeded && delete.stderr.isEmpty, "\(delete)")
        #expect(try await !S3ClientTests.client(target).bucketExists(bucket))
    }

    @Test("download-bundle without -p or -m downloads every bundle in the bucket (1.x)",
          arguments: S3Target.allCases)
    func downloadEveryBundle(_ target: S3Target) throws {
        let env = try Self.environment(target)
        let v = Self.flags(target)
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, one) = try Self.bundle(in: dir, name: "one.img", size: 300_000)
        let two = dir.appendingPathComponent("two")
        try FileManager.default.createDirectory(at: two, withIntermediateDirectories: true)
        let (_, other) = try Self.bundle(in: two, name: "two.img", size: 200_000)
        let bucket = Self.uniqueBucket("every")
        #expect(euca("upload-bundle", ["-b", bucket, "-m", one] + v, env: env).succeeded)
        #expect(euca("upload-bundle", ["-b", bucket, "-m", other] + v, env: env).succeeded)
        let into = dir.appendingPathComponent("all").path
        let result = euca("download-bundle", ["-b", bucket, "-d", into] + v, env: env)
        #expect(result.succeeded, "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: into).sorted()
            == (Self.partNames(one) + Self.partNames(other) + ["one.img.manifest.xml", "two.img.manifest.xml"]).sorted())
    }

    // MARK: - Bundle and upload, install

    @Test("bundle-and-upload-image and install-image: one command each, the bundle's files removed")
    func bundleAndUploadAndInstall() throws {
        let moto = try MotoEndpoint.shared
        var env = Self.environment(moto)
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        env["TMPDIR"] = dir.path
        let image = dir.appendingPathComponent("root.img").path
        try Bundles.randomFile(image, size: 700_000)
        let bucket = Self.uniqueBucket("install")

        let uploaded = euca("bundle-and-upload-image", ["-i", image, "-b", "\(bucket)/x", "-p", "root", "--part-size", "256K"],
                            env: env)
        #expect(uploaded.succeeded, "\(uploaded)")
        #expect(uploaded.stdout == "Uploaded \(bucket)/x/root.manifest.xml\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["root.img"], "the temporary bundle is gone")
        let debug = euca("bundle-and-upload-image", ["-i", image, "-b", bucket, "--part-size", "512K", "--debug"], env: env)
        #expect(debug.stdout == "Uploaded \(bucket)/root.img.part.00\nUploaded \(bucket)/root.img.part.01\nUploaded \(bucket)/root.img.manifest.xml\n",
                "\(debug.stdout)")
        let kept = dir.appendingPathComponent("kept").path
        #expect(euca("bundle-and-upload-image", ["-i", image, "-b", bucket, "-p", "kept", "-d", kept, "--preserve-bundle"],
                     env: env).succeeded)
        #expect(try FileManager.default.contentsOfDirectory(atPath: kept).sorted() == ["kept.manifest.xml", "kept.part.00"])

        let installed = euca("install-image", ["-i", image, "-b", "\(bucket)/inst", "-n", "installed-\(bucket)", "-r", "x86_64",
                                               "--description", "made by install-image", "--virtualization-type", "hvm"],
                             env: env)
        #expect(installed.succeeded, "\(installed)")
        let imageId = installed.stdout.trimmingCharacters(in: .newlines).split(separator: "\t").last.map(String.init) ?? ""
        #expect(installed.stdout == "IMAGE\t\(imageId)\n" && imageId.hasPrefix("ami-"), "\(installed)")
        let described = euca("describe-images", [imageId], env: env)
        #expect(described.stdout.contains("installed-\(bucket)"), "\(described)")
        // --ec2-url wins over EC2_URL for the registration; --check-cert only warns.
        let elsewhere = euca("install-image", ["-i", image, "-b", "\(bucket)/other", "-n", "other-\(bucket)",
                                               "--ec2-url", moto.endpoint, "--check-cert"],
                             env: env.merging(["EC2_URL": "http://127.0.0.1:\(try FaultProxy.closedPort())"]) { $1 })
        #expect(elsewhere.succeeded && elsewhere.stdout.hasPrefix("IMAGE\tami-"), "\(elsewhere)")
        #expect(elsewhere.stderr == "euca-install-image: warning: --check-cert: this implementation cannot ask the identity service about certificates; not checked\n")

        let out = dir.appendingPathComponent("back").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let back = euca("download-and-unbundle", ["-b", "\(bucket)/inst", "-d", out], env: env)
        #expect(back.succeeded && back.stdout == "Wrote \(out)/root.img\n", "the only bundle there: \(back)")
        #expect(Bundles.sha1(out + "/root.img") == Bundles.sha1(image))
    }

    // MARK: - Upload policy

    /// moto cannot check an upload policy (with signature checking on it answers an unsigned
    /// POST with a 500; without, it stores whatever the form says), so this shows the form
    /// uploads are made and stored correctly, and that nothing is signed.
    @Test("--upload-policy: POST Object form uploads, unsigned, against a moto without auth")
    func uploadPolicy() async throws {
        let moto = try MotoEndpoint.start(auth: false)
        defer { moto.stop() }
        let proxy = try FaultProxy.start(upstream: moto.endpoint)
        defer { proxy.stop() }
        let dir = try Bundles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (image, manifest) = try Self.bundle(in: dir, size: 900_000)
        let bucket = Self.uniqueBucket("policy")
        let signed = Self.environment(moto)
        // The bucket must exist: with a policy, nothing can be signed to create it.
        try await S3ClientTests.client(moto).createBucket(bucket)

        let policy = #"{"expiration": "2030-01-01T00:00:00Z", "conditions": [{"bucket": "\#(bucket)"}, {"acl": "aws-exec-read"}]}"#
        let policyFile = dir.appendingPathComponent("policy.json")
        try Data(policy.utf8).write(to: policyFile)
        // Only the key ID: no secret key anywhere.
        let unsigned = Bundles.eucarc.merging(["S3_URL": proxy.endpoint, "AWS_DEFAULT_REGION": moto.region]) { $1 }
        let result = euca("upload-bundle", ["-b", bucket, "-m", manifest, "--upload-policy-file", policyFile.path,
                                            "--upload-policy-signature", "bm90IGEgcmVhbCBzaWduYXR1cmU=",
                                            "-I", "AKIDPOLICYONLY"], env: unsigned)
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout == "Uploaded \(bucket)/disk.img.manifest.xml\n")
        let requests = try proxy.requests()
        #expect(requests.count == (try Self.partNames(manifest)).count + 1, "the parts and the manifest, nothing else: \(requests)")
        #expect(requests.allSatisfy { $0.method == "POST" && $0.service == nil && $0.path == "/\(bucket)" }, "\(requests)")

        let out = dir.appendingPathComponent("o").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let back = euca("download-and-unbundle", ["-b", bucket, "-p", "disk.img", "-d", out], env: signed)
        #expect(back.succeeded, "\(back)")
        #expect(Bundles.sha1(out + "/disk.img") == Bundles.sha1(image))
    }
}
