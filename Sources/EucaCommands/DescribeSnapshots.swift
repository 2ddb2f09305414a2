import EucaCore

let describeSnapshots = Command(
    "euca-describe-snapshots",
    summary: "show information about snapshots",
    details: "By default only the snapshots your account owns and those it has explicit permission to restore are shown; -a shows all. Prints a SNAPSHOT line per snapshot (ID, volume, status, start time, progress, owner, volume size, description), followed by its TAG lines.",
    service: .ec2,
    options: [
        Option.flag("-a", "--all", help: "describe all snapshots"),
        Option("-o", "--owner", metavar: "ACCOUNT", type: .nonEmpty,
               help: "limit results to snapshots owned by an account (repeatable; \"self\" for yours)",
               repeatable: true, parameter: .numbered("Owner")),
        Option("-r", "--restorable-by", metavar: "ACCOUNT", type: .nonEmpty,
               help: "limit results to snapshots an account may create volumes from (repeatable)",
               repeatable: true, parameter: .numbered("RestorableBy")),
    ],
    positionals: [
        Positional("SNAPSHOT", arity: .zeroOrMore, help: "limit results to specific snapshots",
                   parameter: .numbered("SnapshotId")),
    ],
    filters: ["description", "encrypted", "owner-alias", "owner-id", "progress", "snapshot-id",
              "start-time", "status", "tag-key", "tag-value", "volume-id", "volume-size"],
    constraints: [.notWith("all", "owner"), .notWith("all", "restorable-by")],
    printsResponses: true,
    action: .custom { invocation in try await Snapshots.describe(invocation) })
