import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Key-pair work beyond a plain API call: saving a new private key safely, and the
/// fingerprints EC2 shows for keys.
public enum KeyPairs {
    /// Creates a key pair, then prints `KEYPAIR name fingerprint` and either the private key
    /// or, with a file name, saves the key to it (mode 0600) instead.
    public static func create(_ invocation: Invocation, name: String, file: String?) async throws {
        if let file, FileManager.default.fileExists(atPath: file) {
            // Checked before calling EC2: afterwards the only copy of the key would be lost.
            throw UsageError("-f/--filename: \(quoted(file)) already exists; remove it or choose another name")
        }
        let response = try await invocation.ec2().call("CreateKeyPair", invocation.boundParameters)
        guard let material = response.value("keyMaterial") else {
            throw ResponseFormatError(host: invocation.settings?.endpoint(.ec2).value.host ?? "",
                                      problem: "CreateKeyPair returned no keyMaterial")
        }
        if let file {
            do {
                try AtomicFile.write(Data(material.utf8), to: file, mode: 0o600)
            } catch {
                throw CommandFailure("key pair \(name) was created but its private key could not be saved to \(file) (\(error)); delete it with euca-delete-keypair \(name) and try again")
            }
            // The key went to the file, as asked: not to stdout as well.
            var saved = response
            saved.children.removeAll { $0.name == "keyMaterial" }
            invocation.output(Printer.keyPair.records(response), from: [saved])
        } else if invocation.printsJSON {
            invocation.output([], from: [response])
        } else {
            // As euca2ools prints it (Python's print adds a newline even when the key
            // material already ends in one), so output compares byte for byte.
            invocation.output(Printer.keyPair.records(response), from: [response])
            StandardStream.output.write(material + "\n")
        }
    }

    /// The fingerprint EC2 shows for a key pair it created: SHA-1 of the private key's
    /// PKCS#8 DER encoding, as colon-separated hex.
    public static func createdKeyFingerprint(pem: String) throws -> String {
        let key = try RSAPrivateKey(pem: pem)
        return colonHex(Digest.hash(.sha1, Data(key.derPKCS8)))
    }

    static func colonHex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined(separator: ":")
    }
}
