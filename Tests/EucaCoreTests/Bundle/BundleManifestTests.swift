import Foundation
import Testing
@testable import EucaCore

extension BundleTests {
    @Suite struct ManifestTests {
        static var fixture: Data { Fixture.data("bundle-euca2ools-3.4.1/small.img.manifest.xml") }

        @Test("reads every field of the euca2ools 3.4.1 manifest")
        func readsFixture() throws {
            let manifest = try BundleManifest.parse(Self.fixture)
            #expect(manifest.version == "2007-10-10")
            #expect(manifest.bundlerName == "euca2ools")
            #expect(manifest.bundlerVersion == "3.4.1")
            #expect(manifest.architecture == "x86_64")
            #expect(manifest.kernelId == "eki-11111111")
            #expect(manifest.ramdiskId == "eri-22222222")
            #expect(manifest.blockDeviceMappings == [
                .init(virtual: "ami", device: "sda1"), .init(virtual: "ephemeral0", device: "sdb"),
                .init(virtual: "root", device: "/dev/sda1"), .init(virtual: "swap", device: "sdc"),
            ])
            #expect(manifest.productCodes == ["code1", "code2"])
            #expect(manifest.imageName == "small.img")
            #expect(manifest.accountId == "123456789012")
            #expect(manifest.imageType == "machine")
            #expect(manifest.imageDigest == "8010dc0a8451d44347e1d2fea747386591739d82")
            #expect(manifest.imageSize == 3_145_728)
            #expect(manifest.bundledSize == 3_146_912)
            #expect(manifest.parts == [.init(filename: "small.img.part.00", digest: "63850fbc27c4a3286b4b0ce4896c1b19264c401a")])
            #expect(manifest.signature.count == 512)
        }

        @Test("writing the fixture's contents reproduces the file byte for byte (but the bundler)")
        func writesLikeEuca2ools() throws {
            var manifest = try BundleManifest.parse(Self.fixture)
            manifest.bundlerName = "euca2ools"
            manifest.bundlerVersion = "3.4.1"
            manifest.bundlerRelease = "0"
            #expect(manifest.document == String(decoding: Self.fixture, as: UTF8.self))
            #expect(Array((manifest.machineConfigurationXML + manifest.imageXML).utf8) == manifest.signedBytes)
        }

        @Test("the signature verifies with the user's certificate only, and not after a change")
        func signature() throws {
            let manifest = try BundleManifest.parse(Self.fixture)
            #expect(manifest.verifySignature(with: BundleTestSupport.userCertificate))
            #expect(!manifest.verifySignature(with: BundleTestSupport.cloudCertificate))
            let tampered = String(decoding: Self.fixture, as: UTF8.self)
                .replacingOccurrences(of: "<size>3145728</size>", with: "<size>3145729</size>")
            #expect(!(try BundleManifest.parse(Data(tampered.utf8))).verifySignature(with: BundleTestSupport.userCertificate))
        }

        @Test("either private key opens the key and IV; another key does not")
        func keys() throws {
            let manifest = try BundleManifest.parse(Self.fixture)
            let user = try manifest.decryptKeys(with: BundleTestSupport.userKey)
            let cloud = try manifest.decryptKeys(with: BundleTestSupport.cloudKey)
            #expect(user.holder == .user)
            #expect(cloud.holder == .cloud)
            #expect(user.keys == cloud.keys)
            #expect(user.keys.keyHex == "4749c5e5b32675828979820cd407cd59")
            #expect(user.keys.ivHex == "cc3acab29a77db3c7acf2456bb333c88")
            var swapped = manifest
            swapped.userEncryptedKey = manifest.ec2EncryptedKey
            swapped.userEncryptedIV = manifest.ec2EncryptedIV
            #expect(throws: ManifestError.self) { try swapped.decryptKeys(with: BundleTestSupport.userKey) }
        }

        @Test("seal wraps the key for both certificates and signs; the result reads back equal")
        func sealAndRead() throws {
            let keys = try BundleKeys.random()
            var manifest = BundleManifest(
                architecture: "aarch64", kernelId: "eki-1", ramdiskId: nil,
                blockDeviceMappings: [.init(virtual: "swap", device: "sdc"), .init(virtual: "ami", device: "sda1"),
                                      .init(virtual: "swap", device: "sdd")],
                productCodes: ["p1"], imageName: "my image & <friends>.img", accountId: "111122223333",
                imageType: "machine", imageDigest: String(repeating: "ab", count: 20), imageSize: 5,
                bundledSize: 32, parts: [.init(filename: "x.part.00", digest: String(repeating: "cd", count: 20))])
            try manifest.seal(keys: keys, cloudCertificate: BundleTestSupport.cloudCertificate,
                              userCertificate: BundleTestSupport.userCertificate, signingKey: BundleTestSupport.userKey)
            let document = manifest.document
            #expect(document.hasPrefix("<?xml version='1.0' encoding='ASCII'?>\n<manifest><version>2007-10-10</version><bundler><name>euca2ools-swift</name>"))
            #expect(!document.hasSuffix("\n"))
            #expect(document.contains("<block_device_mapping><mapping><virtual>ami</virtual><device>sda1</device></mapping><mapping><virtual>swap</virtual><device>sdd</device></mapping></block_device_mapping><product_codes><product_code>p1</product_code></product_codes><kernel_id>eki-1</kernel_id></machine_configuration>"))
            #expect(document.contains("<name>my image &amp; &lt;friends&gt;.img</name><user>111122223333</user><type>machine</type>"))
            let read = try BundleManifest.parse(Data(document.utf8))
            #expect(read.imageName == "my image & <friends>.img")
            #expect(read.verifySignature(with: BundleTestSupport.userCertificate))
            #expect(try read.decryptKeys(with: BundleTestSupport.userKey).keys == keys)
            #expect(try read.decryptKeys(with: BundleTestSupport.cloudKey).keys == keys)
            #expect(read.ec2EncryptedKey.count == 512 && read.ec2EncryptedKey == read.ec2EncryptedKey.lowercased())
            var expected = manifest
            expected.blockDeviceMappings = BundleManifest.sorted(manifest.blockDeviceMappings)
            expected.signedBytes = read.signedBytes
            #expect(read == expected)
        }

        @Test("kernel images leave out mappings and product codes, as euca2ools does")
        func kernelImage() {
            let manifest = BundleManifest(
                architecture: "x86_64", kernelId: "true", blockDeviceMappings: [.init(virtual: "ami", device: "sda1")],
                productCodes: ["p"], imageName: "k", accountId: "1", imageType: "kernel",
                imageDigest: String(repeating: "0", count: 40), imageSize: 1, bundledSize: 16,
                parts: [.init(filename: "k.part.00", digest: String(repeating: "0", count: 40))])
            #expect(manifest.machineConfigurationXML == "<machine_configuration><architecture>x86_64</architecture><kernel_id>true</kernel_id></machine_configuration>")
        }

        @Test("reads the spellings euca2ools 3.4 reads: block_device_mappings and productcodes")
        func otherSpellings() throws {
            let text = String(decoding: Self.fixture, as: UTF8.self)
                .replacingOccurrences(of: "<block_device_mapping><mapping><virtual>ami</virtual><device>sda1</device></mapping>", with: "<block_device_mappings><block_device_mapping><virtual>ami</virtual><device>sda1</device></block_device_mapping>")
                .replacingOccurrences(of: "<mapping><virtual>ephemeral0</virtual><device>sdb</device></mapping><mapping><virtual>root</virtual><device>/dev/sda1</device></mapping><mapping><virtual>swap</virtual><device>sdc</device></mapping></block_device_mapping>", with: "</block_device_mappings>")
                .replacingOccurrences(of: "product_codes>", with: "productcodes>")
            #expect(text.contains("<block_device_mappings>") && text.contains("<productcodes>"))
            let manifest = try BundleManifest.parse(Data(text.utf8))
            #expect(manifest.blockDeviceMappings == [.init(virtual: "ami", device: "sda1")])
            #expect(manifest.productCodes == ["code1", "code2"])
        }

        @Test("truncated, foreign or unsafe manifests are refused with a clear error")
        func rejects() throws {
            let text = String(decoding: Self.fixture, as: UTF8.self)
            for bad in [String(text.prefix(text.count / 2)), "", "<other/>",
                        text.replacingOccurrences(of: "<name>small.img</name>", with: "<name>../etc/passwd</name>"),
                        text.replacingOccurrences(of: "<filename>small.img.part.00</filename>", with: "<filename>/tmp/x</filename>"),
                        text.replacingOccurrences(of: "<parts count=\"1\">", with: "<parts count=\"2\">"),
                        text.replacingOccurrences(of: "<size>3145728</size>", with: "<size>big</size>"),
                        text.replacingOccurrences(of: "AES-128-CBC", with: "DES"),
                        "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><manifest/>"] {
                #expect(throws: ManifestError.self) { try BundleManifest.parse(Data(bad.utf8)) }
            }
        }

        @Test("BundleKeys: hex forms and validation")
        func bundleKeys() throws {
            let keys = try BundleKeys(keyHex: "000102030405060708090A0B0C0D0E0F", ivHex: " ffeeddccbbaa99887766554433221100\n")
            #expect(keys.keyHex == "000102030405060708090a0b0c0d0e0f")
            #expect(keys.iv.first == 0xFF)
            #expect(throws: CryptoError.self) { try BundleKeys(keyHex: "00", ivHex: "00") }
            #expect(try BundleKeys.random() != BundleKeys.random())
        }
    }
}
