import Foundation
import Testing

/// euca-bundle-image, euca-unbundle and euca-unbundle-stream, run as built. Bundles made here
/// are checked by an independent verifier built from standard tools only (openssl, gzip, tar,
/// Python's tarfile and XML parser); the euca2ools-made fixture must unbundle with either key.
@Suite("Bundle commands")
struct BundleCommandsTests {
    /// Keys and the euca2ools bundle live in the unit tests' fixtures; read them from there.
    static let unitFixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EucaCoreTests/Fixtures")
    static func key(_ name: String) -> String { unitFixtures.appendingPathComponent("keys/\(name)").path }
    static let fixtureBundle = unitFixtures.appendingPathComponent("bundle-euca2ools-3.4.1").path

    /// A sourced eucarc's worth of bundling credentials.
    static var eucarc: [String: String] {
        ["EC2_CERT": key("user-cert.pem"), "EC2_PRIVATE_KEY": key("user-key.pem"),
         "EUCALYPTUS_CERT": key("cloud-cert.pem"), "EC2_USER_ID": "1234-5678-9012"]
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("euca-bundle-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Pseudo-random bytes; with `compressible`, the first quarter is a compressible pattern.
    static func randomFile(_ path: String, size: Int, compressible: Bool = true) throws {
        var bytes = [UInt8](repeating: 0, count: size)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(size)
        for index in 0..<size {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
        }
        // A compressible stretch too.
        if compressible && size > 4096 {
            for index in 0..<(size / 4) { bytes[index] = UInt8(ascii: "a") + UInt8(index % 7) }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func sha1(_ path: String) -> String {
        let result = runHermetic(["/usr/bin/sha1sum", path])
        return String(result.stdout.prefix(40))
    }

    /// The independent verifier: standard tools only, nothing from this project.
    static let verifier = #"""
import binascii, hashlib, io, os, re, subprocess, sys, tarfile, tempfile
import xml.etree.ElementTree as ET
manifest_path, user_key, cloud_key, user_cert, image, part_size = sys.argv[1:7]
part_size = int(part_size)
directory = os.path.dirname(manifest_path)
raw = open(manifest_path, 'rb').read()
head = b"<?xml version='1.0' encoding='ASCII'?>\n"
assert raw.startswith(head + b'<manifest>'), 'declaration'
assert b'\n' not in raw[len(head):], 'one line'
raw.decode('ascii')
root = ET.fromstring(raw[len(head):])
assert [c.tag for c in root] == ['version', 'bundler', 'machine_configuration', 'image', 'signature'], [c.tag for c in root]
assert root.findtext('version') == '2007-10-10'
img = root.find('image')
order = [c.tag for c in img]
assert order == ['name', 'user', 'type', 'digest', 'size', 'bundled_size', 'ec2_encrypted_key', 'user_encrypted_key', 'ec2_encrypted_iv', 'user_encrypted_iv', 'parts'], order
for field in ['ec2_encrypted_key', 'user_encrypted_key', 'ec2_encrypted_iv', 'user_encrypted_iv']:
    assert re.fullmatch('[0-9a-f]{512}', img.findtext(field)), field
def unwrap(field, key):
    out = subprocess.run(['openssl', 'pkeyutl', '-decrypt', '-inkey', key],
                         input=binascii.unhexlify(img.findtext(field)), capture_output=True, check=True).stdout
    assert re.fullmatch(b'[0-9a-f]{32}', out), out
    return out.decode()
k, iv = unwrap('user_encrypted_key', user_key), unwrap('user_encrypted_iv', user_key)
assert (k, iv) == (unwrap('ec2_encrypted_key', cloud_key), unwrap('ec2_encrypted_iv', cloud_key))
assert img.find('ec2_encrypted_key').get('algorithm') == 'AES-128-CBC'
parts = img.find('parts').findall('part')
assert int(img.find('parts').get('count')) == len(parts)
cipher = bytearray()
for i, p in enumerate(parts):
    assert int(p.get('index')) == i
    name = p.findtext('filename')
    assert re.fullmatch(re.escape(img.findtext('name')) + r'\.part\.\d{2,}', name) and int(name.rsplit('.', 1)[1]) == i, name
    data = open(os.path.join(directory, name), 'rb').read()
    assert len(data) == part_size or i == len(parts) - 1, (name, len(data))
    assert 0 < len(data) <= part_size
    assert p.find('digest').get('algorithm') == 'SHA1' and hashlib.sha1(data).hexdigest() == p.findtext('digest'), name
    cipher += data
assert len(cipher) == int(img.findtext('bundled_size'))
gz = subprocess.run(['openssl', 'enc', '-d', '-aes-128-cbc', '-K', k, '-iv', iv], input=bytes(cipher),
                    capture_output=True, check=True).stdout
subprocess.run(['gzip', '-t'], input=gz, check=True)
tar = subprocess.run(['gzip', '-dc'], input=gz, capture_output=True, check=True).stdout
assert hashlib.sha1(tar).hexdigest() == img.findtext('digest') and img.find('digest').get('algorithm') == 'SHA1'
listing = subprocess.run(['tar', '-tvf', '-'], input=tar, capture_output=True, check=True).stdout.decode()
assert listing.startswith('-rw-r--r-- 0/0') and listing.count('\n') == 1, listing
t = tarfile.open(fileobj=io.BytesIO(tar))
members = t.getmembers()
assert len(members) == 1 and members[0].isreg() and members[0].name == img.findtext('name'), members
original = open(image, 'rb').read()
assert members[0].size == len(original) == int(img.findtext('size'))
assert t.extractfile(members[0]).read() == original
signed = re.search(rb'<machine_configuration>.*</machine_configuration>', raw).group(0) + re.search(rb'<image>.*</image>', raw).group(0)
with tempfile.TemporaryDirectory() as tmp:
    open(tmp + '/signed', 'wb').write(signed)
    open(tmp + '/sig', 'wb').write(binascii.unhexlify(root.findtext('signature')))
    pub = subprocess.run(['openssl', 'x509', '-in', user_cert, '-pubkey', '-noout'], capture_output=True, check=True).stdout
    open(tmp + '/pub', 'wb').write(pub)
    subprocess.run(['openssl', 'dgst', '-sha1', '-verify', tmp + '/pub', '-signature', tmp + '/sig', tmp + '/signed'],
                   capture_output=True, check=True)
print('verified', len(parts), 'parts')
"""#

    static func verify(manifest: String, image: String, partSize: Int = 10_485_760) -> RunResult {
        runHermetic(["/usr/bin/env", "python3", "-c", verifier, manifest, key("user-key.pem"), key("cloud-key.pem"),
                     key("user-cert.pem"), image, String(partSize)])
    }

    // MARK: - Help and bad input

    @Test func helpListsEverySpelling() {
        let bundle = euca("bundle-image", ["--help"])
        #expect(bundle.succeeded)
        for spelling in ["-i FILE, --image FILE", "-p PREFIX, --prefix PREFIX", "-d DIR, --destination DIR",
                         "-r ARCH, --arch ARCH", "-k FILE, --privatekey FILE", "-c FILE, --cert FILE",
                         "--ec2cert FILE, --ec2cert_path FILE", "-u ACCOUNT, --user ACCOUNT", "--kernel IMAGE",
                         "--ramdisk IMAGE", "-B VIRTUAL=DEVICE,...", "--block-device-mappings", "--block-device-mapping",
                         "--productcodes", "--product-codes", "--image-type TYPE", "--image-size SIZE",
                         "--part-size SIZE", "-b, --batch", "--progress", "--no-progress", "--porcelain",
                         "(default: x86_64)", "aarch64"] {
            #expect(bundle.stdout.contains(spelling), "\(spelling) missing from euca-bundle-image --help")
        }
        let unbundle = euca("unbundle", ["--help"])
        for spelling in ["-m FILE, --manifest FILE", "-s DIR, --source DIR", "-d DIR, --destination DIR",
                         "-k FILE, --privatekey FILE", "--progress"] {
            #expect(unbundle.stdout.contains(spelling), "\(spelling) missing from euca-unbundle --help")
        }
        let stream = euca("unbundle-stream", ["--help"])
        for spelling in ["-m FILE, --manifest FILE", "-k FILE, --privatekey FILE", "-i FILE", "-o FILE",
                         "--enc-key HEX", "--enc-iv HEX", "--image-size BYTES", "--sha1-digest HEX"] {
            #expect(stream.stdout.contains(spelling), "\(spelling) missing from euca-unbundle-stream --help")
        }
    }

    /// The offline commands read certificates and the account from the environment and the
    /// config (`--region`), and send nothing: no endpoint, credential, retry or TLS option.
    @Test(arguments: ["bundle-image", "unbundle", "unbundle-stream"])
    func offlineCommandsOfferNoConnectionOptions(_ command: String) {
        let help = euca(command, ["--help"])
        #expect(help.succeeded && help.stdout.contains("--region USER@REGION"), "\(help)")
        for spelling in ["--url", "--max-attempts", "--access-key-id", "--connect-timeout", "--ca-bundle", "--no-verify-ssl"] {
            #expect(!help.stdout.contains(spelling), "\(command) offers \(spelling)")
        }
        let misuse = euca(command, ["--url", "http://127.0.0.1:1/"])
        #expect(misuse.status == 2 && misuse.stderr.contains("--url"), "\(misuse)")
    }

    @Test func bundleImageBadInput() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = dir.appendingPathComponent("x.img").path
        try Self.randomFile(image, size: 1000)
        let cases: [([String], [String: String], String)] = [
            ([], Self.eucarc, "the following arguments are required: -i/--image"),
            (["-i", image, "-r", "sparc"], Self.eucarc, "-r/--arch: expected one of i386, x86_64"),
            (["-i", image, "-B", "ami"], Self.eucarc, "invalid device mapping \"ami\""),
            (["-i", image, "--part-size", "lots"], Self.eucarc, "--part-size: expected a size in bytes"),
            (["-i", "-", "-p", "x"], Self.eucarc, "argument --image-size is required when bundling stdin"),
            (["-i", "-", "--image-size", "10"], Self.eucarc, "argument --prefix is required when bundling stdin"),
            (["-i", image], [:], "missing account ID; please supply one with --user"),
            (["-i", image, "-u", "1"], [:], "missing certificate; please supply one with -c"),
            (["-i", image], Self.eucarc.merging(["EUCALYPTUS_CERT": ""]) { $1 }, "missing cloud certificate"),
            (["-i", image, "-c", "/nonexistent.pem"], Self.eucarc, "user certificate file \"/nonexistent.pem\" (from -c/--cert) does not exist"),
            (["-i", dir.appendingPathComponent("missing.img").path, "-d", dir.path], Self.eucarc, "No such file or directory"),
            (["-i", image, "--image-type", "kernel", "--ramdisk", "eri-1"], Self.eucarc, "--ramdisk: not compatible with image type 'kernel'"),
            (["-i", image, "-d", image], Self.eucarc, "-d/--destination: \"\(image)\" is not a directory"),
            (["-i", image, "--progress", "--no-progress"], Self.eucarc, "cannot be used together"),
        ]
        for (arguments, env, message) in cases {
            let result = euca("bundle-image", arguments, env: env, directory: dir)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains(message), "\(result)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["x.img"])
    }

    @Test func unbundleBadInput() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = Self.fixtureBundle + "/small.img.manifest.xml"
        let cases: [([String], [String: String], Int32, String)] = [
            ([], Self.eucarc, 2, "the following arguments are required: -m/--manifest"),
            (["-m", manifest, "-d", dir.path], [:], 2, "missing private key; please supply one with -k"),
            (["-m", manifest, "-d", manifest], Self.eucarc, 2, "-d/--destination: \"\(manifest)\" is not a directory"),
            (["-m", manifest, "-d", dir.appendingPathComponent("nowhere").path, "-k", Self.key("user-cert.pem")], Self.eucarc, 1, "private key"),
            (["-m", dir.path, "-d", dir.path], Self.eucarc, 2, "is not a file"),
            (["-m", manifest, "-d", dir.path, "-k", Self.key("user-cert.pem")], Self.eucarc, 1, "private key"),
        ]
        for (arguments, env, status, message) in cases {
            let result = euca("unbundle", arguments, env: env, directory: dir)
            #expect(result.status == status, "\(result)")
            #expect(result.stderr.contains(message), "\(result)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("nowhere").path),
                "no directory is made for an unbundle that cannot start")
        let stream = euca("unbundle-stream", [], env: [:], stdin: Data())
        #expect(stream.status == 2)
        #expect(stream.stderr.contains("give the bundle's manifest with -m"))
        let badKey = euca("unbundle-stream", ["--enc-key", "xyz", "--enc-iv", "00"], stdin: Data())
        #expect(badKey.status == 2)
        #expect(badKey.stderr.contains("--enc-key: expected 32 hexadecimal digits"))
    }

    // MARK: - Interop

    @Test("the euca2ools 3.4.1 bundle unbundles with either key, parts found beside the manifest")
    func unbundlesEuca2oolsBundle() throws {
        let expected = String(try String(contentsOfFile: Self.fixtureBundle + "/ORIGINAL.sha1", encoding: .utf8).prefix(40))
        for key in ["user-key.pem", "cloud-key.pem"] {
            let dir = try Self.scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            // The 1.x tutorial form: the key from EC2_PRIVATE_KEY, -d only.
            var env = Self.eucarc
            env["EC2_PRIVATE_KEY"] = Self.key(key)
            let result = euca("unbundle", ["-m", Self.fixtureBundle + "/small.img.manifest.xml", "-d", dir.path], env: env)
            #expect(result.succeeded, "\(result)")
            #expect(result.stdout == "Wrote \(dir.path)/small.img\n")
            #expect(result.stderr.isEmpty, "the signature verifies with EC2_CERT: \(result.stderr)")
            #expect(Self.sha1(dir.appendingPathComponent("small.img").path) == expected)
        }
    }

    @Test("a bundle we make passes the independent verifier, and unbundles again")
    func bundlePassesIndependentVerifier() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = dir.appendingPathComponent("disk.img").path
        try Self.randomFile(image, size: 3_500_000)
        let out = dir.appendingPathComponent("bundle").path
        let result = euca("bundle-image", ["-i", image, "-d", out, "-r", "x86_64", "--kernel", "eki-11111111",
                                           "--ramdisk", "eri-22222222",
                                           "-B", "ami=sda1,root=/dev/sda1,ephemeral0=sdb,swap=sdc",
                                           "--productcodes", "code1,code2", "--part-size", "1M"],
                          env: Self.eucarc)
        #expect(result.succeeded, "\(result)")
        #expect(result.stdout == "Wrote manifest \(out)/disk.img.manifest.xml\n")
        #expect(result.stderr.isEmpty)
        let verified = Self.verify(manifest: out + "/disk.img.manifest.xml", image: image, partSize: 1 << 20)
        #expect(verified.succeeded, "\(verified)")
        #expect(verified.stdout == "verified 3 parts\n")
        let text = try String(contentsOfFile: out + "/disk.img.manifest.xml", encoding: .ascii)
        #expect(text.contains("<machine_configuration><architecture>x86_64</architecture><block_device_mapping><mapping><virtual>ami</virtual><device>sda1</device></mapping><mapping><virtual>ephemeral0</virtual><device>sdb</device></mapping><mapping><virtual>root</virtual><device>/dev/sda1</device></mapping><mapping><virtual>swap</virtual><device>sdc</device></mapping></block_device_mapping><product_codes><product_code>code1</product_code><product_code>code2</product_code></product_codes><kernel_id>eki-11111111</kernel_id><ramdisk_id>eri-22222222</ramdisk_id></machine_configuration><image><name>disk.img</name><user>123456789012</user><type>machine</type>"))

        // -d is created when missing, as euca2ools 1.x did (the classic tutorial relies on it).
        let back = dir.appendingPathComponent("back/new").path
        let unbundled = euca("unbundle", ["-m", out + "/disk.img.manifest.xml", "-d", back, "-k", Self.key("cloud-key.pem")])
        #expect(unbundled.succeeded, "\(unbundled)")
        #expect(unbundled.stdout == "Wrote \(back)/disk.img\n")
        #expect(Self.sha1(back + "/disk.img") == Self.sha1(image))
    }

    @Test("the euca2ools 1.x spellings, every credential given on the command line")
    func oneXSpellings() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = dir.appendingPathComponent("old.img").path
        try Self.randomFile(image, size: 100_000)
        let out = dir.appendingPathComponent("b").path
        let result = euca("bundle-image", ["-i", image, "-c", Self.key("user-cert.pem"), "-k", Self.key("user-key.pem"),
                                           "--ec2cert_path", Self.key("cloud-cert.pem"), "-u", "1234-5678-9012", "-b",
                                           "--product-codes", "p1", "--block-device-mapping", "ami=sda1", "-r", "i386",
                                           "-d", out])
        #expect(result.succeeded, "\(result)")
        let text = (try? String(contentsOfFile: out + "/old.img.manifest.xml", encoding: .ascii)) ?? ""
        #expect(text.contains("<architecture>i386</architecture><block_device_mapping><mapping><virtual>ami</virtual><device>sda1</device></mapping></block_device_mapping><product_codes><product_code>p1</product_code></product_codes></machine_configuration><image><name>old.img</name><user>123456789012</user>"))
        #expect(Self.verify(manifest: out + "/old.img.manifest.xml", image: image).succeeded)
    }

    @Test("standard input with --image-size and --prefix, 10 MiB parts, the default temp directory")
    func bundleStandardInput() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = dir.appendingPathComponent("source.bin").path
        try Self.randomFile(image, size: 12_000_000, compressible: false)
        let data = try Data(contentsOf: URL(fileURLWithPath: image))
        var env = Self.eucarc
        env["TMPDIR"] = dir.path
        let result = euca("bundle-image", ["-i", "-", "--prefix", "piped.img", "--image-size", "12000000"],
                          env: env, stdin: data)
        #expect(result.succeeded, "\(result)")
        let line = result.stdout.trimmingCharacters(in: .newlines)
        #expect(line.hasPrefix("Wrote manifest \(dir.path)/bundle-") && line.hasSuffix("/piped.img.manifest.xml"), "\(line)")
        let manifest = String(line.dropFirst("Wrote manifest ".count))
        let verified = Self.verify(manifest: manifest, image: image)
        #expect(verified.succeeded, "\(verified)")
        #expect(verified.stdout == "verified 2 parts\n")
        let wrongSize = euca("bundle-image", ["-i", "-", "--prefix", "p.img", "--image-size", "11999999", "-d", dir.path + "/w"],
                             env: Self.eucarc, stdin: data)
        #expect(wrongSize.status == 1)
        #expect(wrongSize.stderr.contains("larger than the --image-size"), "\(wrongSize)")
        // The directory made for the failed bundle is gone again.
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/w"))
    }

    @Test("unbundle-stream: concatenated parts on stdin, image on stdout")
    func unbundleStream() throws {
        let part = try Data(contentsOf: URL(fileURLWithPath: Self.fixtureBundle + "/small.img.part.00"))
        let result = euca("unbundle-stream", ["-m", Self.fixtureBundle + "/small.img.manifest.xml", "-k", Self.key("cloud-key.pem")],
                          stdin: part)
        #expect(result.status == 0, "\(result.stderr)")
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        // stdout is collected as text by the runner; write to a file with -o for a binary check.
        let out = dir.appendingPathComponent("img").path
        let toFile = euca("unbundle-stream", ["-m", Self.fixtureBundle + "/small.img.manifest.xml", "-o", out],
                          env: ["EC2_PRIVATE_KEY": Self.key("user-key.pem")], stdin: part)
        #expect(toFile.succeeded, "\(toFile)")
        #expect(Self.sha1(out) == String(try String(contentsOfFile: Self.fixtureBundle + "/ORIGINAL.sha1", encoding: .utf8).prefix(40)))
        let truncated = euca("unbundle-stream", ["--enc-key", "4749c5e5b32675828979820cd407cd59",
                                                 "--enc-iv", "cc3acab29a77db3c7acf2456bb333c88", "-o", out + "2"],
                             stdin: part.prefix(1_000_000))
        #expect(truncated.status == 1)
        #expect(truncated.stderr.contains("corrupt"), "\(truncated)")
        #expect(!FileManager.default.fileExists(atPath: out + "2"))
    }

    // MARK: - Failures leave nothing behind

    /// Bundles a 4-part image, applies `damage`, and expects euca-unbundle to fail with a
    /// one-line error containing `message` and to leave the destination empty.
    func expectUnbundleFailure(_ message: String, key: String = BundleCommandsTests.key("user-key.pem"),
                               damage: (String) throws -> String) throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = dir.appendingPathComponent("disk.img").path
        try Self.randomFile(image, size: 2_500_000)
        let out = dir.appendingPathComponent("bundle").path
        let bundled = euca("bundle-image", ["-i", image, "-d", out, "--part-size", "512K"], env: Self.eucarc)
        #expect(bundled.succeeded, "\(bundled)")
        let manifest = try damage(out)
        let dest = dir.appendingPathComponent("dest").path
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        let result = euca("unbundle", ["-m", manifest, "-d", dest, "-k", key])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasPrefix("euca-unbundle: error: "), "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dest) == [])
    }

    @Test func corruptPartIsNamed() throws {
        try expectUnbundleFailure("bundle part \"") { out in
            let path = out + "/disk.img.part.01"
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.seek(toOffset: 300_000)
            try handle.write(contentsOf: Data([0x42, 0x42]))
            try handle.close()
            return out + "/disk.img.manifest.xml"
        }
        try expectUnbundleFailure("disk.img.part.01\" is corrupt") { out in
            let path = out + "/disk.img.part.01"
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.seek(toOffset: 7)
            try handle.write(contentsOf: Data([0x00]))
            try handle.close()
            return out + "/disk.img.manifest.xml"
        }
    }

    @Test func wrongKey() throws {
        // A fresh key fits neither the user's nor the cloud's certificate.
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let other = dir.appendingPathComponent("other-key.pem").path
        let made = runHermetic(["/usr/bin/env", "openssl", "genrsa", "-out", other, "2048"])
        #expect(made.succeeded, "\(made)")
        try expectUnbundleFailure("cannot decrypt the bundle with \(other) (from -k/--privatekey): wrong key", key: other) { out in
            out + "/disk.img.manifest.xml"
        }
    }

    @Test func missingPart() throws {
        try expectUnbundleFailure("bundle part \"") { out in
            try FileManager.default.removeItem(atPath: out + "/disk.img.part.02")
            return out + "/disk.img.manifest.xml"
        }
    }

    @Test func truncatedManifest() throws {
        try expectUnbundleFailure("not a valid manifest") { out in
            let path = out + "/disk.img.manifest.xml"
            let text = try Data(contentsOf: URL(fileURLWithPath: path))
            try text.prefix(text.count - 40).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    // MARK: - Big sparse image

    @Test("an image over 8 GiB, nearly all holes: base-256 tar size, round trip, fast", .timeLimit(.minutes(10)))
    func overEightGiB() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = dir.appendingPathComponent("big.img").path
        let size: UInt64 = (8 << 30) + (3 << 20) + 4321
        #expect(FileManager.default.createFile(atPath: image, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: image))
        for offset: UInt64 in [0, 1 << 30, (8 << 30) - 100, (8 << 30) + (2 << 20)] {
            try handle.seek(toOffset: offset)
            try handle.write(contentsOf: Data("data at \(offset) ".utf8) + Data(repeating: 0x5A, count: 70_000))
        }
        try handle.truncate(atOffset: size)
        try handle.close()

        let out = dir.appendingPathComponent("bundle").path
        let started = Date()
        let bundled = euca("bundle-image", ["-i", image, "-d", out], env: Self.eucarc, timeout: 600)
        let bundleSeconds = Date().timeIntervalSince(started)
        #expect(bundled.succeeded, "\(bundled)")
        #expect(bundled.stderr.isEmpty, "\(bundled)")
        let manifest = out + "/big.img.manifest.xml"
        let text = (try? String(contentsOfFile: manifest, encoding: .ascii)) ?? ""
        #expect(text.contains("<size>\(size)</size>"))

        // Standard tools read the tar header: decrypt, gunzip the start, let Python parse it.
        let check = #"""
import binascii, re, subprocess, sys, tarfile
raw = open(sys.argv[1], 'rb').read().decode()
def unwrap(f):
    return subprocess.run(['openssl', 'pkeyutl', '-decrypt', '-inkey', sys.argv[2]], input=binascii.unhexlify(re.search('<%s[^>]*>([0-9a-f]+)<' % f, raw).group(1)), capture_output=True, check=True).stdout.decode()
part = open(sys.argv[3], 'rb').read(1 << 20)
gz = subprocess.run(['openssl', 'enc', '-d', '-nopad', '-aes-128-cbc', '-K', unwrap('user_encrypted_key'), '-iv', unwrap('user_encrypted_iv')], input=part, capture_output=True).stdout
head = subprocess.run('gzip -dc 2>/dev/null | head -c 512', shell=True, input=gz, capture_output=True).stdout
t = tarfile.TarInfo.frombuf(head, 'utf-8', 'surrogateescape')
print(t.name, t.size, head[124])
"""#
        let header = runHermetic(["/usr/bin/env", "python3", "-c", check, manifest, Self.key("user-key.pem"),
                                  out + "/big.img.part.00"])
        #expect(header.stdout == "big.img \(size) 128\n", "\(header)")

        let dest = dir.appendingPathComponent("dest").path
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        let unbundleStarted = Date()
        let unbundled = euca("unbundle", ["-m", manifest, "-d", dest], env: Self.eucarc, timeout: 600)
        let unbundleSeconds = Date().timeIntervalSince(unbundleStarted)
        #expect(unbundled.succeeded, "\(unbundled)")
        // Equal, checked without reading 8 GiB of holes: outside the data extents of both files
        // everything is zero in both, so comparing the union of those extents suffices.
        let compare = #"""
import os, sys
fa, fb = (os.open(p, os.O_RDONLY) for p in sys.argv[1:3])
size = os.fstat(fa).st_size
assert os.fstat(fb).st_size == size
def extents(fd):
    out, off = [], 0
    while off < size:
        try:
            start = os.lseek(fd, off, os.SEEK_DATA)
        except OSError:
            break
        end = os.lseek(fd, start, os.SEEK_HOLE)
        out.append((start, end))
        off = end
    return out
checked = 0
for start, end in sorted(extents(fa) + extents(fb)):
    pos = start
    while pos < end:
        n = min(1 << 20, end - pos)
        assert os.pread(fa, n, pos) == os.pread(fb, n, pos), pos
        pos += n
        checked += n
print('same', checked < 64 << 20)
"""#
        let compared = runHermetic(["/usr/bin/env", "python3", "-c", compare, image, dest + "/big.img"], timeout: 600)
        #expect(compared.stdout == "same True\n", "\(compared)")
        var info = stat()
        stat(dest + "/big.img", &info)
        #expect(UInt64(info.st_size) == size)
        #expect(Int(info.st_blocks) * 512 < 64 << 20, "the unbundled image stays sparse")
        print("8 GiB sparse image: bundled in \(String(format: "%.1f", bundleSeconds)) s, unbundled in \(String(format: "%.1f", unbundleSeconds)) s")
    }
}
