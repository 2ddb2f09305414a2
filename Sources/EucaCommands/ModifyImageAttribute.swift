import EucaCore

let modifyImageAttribute = Command(
    "euca-modify-image-attribute",
    summary: "modify an attribute of an image",
    details: "Give one of --description, -p or -l. With -l, -a grants and -r revokes launch permission; \"all\" means every account (makes the image public). Prints a line per change: description IMAGE (empty) DESC, productcodes IMAGE productCode CODE, or launchPermission IMAGE ADD|REMOVE UserId|Group ENTITY.",
    service: .ec2,
    options: [
        Option("--description", metavar: "DESC", help: "change the image's description",
               parameter: .flat("Description.Value")),
        Option("-p", "--product-code", metavar: "CODE", type: .nonEmpty,
               help: "product code to add to an instance-store image (repeatable)",
               repeatable: true, parameter: .numbered("ProductCode")),
        Option.flag("-l", "--launch-permission", help: "grant or revoke launch permissions with -a/-r"),
        Option("-a", "--add", metavar: "ENTITY", type: .nonEmpty,
               help: "account to grant launch permission to, or \"all\" for all accounts (repeatable)",
               repeatable: true, parameter: Images.permissionBinding("LaunchPermission", "Add")),
        Option("-r", "--remove", metavar: "ENTITY", type: .nonEmpty,
               help: "account to remove launch permission from, or \"all\" for all accounts (repeatable)",
               repeatable: true, parameter: Images.permissionBinding("LaunchPermission", "Remove")),
    ],
    positionals: [
        Positional("IMAGE", type: .nonEmpty, help: "ID of the image to modify", parameter: .flat("ImageId")),
    ],
    constraints: [
        .exactlyOne(["description", "product-code", "launch-permission"]),
        .requires("launch-permission", anyOf: ["add", "remove"]),
        .requires("add", "launch-permission"),
        .requires("remove", "launch-permission"),
    ],
    action: .query("ModifyImageAttribute", printer: Printer(withArguments: { _, arguments in
        let image = arguments.string("image")
        var records: [Record] = []
        if let description = arguments.string("description") {
            records.append(Record("description", image, nil, description))
        }
        records += arguments.strings("product-code").map { Record("productcodes", image, "productCode", $0) }
        if arguments.flag("launch-permission") {
            records += Images.permissionChangeRecords(arguments, list: "launchPermission", id: image)
        }
        return records
    })))
