import Foundation

/// An image bundle manifest (version 2007-10-10), as euca2ools 3.x and the EC2 AMI tools write
/// and read it. See docs/bundling.md for the format; the essentials:
///
/// - written as `<?xml version='1.0' encoding='ASCII'?>`, a newline, then the whole
///   `<manifest>` on one line with no whitespace between elements and no trailing newline;
/// - element order as euca2ools writes it (`user` before `type`; in `machine_configuration`
///   the mappings and product codes before `kernel_id`/`ramdisk_id`);
/// - everything binary as lowercase hex; the AES key and IV RSA-wrapped (PKCS#1 v1.5) for the
///   cloud certificate (`ec2_*`) and the user certificate (`user_*`);
/// - `<signature>`: RSA-SHA1 by the user's key over the serialized `<machine_configuration>`
///   element followed by the serialized `<image>` element, exactly as they appear in the file.
public struct BundleManifest: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var filename: String
        /// Lowercase hex SHA-1 of the part file.
        public var digest: String
        public var digestAlgorithm: String

        public init(filename: String, digest: String, digestAlgorithm: String = "SHA1") {
            self.filename = filename
            self.digest = digest
            self.digestAlgorithm = digestAlgorithm
        }
    }

    public struct BlockDeviceMapping: Sendable, Equatable {
        public var virtual: String
        public var device: String

        public init(virtual: String, device: String) {
            self.virtual = virtual
            self.device = device
        }
    }

    public var version = "2007-10-10"
    public var bundlerName = "euca2ools-swift"
    public var bundlerVersion = CommandLineTool.version
    public var bundlerRelease = "0"
    public var architecture: String
    public var kernelId: String?
    public var ramdiskId: String?
    /// Written sorted by virtual name (as euca2ools does), and only for machine images.
    public var blockDeviceMappings: [BlockDeviceMapping] = []
    /// Written only for machine images.
    public var productCodes: [String] = []
    public var imageName: String
    /// The account ID, without dashes.
    public var accountId: String
    /// machine, kernel or ramdisk.
    public var imageType: String
    /// Lowercase hex SHA-1 of the tar stream (not of the image).
    public var imageDigest: String
    public var imageDigestAlgorithm = "SHA1"
    public var imageSize: UInt64
    /// The sum of the part sizes.
    public var bundledSize: UInt64
    public var encryptionAlgorithm = "AES-128-CBC"
    public var ec2EncryptedKey: String
    public var userEncryptedKey: String
    public var ec2EncryptedIV: String
    public var userEncryptedIV: String
    public var parts: [Part]
    /// Lowercase hex; empty when unsigned.
    public var signature: String
    /// For a manifest read from a file: the bytes the signature covers, as found in the file.
    public var signedBytes: [UInt8]?

    public init(architecture: String, kernelId: String? = nil, ramdiskId: String? = nil,
                blockDeviceMappings: [BlockDeviceMapping] = [], productCodes: [String] = [],
                imageName: String, accountId: String, imageType: String, imageDigest: String,
                imageSize: UInt64, bundledSize: UInt64, ec2EncryptedKey: String = "",
                userEncryptedKey: String = "", ec2EncryptedIV: String = "",
                userEncryptedIV: String = "", parts: [Part], signature: String = "") {
        self.architecture = architecture
        self.kernelId = kernelId
        self.ramdiskId = ramdiskId
        self.blockDeviceMappings = blockDeviceMappings
        self.productCodes = productCodes
        self.imageName = imageName
        self.accountId = accountId
        self.imageType = imageType
        self.imageDigest = imageDigest
        self.imageSize = imageSize
        self.bundledSize = bundledSize
        self.ec2EncryptedKey = ec2EncryptedKey
        self.userEncryptedKey = userEncryptedKey
        self.ec2EncryptedIV = ec2EncryptedIV
        self.userEncryptedIV = userEncryptedIV
        self.parts = parts
        self.signature = signature
    }

    // MARK: - Writing

    /// Wraps `keys` for both certificates and signs with `signingKey`: the manifest is then
    /// complete and `document` is what goes into the file.
    public mutating func seal(keys: BundleKeys, cloudCertificate: RSAPublicKey,
                              userCertificate: RSAPublicKey, signingKey: RSAPrivateKey) throws {
        let keyText = Array(keys.keyHex.utf8)
        let ivText = Array(keys.ivHex.utf8)
        ec2EncryptedKey = try cloudCertificate.encryptPKCS1v15(keyText).hexString
        userEncryptedKey = try userCertificate.encryptPKCS1v15(keyText).hexString
        ec2EncryptedIV = try cloudCertificate.encryptPKCS1v15(ivText).hexString
        userEncryptedIV = try userCertificate.encryptPKCS1v15(ivText).hexString
        let signed = Array((machineConfigurationXML + imageXML).utf8)
        signature = try signingKey.signSHA1PKCS1v15(signed).hexString
        signedBytes = signed
    }

    /// The whole file.
    public var document: String {
        "<?xml version='1.0' encoding='ASCII'?>\n<manifest>"
            + element("version", version)
            + "<bundler>" + element("name", bundlerName) + element("version", bundlerVersion)
            + element("release", bundlerRelease) + "</bundler>"
            + machineConfigurationXML + imageXML
            + element("signature", signature)
            + "</manifest>"
    }

    public var machineConfigurationXML: String {
        var out = "<machine_configuration>" + element("architecture", architecture)
        if imageType == "machine" {
            if !blockDeviceMappings.isEmpty {
                out += "<block_device_mapping>"
                for mapping in BundleManifest.sorted(blockDeviceMappings) {
                    out += "<mapping>" + element("virtual", mapping.virtual)
                        + element("device", mapping.device) + "</mapping>"
                }
                out += "</block_device_mapping>"
            }
            if !productCodes.isEmpty {
                out += "<product_codes>" + productCodes.map { element("product_code", $0) }.joined()
                    + "</product_codes>"
            }
        }
        if let kernelId, !kernelId.isEmpty { out += element("kernel_id", kernelId) }
        if let ramdiskId, !ramdiskId.isEmpty { out += element("ramdisk_id", ramdiskId) }
        return out + "</machine_configuration>"
    }

    public var imageXML: String {
        var out = "<image>" + element("name", imageName) + element("user", accountId)
            + element("type", imageType)
            + element("digest", imageDigest, attributes: [("algorithm", imageDigestAlgorithm)])
            + element("size", String(imageSize)) + element("bundled_size", String(bundledSize))
            + element("ec2_encrypted_key", ec2EncryptedKey, attributes: [("algorithm", encryptionAlgorithm)])
            + element("user_encrypted_key", userEncryptedKey, attributes: [("algorithm", encryptionAlgorithm)])
            + element("ec2_encrypted_iv", ec2EncryptedIV)
            + element("user_encrypted_iv", userEncryptedIV)
            + "<parts count=\"\(parts.count)\">"
        for (index, part) in parts.enumerated() {
            out += "<part index=\"\(index)\">" + element("filename", part.filename)
                + element("digest", part.digest, attributes: [("algorithm", part.digestAlgorithm)])
                + "</part>"
        }
        return out + "</parts></image>"
    }

    /// Last mapping for a virtual name wins (as with euca2ools' dict), sorted by virtual name.
    static func sorted(_ mappings: [BlockDeviceMapping]) -> [BlockDeviceMapping] {
        var byVirtual: [String: String] = [:]
        for mapping in mappings { byVirtual[mapping.virtual] = mapping.device }
        return byVirtual.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { BlockDeviceMapping(virtual: $0, device: byVirtual[$0]!) }
    }

    private func element(_ name: String, _ text: String, attributes: [(String, String)] = []) -> String {
        let attributeText = attributes.map { " \($0.0)=\"\(BundleManifest.escape($0.1, attribute: true))\"" }.joined()
        if text.isEmpty { return "<\(name)\(attributeText)/>" }
        return "<\(name)\(attributeText)>\(BundleManifest.escape(text, attribute: false))</\(name)>"
    }

    /// Escapes as lxml does for an ASCII document: markup characters as entities, anything
    /// outside ASCII as a decimal character reference.
    static func escape(_ text: String, attribute: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            default:
                if scalar.value < 0x80 {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += "&#\(scalar.value);"
                }
            }
        }
        return out
    }

    // MARK: - Reading

    /// Reads a manifest, accepting both spellings of the optional lists
    /// (`block_device_mapping/mapping` as written, `block_device_mappings/block_device_mapping`
    /// as euca2ools 3.4 reads; `product_codes` and `productcodes`).
    public static func parse(_ data: Data) throws -> BundleManifest {
        let root: XML.Element
        do {
            root = try XML.parse(data)
        } catch {
            throw ManifestError("not a valid manifest: \(error) (truncated or corrupt?)")
        }
        guard root.name == "manifest" else {
            throw ManifestError("not a bundle manifest (the document is <\(root.name)>, not <manifest>)")
        }
        func required(_ element: XML.Element?, _ path: String) throws -> String {
            guard let text = element?.text.trimmed(), !text.isEmpty else {
                throw ManifestError("the manifest has no \(path)")
            }
            return text
        }
        func number(_ element: XML.Element?, _ path: String) throws -> UInt64 {
            let text = try required(element, path)
            guard let value = UInt64(text) else {
                throw ManifestError("the manifest's \(path) is not a number: \(quoted(text))")
            }
            return value
        }
        func optional(_ element: XML.Element?) -> String? {
            guard let text = element?.text.trimmed(), !text.isEmpty else {
                return nil
            }
            return text
        }

        guard let configuration = root["machine_configuration"] else {
            throw ManifestError("the manifest has no machine_configuration")
        }
        guard let image = root["image"] else { throw ManifestError("the manifest has no image") }

        var mappings: [BlockDeviceMapping] = []
        for (list, item) in [("block_device_mapping", "mapping"), ("block_device_mappings", "block_device_mapping")] {
            for node in configuration[list]?.all(item) ?? [] {
                mappings.append(BlockDeviceMapping(
                    virtual: try required(node["virtual"], "\(list)/\(item)/virtual"),
                    device: try required(node["device"], "\(list)/\(item)/device")))
            }
        }
        var codes: [String] = []
        for list in ["product_codes", "productcodes"] {
            codes += (configuration[list]?.all("product_code") ?? []).compactMap { optional($0) }
        }

        guard let partsNode = image["parts"] else { throw ManifestError("the manifest has no image/parts") }
        let partNodes = partsNode.all("part")
        let count = partsNode.attributes["count"].flatMap { Int($0) } ?? partNodes.count
        guard count == partNodes.count, count > 0 else {
            throw ManifestError("the manifest lists \(partNodes.count) parts but says there are \(partsNode.attributes["count"] ?? "none")")
        }
        var parts = [Part?](repeating: nil, count: count)
        for (position, node) in partNodes.enumerated() {
            let index = node.attributes["index"].flatMap { Int($0) } ?? position
            guard (0..<count).contains(index), parts[index] == nil else {
                throw ManifestError("the manifest's part indexes are not 0 to \(count - 1)")
            }
            let digestNode = node["digest"]
            parts[index] = Part(filename: try required(node["filename"], "part \(index) filename"),
                                digest: try required(digestNode, "part \(index) digest").lowercased(),
                                digestAlgorithm: digestNode?.attributes["algorithm"] ?? "SHA1")
        }
        let imageDigestNode = image["digest"]
        var manifest = BundleManifest(
            architecture: try required(configuration["architecture"], "machine_configuration/architecture"),
            kernelId: optional(configuration["kernel_id"]),
            ramdiskId: optional(configuration["ramdisk_id"]),
            blockDeviceMappings: mappings,
            productCodes: codes,
            imageName: try required(image["name"], "image/name"),
            accountId: optional(image["user"]) ?? "",
            imageType: optional(image["type"]) ?? "machine",
            imageDigest: try required(imageDigestNode, "image/digest").lowercased(),
            imageSize: try number(image["size"], "image/size"),
            bundledSize: try number(image["bundled_size"], "image/bundled_size"),
            ec2EncryptedKey: optional(image["ec2_encrypted_key"]) ?? "",
            userEncryptedKey: optional(image["user_encrypted_key"]) ?? "",
            ec2EncryptedIV: optional(image["ec2_encrypted_iv"]) ?? "",
            userEncryptedIV: optional(image["user_encrypted_iv"]) ?? "",
            parts: parts.map { $0! },
            signature: optional(root["signature"]) ?? "")
        manifest.version = optional(root["version"]) ?? ""
        manifest.bundlerName = optional(root["bundler", "name"]) ?? ""
        manifest.bundlerVersion = optional(root["bundler", "version"]) ?? ""
        manifest.bundlerRelease = optional(root["bundler", "release"]) ?? ""
        manifest.imageDigestAlgorithm = imageDigestNode?.attributes["algorithm"] ?? "SHA1"
        manifest.encryptionAlgorithm = image["ec2_encrypted_key"]?.attributes["algorithm"]
            ?? image["user_encrypted_key"]?.attributes["algorithm"] ?? "AES-128-CBC"
        manifest.signedBytes = signedRegion(Array(data))
        try manifest.validate()
        return manifest
    }

    public static func read(contentsOf path: String) throws -> BundleManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ManifestError("cannot read the manifest \(path)")
        }
        do {
            return try parse(data)
        } catch let error as ManifestError {
            throw ManifestError("\(path): \(error.message)")
        }
    }

    /// Checks what later steps rely on: names that stay inside their directory, hex digests,
    /// the algorithms this tool implements.
    func validate() throws {
        try BundleManifest.checkFileName(imageName, what: "image name")
        for part in parts {
            try BundleManifest.checkFileName(part.filename, what: "part file name")
            guard part.digestAlgorithm.uppercased() == "SHA1", part.digest.utf8.count == 40,
                  Hex.bytes(fromHex: part.digest) != nil else {
                throw ManifestError("part \(part.filename) has no SHA-1 digest in the manifest")
            }
        }
        guard imageDigestAlgorithm.uppercased() == "SHA1", imageDigest.utf8.count == 40,
              Hex.bytes(fromHex: imageDigest) != nil else {
            throw ManifestError("the manifest's image digest is not a SHA-1 digest")
        }
        guard encryptionAlgorithm.uppercased() == "AES-128-CBC" else {
            throw ManifestError("the bundle is encrypted with \(encryptionAlgorithm); only AES-128-CBC is supported")
        }
    }

    /// A plain file name: no directories, not `.` or `..`, no control characters.
    static func checkFileName(_ name: String, what: String) throws {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"),
              !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ManifestError("the manifest's \(what) \(quoted(name)) is not a plain file name")
        }
    }

    /// `<machine_configuration>…</machine_configuration>` followed by `<image>…</image>`, cut
    /// from the file's bytes.
    static func signedRegion(_ bytes: [UInt8]) -> [UInt8]? {
        guard let configurationStart = find(Array("<machine_configuration".utf8), in: bytes, from: 0),
              let configurationEnd = find(Array("</machine_configuration>".utf8), in: bytes, from: configurationStart),
              let imageStart = find(Array("<image>".utf8), in: bytes, from: 0),
              let imageEnd = find(Array("</image>".utf8), in: bytes, from: imageStart)
        else { return nil }
        return Array(bytes[configurationStart..<(configurationEnd + "</machine_configuration>".utf8.count)])
            + Array(bytes[imageStart..<(imageEnd + "</image>".utf8.count)])
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    // MARK: - Keys and signature

    /// Whose wrapped copy of the key a private key opened.
    public enum KeyHolder: String, Sendable {
        case user
        case cloud
    }

    /// Unwraps the AES key and IV with `privateKey`: the user's copy first, then the cloud's.
    /// A result that is not 32 hex characters means the key does not fit that copy.
    public func decryptKeys(with privateKey: RSAPrivateKey) throws -> (keys: BundleKeys, holder: KeyHolder) {
        for (holder, key, iv) in [(KeyHolder.user, userEncryptedKey, userEncryptedIV),
                                  (.cloud, ec2EncryptedKey, ec2EncryptedIV)] {
            guard let wrappedKey = Hex.bytes(fromHex: key), let wrappedIV = Hex.bytes(fromHex: iv),
                  !wrappedKey.isEmpty, !wrappedIV.isEmpty,
                  let keyText = try? privateKey.decryptPKCS1v15(wrappedKey),
                  let ivText = try? privateKey.decryptPKCS1v15(wrappedIV),
                  let keyBytes = BundleKeys.parseHex(String(decoding: keyText, as: UTF8.self)),
                  let ivBytes = BundleKeys.parseHex(String(decoding: ivText, as: UTF8.self))
            else { continue }
            return (try BundleKeys(key: keyBytes, iv: ivBytes), holder)
        }
        throw ManifestError("wrong key: it matches neither the user certificate the bundle was made for nor the cloud certificate")
    }

    /// Whether `<signature>` is a valid RSA-SHA1 signature by the holder of `certificate`.
    public func verifySignature(with certificate: RSAPublicKey) -> Bool {
        guard let signedBytes, let signatureBytes = Hex.bytes(fromHex: signature),
              !signatureBytes.isEmpty else { return false }
        return certificate.verifySHA1PKCS1v15(signature: signatureBytes, message: signedBytes)
    }
}

/// A manifest that cannot be read or used.
public struct ManifestError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
