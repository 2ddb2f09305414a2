import EucaCore

let generateEnvironmentConfig = Command(
    "euca-generate-environment-config",
    summary: "print the settings in effect as shell code that sets environment variables",
    details: "Reads the command line, environment and configuration files as every command does and prints the resulting endpoints, credentials and certificate paths for eval. The output contains the secret key: treat it with care.",
    service: .ec2,
    options: [
        Option.flag("--csh", help: "print csh/tcsh setenv commands instead of sh"),
        Option.flag("--simple", help: "print plain NAME=VALUE lines for scripts (unset ones empty)"),
    ],
    constraints: [.atMostOne(["csh", "simple"])],
    action: .custom { invocation in
        let shell: EnvironmentExport.Shell = invocation.arguments.flag("csh") ? .csh
            : invocation.arguments.flag("simple") ? .simple : .sh
        StandardStream.output.write(EnvironmentExport.format(
            EnvironmentExport.variables(invocation.settings!), shell: shell))
    })
