import EucaCore

let createGroup = Command(
    "euca-create-group",
    aliases: ["euca-add-group"],
    summary: "create a new security group",
    details: "Prints GROUP, the new group's ID, its name and its description.",
    service: .ec2,
    options: [
        Option("-d", "--description", metavar: "DESC", type: .nonEmpty,
               help: "description of the new group", required: true,
               parameter: .flat("GroupDescription")),
        Option("-c", "--vpc", metavar: "VPC", type: .nonEmpty,
               help: "[VPC only] ID of the VPC to create the group in", parameter: .flat("VpcId")),
    ],
    positionals: [
        Positional("GROUP", type: .nonEmpty, help: "name of the new group", parameter: .flat("GroupName")),
    ],
    action: .query("CreateSecurityGroup", printer: .createdSecurityGroup))
