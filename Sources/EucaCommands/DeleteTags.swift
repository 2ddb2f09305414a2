import EucaCore

let deleteTags = Command(
    "euca-delete-tags",
    summary: "delete tags from one or more resources",
    details: "--tag KEY deletes the tag whatever its value; --tag KEY=VALUE only if its value is VALUE (--tag KEY= only if it is empty). Prints nothing.",
    service: .ec2,
    options: [
        Option("--tag", metavar: "KEY[=VALUE]", type: .tagKeyOptionalValue,
               help: "key and optional value of a tag to delete (repeatable, at least one)",
               required: true, repeatable: true, parameter: .numbered("Tag")),
    ],
    positionals: [
        Positional("RESOURCE", arity: .oneOrMore, type: .nonEmpty, help: "ID of a resource to un-tag",
                   parameter: .numbered("ResourceId")),
    ],
    action: .query("DeleteTags", printer: Printer { _ in [] }))
