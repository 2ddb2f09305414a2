import EucaCore

let importKeyPair = Command(
    "euca-import-keypair",
    summary: "import a public RSA key as a new key pair",
    service: .ec2,
    options: [
        Option("-f", "--public-key-file", metavar: "FILE", type: .base64FileContents,
               help: "name of a file containing the public key to import", required: true,
               parameter: .flat("PublicKeyMaterial")),
    ],
    positionals: [
        Positional("KEYPAIR", type: .nonEmpty, help: "name for the new key pair",
                   parameter: .flat("KeyName")),
    ],
    action: .query("ImportKeyPair", printer: .keyPair))
