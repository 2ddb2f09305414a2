import EucaCore

let createKeyPair = Command(
    "euca-create-keypair",
    aliases: ["euca-add-keypair"],
    summary: "create a new SSH key pair for use with instances",
    details: "Prints the key pair's name and fingerprint, then the private key; with -f the private key is saved to FILE (created with mode 0600) instead.",
    service: .ec2,
    options: [
        Option("-f", "--filename", metavar: "FILE", type: .outputFile,
               help: "file name to save the private key to"),
        Option("-t", "--type", metavar: "TYPE", type: .choice(["rsa", "ed25519"]),
               help: "type of key to create", parameter: .flat("KeyType")),
    ],
    positionals: [
        Positional("KEYPAIR", type: .nonEmpty, help: "name of the new key pair",
                   parameter: .flat("KeyName")),
    ],
    printsResponses: true,
    action: .custom { invocation in
        try await KeyPairs.create(invocation, name: try invocation.arguments.required("keypair"),
                                  file: invocation.arguments.string("filename"))
    })
