import EucaCore

let getPasswordData = Command(
    "euca-get-password-data",
    summary: "show the encrypted administrator password of a Windows instance",
    details: "Prints the password data, base64-encoded and encrypted with the instance's key pair, or nothing while it is not yet available. euca-get-password decrypts it.",
    service: .ec2,
    positionals: [
        Positional("INSTANCE", type: .nonEmpty, help: "ID of the Windows instance",
                   parameter: .flat("InstanceId")),
    ],
    action: .query("GetPasswordData", printer: .passwordData))
