import EucaCore

let createTags = Command(
    "euca-create-tags",
    summary: "add or overwrite tags for one or more resources",
    details: "Prints a TAG line for each resource and tag: resource type, resource ID, key, value.",
    service: .ec2,
    options: [
        Option("--tag", metavar: "KEY[=VALUE]", type: .tag,
               help: "key and optional value of a tag to create, separated by \"=\"; without a value the tag's value is the empty string (repeatable, at least one)",
               required: true, repeatable: true, parameter: .numbered("Tag")),
    ],
    positionals: [
        Positional("RESOURCE", arity: .oneOrMore, type: .nonEmpty, help: "ID of a resource to tag",
                   parameter: .numbered("ResourceId")),
    ],
    action: .query("CreateTags", printer: .createdTags))
