import EucaCore

let modifySnapshotAttribute = Command(
    "euca-modify-snapshot-attribute",
    summary: "modify an attribute of a snapshot",
    details: "Grants (-a) or revokes (-r) permission to create volumes from the snapshot; \"all\" means every account. Prints createVolumePermission SNAPSHOT ADD|REMOVE UserId|Group ENTITY for each change.",
    service: .ec2,
    options: [
        Option("-c", "--create-volume-permission",
               help: "grant or revoke volume creation permission with -a/-r", required: true),
        Option("-a", "--add", metavar: "ENTITY", type: .nonEmpty,
               help: "account to grant permission to, or \"all\" for all accounts (repeatable)",
               repeatable: true, parameter: Images.permissionBinding("CreateVolumePermission", "Add")),
        Option("-r", "--remove", metavar: "ENTITY", type: .nonEmpty,
               help: "account to remove permission from, or \"all\" for all accounts (repeatable)",
               repeatable: true, parameter: Images.permissionBinding("CreateVolumePermission", "Remove")),
    ],
    positionals: [
        Positional("SNAPSHOT", type: .nonEmpty, help: "ID of the snapshot to modify",
                   parameter: .flat("SnapshotId")),
    ],
    constraints: [.requires("create-volume-permission", anyOf: ["add", "remove"])],
    action: .query("ModifySnapshotAttribute", printer: Printer(withArguments: { _, arguments in
        Images.permissionChangeRecords(arguments, list: "createVolumePermission",
                                       id: arguments.string("snapshot"))
    })))
