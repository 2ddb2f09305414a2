import EucaCore

let deleteGroup = Command(
    "euca-delete-group",
    summary: "delete a security group",
    service: .ec2,
    positionals: [
        Positional("GROUP", type: .nonEmpty, help: "name or ID (sg-…) of the security group to delete",
                   parameter: .nameOrId(idPrefix: "sg-", name: "GroupName", id: "GroupId")),
    ],
    action: .query("DeleteSecurityGroup", printer: .securityGroupDeleted))
