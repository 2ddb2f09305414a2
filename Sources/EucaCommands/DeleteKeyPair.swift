import EucaCore

let deleteKeyPair = Command(
    "euca-delete-keypair",
    summary: "delete a key pair",
    service: .ec2,
    positionals: [
        Positional("KEYPAIR", type: .nonEmpty, help: "name of the key pair to delete",
                   parameter: .flat("KeyName")),
    ],
    action: .query("DeleteKeyPair", printer: .echo("KEYPAIR", argument: "keypair")))
