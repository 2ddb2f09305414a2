import Foundation
import Testing
@testable import EucaCore

/// Groups the crypto suites so `--filter Crypto` selects them all.
@Suite enum CryptoTests {}

extension CryptoTests {
    @Suite struct DigestTests {
        struct Vector: Sendable, CustomTestStringConvertible {
            let algorithm: AvailableDigest
            let input: String
            let hex: String
            var testDescription: String { "\(algorithm.algorithm) \"\(input.prefix(12))\"" }
        }

        // FIPS 180 / RFC 1321 examples.
        static let vectors: [Vector] = [
            Vector(algorithm: .md5, input: "", hex: "d41d8cd98f00b204e9800998ecf8427e"),
            Vector(algorithm: .md5, input: "abc", hex: "900150983cd24fb0d6963f7d28e17f72"),
            Vector(algorithm: .sha1, input: "", hex: "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            Vector(algorithm: .sha1, input: "abc", hex: "a9993e364706816aba3e25717850c26c9cd0d89d"),
            Vector(algorithm: .sha1,
                   input: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                   hex: "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
            Vector(algorithm: .sha256, input: "",
                   hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            Vector(algorithm: .sha256, input: "abc",
                   hex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            Vector(algorithm: .sha256,
                   input: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                   hex: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ]

        @Test(arguments: vectors)
        func oneShot(_ vector: Vector) {
            #expect(Digest.hash(vector.algorithm, vector.input).hexString == vector.hex)
            #expect(Digest.hash(vector.algorithm, Data(vector.input.utf8)).hexString == vector.hex)
            #expect(Digest.hash(vector.algorithm, Array(vector.input.utf8)).hexString == vector.hex)
        }

        @Test(arguments: vectors)
        func streamingByteByByteMatches(_ vector: Vector) {
            let digest = Digest(vector.algorithm)
            for byte in vector.input.utf8 { digest.update([byte]) }
            #expect(digest.finalize().hexString == vector.hex)
        }

        @Test func millionAsInUnevenPieces() {
            let expected: [(AvailableDigest, String)] = [
                (.md5, "7707d6ae4e027c70eea2a935c2296f21"),
                (.sha1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
                (.sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
            ]
            let piece = Data(repeating: UInt8(ascii: "a"), count: 9_999)
            for (algorithm, hex) in expected {
                let digest = Digest(algorithm)
                var fed = 0
                while fed < 1_000_000 {
                    let count = min(piece.count, 1_000_000 - fed)
                    piece.withUnsafeBytes {
                        digest.update(UnsafeRawBufferPointer(rebasing: $0[..<count]))
                    }
                    fed += count
                }
                #expect(digest.finalize().hexString == hex)
            }
        }

        @Test func finalizeResetsForTheNextMessage() {
            let digest = Digest(.sha256)
            digest.update(Data("first".utf8))
            _ = digest.finalize()
            digest.update(Data("abc".utf8))
            #expect(digest.finalize().hexString
                    == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        }
    }
}

extension CryptoTests {
    @Suite struct HMACTests {
        struct Vector: Sendable, CustomTestStringConvertible {
            let name: String
            let algorithm: DigestAlgorithm
            let key: [UInt8]
            let message: [UInt8]
            let hex: String
            var testDescription: String { name }
        }

        static let vectors: [Vector] = [
            Vector(name: "RFC 4231 case 1", algorithm: .sha256,
                   key: Array(repeating: 0x0b, count: 20), message: Array("Hi There".utf8),
                   hex: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            Vector(name: "RFC 4231 case 2", algorithm: .sha256,
                   key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8),
                   hex: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            Vector(name: "RFC 4231 case 6 (key longer than a block)", algorithm: .sha256,
                   key: Array(repeating: 0xaa, count: 131),
                   message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                   hex: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            Vector(name: "RFC 2202 SHA-1 case 1", algorithm: .sha1,
                   key: Array(repeating: 0x0b, count: 20), message: Array("Hi There".utf8),
                   hex: "b617318655057264e28bc0b6fb378c8ef146be00"),
            Vector(name: "RFC 2202 SHA-1 case 2", algorithm: .sha1,
                   key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8),
                   hex: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
            Vector(name: "RFC 2202 SHA-1 case 3", algorithm: .sha1,
                   key: Array(repeating: 0xaa, count: 20),
                   message: Array(repeating: 0xdd, count: 50),
                   hex: "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
            Vector(name: "RFC 2202 MD5 case 2", algorithm: .md5,
                   key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8),
                   hex: "750c783e6ab0b503eaa86e310a5db738"),
            Vector(name: "empty key and message", algorithm: .sha256, key: [], message: [],
                   hex: "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
        ]

        @Test(arguments: vectors)
        func knownAnswer(_ vector: Vector) {
            let mac = HMAC.authenticationCode(vector.algorithm, key: vector.key,
                                              message: vector.message)
            #expect(mac.hexString == vector.hex)
        }
    }
}

extension CryptoTests {
    @Suite struct HexTests {
        @Test func encodesLowerCase() {
            #expect([UInt8]([0x00, 0x0f, 0xa0, 0xff]).hexString == "000fa0ff")
            #expect([UInt8]().hexString == "")
        }

        @Test func decodesStrictly() {
            #expect(Hex.bytes(fromHex: "000fA0ff") == [0x00, 0x0f, 0xa0, 0xff])
            #expect(Hex.bytes(fromHex: "") == [])
            #expect(Hex.bytes(fromHex: "abc") == nil)
            #expect(Hex.bytes(fromHex: "0g") == nil)
            #expect(Hex.bytes(fromHex: " 00") == nil)
            #expect(Hex.bytes(fromHex: "0x00") == nil)
        }
    }
}

extension CryptoTests {
    @Suite struct SecureRandomTests {
        @Test func givesTheCountAskedForAndDiffers() throws {
            #expect(try SecureRandom.bytes(count: 0).isEmpty)
            let a = try SecureRandom.bytes(count: 32)
            let b = try SecureRandom.bytes(count: 32)
            #expect(a.count == 32)
            #expect(a != b)
        }
    }
}

extension CryptoTests {
    @Suite struct AESCBCCipherTests {
        // NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt). The vector has no padding; PKCS#7 on a
        // block-aligned message appends one full block of 0x10, whose ciphertext (last 16 bytes
        // below) was computed with `openssl enc -aes-128-cbc`.
        static let key = Hex.bytes(fromHex: "2b7e151628aed2a6abf7158809cf4f3c")!
        static let iv = Hex.bytes(fromHex: "000102030405060708090a0b0c0d0e0f")!
        static let plaintext = Hex.bytes(fromHex:
            "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51"
            + "30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710")!
        static let nistCiphertext = Hex.bytes(fromHex:
            "7649abac8119b246cee98e9b12e9197d" + "5086cb9b507219ee95db113a917678b2"
            + "73bed6b8e3c1743b7116e69e22229516" + "3ff1caa1681fac09120eca307586e1a7")!
        static let paddingBlock = Hex.bytes(fromHex: "8cb82807230e1321d3fae00d18cc2012")!

        static func run(_ mode: AESCBCCipher.Mode, _ input: [UInt8], pieceSize: Int,
                        key: [UInt8] = key) throws -> [UInt8] {
            let cipher = try AESCBCCipher(mode: mode, key: key, iv: iv)
            var out = [UInt8]()
            var offset = 0
            while offset < input.count {
                let end = min(offset + pieceSize, input.count)
                try cipher.update(Array(input[offset..<end]), into: &out)
                offset = end
            }
            out += try cipher.finalize()
            return out
        }

        @Test(arguments: [1, 7, 16, 33, 1000])
        func encryptsTheNISTVectorPlusAPaddingBlock(pieceSize: Int) throws {
            let out = try Self.run(.encrypt, Self.plaintext, pieceSize: pieceSize)
            #expect(out == Self.nistCiphertext + Self.paddingBlock)
        }

        @Test(arguments: [1, 5, 16, 17, 1000])
        func decryptsAndStripsThePadding(pieceSize: Int) throws {
            let out = try Self.run(.decrypt, Self.nistCiphertext + Self.paddingBlock,
                                   pieceSize: pieceSize)
            #expect(out == Self.plaintext)
        }

        @Test func roundTripsEveryLengthAroundABlock() throws {
            for length in 0...33 {
                let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37) }
                let sealed = try Self.run(.encrypt, message, pieceSize: 5)
                #expect(sealed.count == (length / 16 + 1) * 16)
                #expect(try Self.run(.decrypt, sealed, pieceSize: 3) == message)
            }
        }

        @Test func rawBufferUpdateWritesInPlace() throws {
            let cipher = try AESCBCCipher(mode: .encrypt, key: Self.key, iv: Self.iv)
            let room = AESCBCCipher.maximumOutputCount(forInputCount: 64)
            var out = [UInt8](repeating: 0, count: room)
            let written = try Self.plaintext.withUnsafeBytes { input in
                try out.withUnsafeMutableBytes { try cipher.update(input, into: $0) }
            }
            #expect(written == 64)
            #expect(Array(out[..<written]) == Self.nistCiphertext)
            #expect(try cipher.finalize() == Self.paddingBlock)
        }

        @Test func badPaddingIsAClearError() throws {
            // The unpadded NIST ciphertext decrypts to a last byte of 0x10 with no padding behind
            // it, exactly what a wrong key or a truncated bundle looks like.
            let expected = CryptoError(
                "AES decryption failed: wrong key or corrupt data (bad padding)")
            #expect(throws: expected) {
                try Self.run(.decrypt, Self.nistCiphertext, pieceSize: 64)
            }
        }

        @Test func rejectsBadKeyAndIVLengths() {
            #expect(throws: CryptoError.self) {
                try AESCBCCipher(mode: .encrypt, key: Array(Self.key.prefix(15)), iv: Self.iv)
            }
            #expect(throws: CryptoError.self) {
                try AESCBCCipher(mode: .decrypt, key: Self.key, iv: Self.iv + [0])
            }
        }
    }
}

extension CryptoTests {
    @Suite struct RSAKeyTests {
        static let userKey = try! RSAPrivateKey(pem: Fixture.string("keys/user-key.pem"))
        static let cloudKey = try! RSAPrivateKey(pem: Fixture.string("keys/cloud-key.pem"))
        static let userCert = try! RSAPublicKey(
            certificatePEM: Fixture.string("keys/user-cert.pem"))
        static let cloudCert = try! RSAPublicKey(
            certificatePEM: Fixture.string("keys/cloud-cert.pem"))

        @Test func readsPKCS1AndPKCS8Keys() {
            #expect(Self.userKey.bitCount == 2048)
            #expect(Self.cloudKey.bitCount == 2048)
            #expect(Self.userCert.bitCount == 2048)
        }

        @Test func encryptForCertificateDecryptWithKey() throws {
            let secret = Array("4749c5e5b32675828979820cd407cd59".utf8)
            for (cert, key) in [(Self.userCert, Self.userKey), (Self.cloudCert, Self.cloudKey)] {
                let sealed = try cert.encryptPKCS1v15(secret)
                #expect(sealed.count == 256)
                #expect(try key.decryptPKCS1v15(sealed) == secret)
                // Random padding: the same plaintext never seals the same way twice.
                #expect(try cert.encryptPKCS1v15(secret) != sealed)
            }
        }

        @Test func wrongKeyIsAClearError() throws {
            let sealed = try Self.userCert.encryptPKCS1v15(Array("secret".utf8))
            #expect(throws: CryptoError("RSA decryption failed: wrong key or corrupt data")) {
                try Self.cloudKey.decryptPKCS1v15(sealed)
            }
        }

        @Test func tooLongPlaintextIsRejected() {
            #expect(throws: CryptoError.self) {
                try Self.userCert.encryptPKCS1v15(Array(repeating: 1, count: 246))
            }
        }

        @Test func signAndVerifySHA1() throws {
            let message = Array("<machine_configuration/><image/>".utf8)
            let signature = try Self.userKey.signSHA1PKCS1v15(message)
            #expect(signature.count == 256)
            #expect(Self.userCert.verifySHA1PKCS1v15(signature: signature, message: message))
            #expect(!Self.userCert.verifySHA1PKCS1v15(signature: signature, message: message + [0]))
            #expect(!Self.cloudCert.verifySHA1PKCS1v15(signature: signature, message: message))
            #expect(!Self.userCert.verifySHA1PKCS1v15(signature: [1, 2, 3], message: message))
        }

        @Test func publicKeyOfPrivateKeyMatchesItsCertificate() throws {
            #expect(Self.userKey.publicKey.derSubjectPublicKeyInfo
                    == Self.userCert.derSubjectPublicKeyInfo)
            #expect(Self.cloudKey.publicKey.derSubjectPublicKeyInfo
                    == Self.cloudCert.derSubjectPublicKeyInfo)
            let pem = try RSAPublicKey(
                pem: Self.pem("PUBLIC KEY", Self.userCert.derSubjectPublicKeyInfo))
            #expect(pem.derSubjectPublicKeyInfo == Self.userCert.derSubjectPublicKeyInfo)
        }

        // Expected values from `openssl pkcs8 -topk8 -nocrypt -outform DER | sha1sum` and
        // `openssl pkey -pubout -outform DER | md5sum`: the AWS key-pair fingerprint recipes.
        @Test func fingerprintsMatchOpenSSLCommandLine() {
            #expect(Digest.hash(.sha1, Self.userKey.derPKCS8).hexString
                    == "46bbde4598ffe219c45f500d6663b2b09183bd27")
            #expect(Digest.hash(.sha1, Self.cloudKey.derPKCS8).hexString
                    == "a639d4cee851e31fbba15b7e36614ba7f1d5d85d")
            #expect(Digest.hash(.md5, Self.userKey.publicKey.derSubjectPublicKeyInfo).hexString
                    == "96a6a63c3a95b5578e4e27a4ce425844")
            #expect(Digest.hash(.md5, Self.cloudCert.derSubjectPublicKeyInfo).hexString
                    == "fbb7ebedf31fcfd42cdf1a92e7e3d7f6")
        }

        @Test func pkcs8OfAPKCS8KeyIsItsPEMBody() {
            let pem = Fixture.string("keys/cloud-key.pem")
            let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            #expect(Self.cloudKey.derPKCS8 == Array(Data(base64Encoded: body)!))
        }

        @Test func unreadableInputsGiveHumanErrors() {
            let certificate = Fixture.string("keys/user-cert.pem")
            #expect(Self.message { try RSAPrivateKey(pem: "hello") }
                .hasPrefix("not a PEM private key"))
            #expect(Self.message { try RSAPrivateKey(pem: certificate) }
                .hasPrefix("not a PEM private key"))
            #expect(Self.message { try RSAPublicKey(certificatePEM: "") }
                    .hasPrefix("not a PEM X.509 certificate"))
            #expect(Self.message { try RSAPublicKey(pem: certificate) }
                .hasPrefix("not a PEM public key"))
            let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n"
            #expect(Self.message { try RSAPrivateKey(pem: encrypted) }.contains("passphrase"))
        }

        /// The manifest euca2ools 3.4.1 wrote: its AES key and IV are wrapped for both certificates
        /// (as 32 hex characters, not raw bytes), and it is signed with the user's key.
        @Test func opensAndVerifiesAnEuca2oolsManifest() throws {
            let manifest = Fixture.string("crypto/small.img.manifest.xml")
            func field(_ name: String) -> [UInt8] {
                let start = manifest.range(of: "<\(name)")!.upperBound
                let open = manifest[start...].firstIndex(of: ">")!
                let close = manifest.range(of: "</\(name)>")!.lowerBound
                return Hex.bytes(fromHex: String(manifest[manifest.index(after: open)..<close]))!
            }
            let key = "4749c5e5b32675828979820cd407cd59", iv = "cc3acab29a77db3c7acf2456bb333c88"
            let user = Self.userKey, cloud = Self.cloudKey
            #expect(try user.decryptPKCS1v15(field("user_encrypted_key")) == Array(key.utf8))
            #expect(try user.decryptPKCS1v15(field("user_encrypted_iv")) == Array(iv.utf8))
            #expect(try cloud.decryptPKCS1v15(field("ec2_encrypted_key")) == Array(key.utf8))
            #expect(try cloud.decryptPKCS1v15(field("ec2_encrypted_iv")) == Array(iv.utf8))

            let signedStart = manifest.range(of: "<machine_configuration>")!.lowerBound
            let signedEnd = manifest.range(of: "</image>")!.upperBound
            let signed = Array(manifest[signedStart..<signedEnd].utf8)
            let signature = field("signature")
            #expect(Self.userCert.verifySHA1PKCS1v15(signature: signature, message: signed))
            // PKCS#1 v1.5 signatures are deterministic: ours must be byte-identical.
            #expect(try Self.userKey.signSHA1PKCS1v15(signed) == signature)
        }

        private static func message(_ body: () throws -> Any) -> String {
            do {
                _ = try body()
                return "no error"
            } catch {
                return String(describing: error)
            }
        }

        private static func pem(_ label: String, _ der: [UInt8]) -> String {
            let base64 = Data(der).base64EncodedString(
                options: [.lineLength64Characters, .endLineWithLineFeed])
            return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
        }
    }
}
