import EucaCore

let fingerprintKey = Command(
    "euca-fingerprint-key",
    summary: "show the fingerprint of a private key as euca-describe-keypairs shows it",
    details: "This is the fingerprint EC2 gives key pairs it created (SHA-1 of the key in PKCS#8 form); it differs from the key's SSH fingerprint.",
    service: nil,
    positionals: [
        Positional("FILE", type: .fileContents, help: "file containing the private key", key: "file"),
    ],
    action: .custom { invocation in
        let pem = invocation.arguments.fields("file").first?.first?.value ?? ""
        StandardStream.output.writeLine(try KeyPairs.createdKeyFingerprint(pem: pem))
    })
