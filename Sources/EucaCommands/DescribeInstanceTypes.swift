import EucaCore

let describeInstanceTypes = Command(
    "euca-describe-instance-types",
    summary: "show information about instance types",
    details: "Prints a table of instance types with their CPUs, memory and disk. Works with Eucalyptus' and AWS's responses; capacity (--show-capacity, --by-zone) is reported by Eucalyptus only.",
    service: .ec2,
    options: [
        .flag("--by-zone", help: "[Eucalyptus only] show each availability zone separately"),
        .flag("--show-capacity", help: "[Eucalyptus only] show how many instances of each type are in use and possible"),
    ],
    positionals: [
        Positional("INSTANCETYPE", arity: .zeroOrMore, type: .nonEmpty, help: "limit results to specific instance types",
                   parameter: .numbered("InstanceType")),
    ],
    printsResponses: true,
    action: .custom { invocation in try await InstanceTypes.describe(invocation) })
