import EucaCore

let getConsoleOutput = Command(
    "euca-get-console-output",
    summary: "show an instance's console output",
    details: "Prints the instance ID, the time the output was captured, then the output. Control characters other than tab, newline and carriage return are shown as ^X unless -r is given.",
    service: .ec2,
    options: [
        .flag("-r", "--raw-console-output", help: "show the output as it is, without escaping control characters"),
    ],
    positionals: [
        Positional("INSTANCE", type: .nonEmpty, help: "ID of the instance whose console output to show",
                   parameter: .flat("InstanceId")),
    ],
    action: .custom { invocation in try await ConsoleOutput.get(invocation) })
