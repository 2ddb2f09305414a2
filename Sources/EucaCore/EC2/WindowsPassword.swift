import Foundation

/// The administrator password EC2 generates for a Windows instance: GetPasswordData returns it
/// encrypted (RSA PKCS#1 v1.5, base64) with the public half of the instance's key pair.
public enum WindowsPassword {
    /// euca-get-password: fetches the password data and decrypts it with the key pair's private
    /// key (`-k/--priv-launch-key FILE`), printing the password.
    public static func get(_ invocation: Invocation, privateKeyFile: String) async throws {
        let pem: String
        do {
            pem = try String(contentsOfFile: privateKeyFile, encoding: .utf8)
        } catch {
            throw CommandFailure("cannot read the private key \(privateKeyFile): \(error.localizedDescription)")
        }
        let key: RSAPrivateKey
        do {
            key = try RSAPrivateKey(pem: pem)
        } catch {
            throw CommandFailure("\(privateKeyFile): \(error)")
        }
        let response = try await invocation.ec2().call("GetPasswordData", invocation.boundParameters)
        let instance = response.value("instanceId") ?? invocation.arguments.string("instance") ?? "the instance"
        guard let data = response.value("passwordData")?.filter({ !$0.isWhitespace }), !data.isEmpty else {
            throw CommandFailure("no password is available for \(instance): only Windows instances have one, and it takes several minutes after launch to appear")
        }
        let password = try decrypt(data, with: key)
        StandardStream.output.write(password + "\n")
    }

    /// Decrypts base64 password data with the key pair's private key.
    public static func decrypt(_ base64: String, with key: RSAPrivateKey) throws -> String {
        guard let ciphertext = Data(base64Encoded: base64.filter { !$0.isWhitespace }) else {
            throw CommandFailure("the password data is not base64-encoded")
        }
        let plaintext: [UInt8]
        do {
            plaintext = try key.decryptPKCS1v15([UInt8](ciphertext))
        } catch {
            throw CommandFailure("cannot decrypt the password: \(error) (was the instance launched with this key pair?)")
        }
        return String(decoding: plaintext, as: UTF8.self)
    }
}

extension Printer {
    /// GetPasswordData: the encrypted password data as the service sent it, or nothing when it
    /// is not (yet) available.
    public static let passwordData = Printer { response in
        response.value("passwordData").map { [Record($0)] } ?? []
    }
}
