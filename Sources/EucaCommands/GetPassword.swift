import EucaCore

let getPassword = Command(
    "euca-get-password",
    summary: "show the administrator password of a Windows instance",
    details: "Fetches the instance's encrypted password data and decrypts it with the private key of the key pair the instance was launched with.",
    service: .ec2,
    options: [
        Option("-k", "--priv-launch-key", metavar: "FILE", type: .readableFile,
               help: "file holding the private key of the key pair the instance was launched with",
               required: true),
    ],
    positionals: [
        Positional("INSTANCE", type: .nonEmpty, help: "ID of the Windows instance",
                   parameter: .flat("InstanceId")),
    ],
    action: .custom { invocation in
        try await WindowsPassword.get(invocation, privateKeyFile: try invocation.arguments.required("priv-launch-key"))
    })
