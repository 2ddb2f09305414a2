import EucaCore

let describeTags = Command(
    "euca-describe-tags",
    summary: "list tags associated with your account's resources",
    details: "Prints a TAG line per tag: resource type, resource ID, key, value.",
    service: .ec2,
    filters: ["key", "resource-id", "resource-type", "value"],
    action: .query("DescribeTags", paginated: true, printer: .tags))
