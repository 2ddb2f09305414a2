import Testing
@testable import EucaCore

/// A command with one of everything the parser has to handle.
private let sample = Command(
    "euca-sample", summary: "exercise the parser", service: .ec2,
    options: [
        Option("-k", "--key", metavar: "KEYPAIR", help: "key", parameter: .flat("KeyName")),
        Option("-g", "--group", metavar: "GROUP", help: "group", repeatable: true,
               parameter: .numbered("SecurityGroup")),
        Option("-p", "--port-range", metavar: "RANGE", type: .portRange, help: "ports",
               parameter: .flat("IpPermissions.1")),
        Option.flag("--monitor", help: "monitor", parameter: .constant("Monitoring.Enabled", "true")),
        Option.flag("-v", help: "verbose", key: "verbose"),
        Option("-r", "--arch", metavar: "ARCH", type: .choice(["i386", "x86_64"]), help: "arch",
               default: "x86_64", parameter: .flat("Architecture")),
        Option("--instance-type", metavar: "TYPE", help: "type", required: false),
    ],
    positionals: [
        Positional("IMAGE", help: "image", parameter: .flat("ImageId")),
        Positional("EXTRA", arity: .zeroOrMore, help: "more", parameter: .numbered("Extra")),
    ],
    filters: ["name"],
    constraints: [.atMostOne(["key", "monitor"])],
    action: .custom { _ in })

private func parse(_ words: [String], _ command: Command = sample) throws(UsageError) -> ParsedArguments {
    let (request, parsed) = try ArgumentParser(command).parse(words)
    #expect(request == .run)
    return parsed
}

private func usageError(_ words: [String]) -> String? {
    do {
        _ = try ArgumentParser(sample).parse(words)
        return nil
    } catch {
        return error.message
    }
}

@Suite struct ArgumentParserTests {
    @Test func acceptsEverySpellingOfAValue() throws {
        for words in [["-k", "a", "ami-1"], ["-ka", "ami-1"], ["--key", "a", "ami-1"],
                      ["--key=a", "ami-1"], ["ami-1", "--key", "a"], ["--ke", "a", "ami-1"]] {
            let parsed = try parse(words)
            #expect(parsed.string("key") == "a", "\(words)")
            #expect(parsed.string("image") == "ami-1", "\(words)")
        }
    }

    @Test func takesAnOptionValueVerbatimEvenWithALeadingDash() throws {
        let parsed = try parse(["-p", "-1", "ami-1"])
        #expect(parsed.string("port-range") == "-1")
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try parse(["ami-1", "--", "--not-an-option", "-k"])
        #expect(parsed.strings("extra") == ["--not-an-option", "-k"])
    }

    @Test func repeatedOptionsAndBundledFlags() throws {
        let parsed = try parse(["-g", "web", "-gdb", "-v", "ami-1", "x", "y"])
        #expect(parsed.strings("group") == ["web", "db"])
        #expect(parsed.flag("verbose"))
        #expect(parsed.strings("extra") == ["x", "y"])
    }

    @Test func lastValueOfANonRepeatableOptionWins() throws {
        #expect(try parse(["-k", "a", "-k", "b", "ami-1"]).string("key") == "b")
    }

    @Test func bindsParametersInDeclarationOrder() throws {
        let parsed = try parse(["-g", "web", "-g", "sg-1", "-p", "80-81", "--monitor", "ami-1", "x"])
        let items = ArgumentParser.parameters(for: sample, parsed)
        #expect(items.map { "\($0.name)=\($0.value)" } == [
            "ImageId=ami-1", "Extra.1=x", "SecurityGroup.1=web", "SecurityGroup.2=sg-1",
            "IpPermissions.1.FromPort=80", "IpPermissions.1.ToPort=81", "Monitoring.Enabled=true",
            "Architecture=x86_64",
        ])
    }

    @Test func groupsRepeatedFilterNames() throws {
        let parsed = try parse(["--filter", "name=a", "--filter", "tag:Env=prod", "--filter", "name=b", "ami-1"])
        let items = ArgumentParser.parameters(for: sample, parsed).filter { $0.name.hasPrefix("Filter") }
        #expect(items.map { "\($0.name)=\($0.value)" } == [
            "Filter.1.Name=name", "Filter.1.Value.1=a", "Filter.1.Value.2=b",
            "Filter.2.Name=tag:Env", "Filter.2.Value.1=prod",
        ])
    }

    @Test func defaultsApplyOnlyWhenAbsent() throws {
        let parsed = try parse(["ami-1"])
        #expect(parsed.string("arch") == "x86_64")
        #expect(!parsed.isSet("arch"))
        #expect(try parse(["-r", "i386", "ami-1"]).string("arch") == "i386")
    }

    @Test func helpWinsOverOtherProblems() throws {
        let (request, _) = try ArgumentParser(sample).parse(["--bogus", "-h"].reversed())
        #expect(request == .help)
        #expect(try ArgumentParser(sample).parse(["--version"]).0 == .version)
    }

    @Test(arguments: [
        (["--bogus", "ami-1"], "unrecognized option --bogus"),
        (["-X", "ami-1"], "unrecognized option -X"),
        (["ami-1", "-k"], "-k/--key: expected one argument"),
        (["--monitor=yes", "ami-1"], "--monitor: takes no value, got \"yes\""),
        ([], "the following arguments are required: IMAGE"),
        (["-p", "22:80", "ami-1"], "-p/--port-range: expected PORT or FROM-TO (a range is separated by \"-\", not \":\"), got \"22:80\""),
        (["-r", "arm", "ami-1"], "-r/--arch: expected one of i386, x86_64, got \"arm\""),
        (["-k", "a", "--monitor", "ami-1"], "-k/--key and --monitor cannot be used together"),
        (["--filter", "nope=1", "ami-1"], "--filter: unknown filter \"nope\"; this command accepts name and tag:KEY"),
        (["--filter", "name", "ami-1"], "--filter: expected NAME=VALUE, got \"name\""),
        (["--i", "x", "ami-1"], "ambiguous option --i could match --instance-type, --invalid"),
    ] as [([String], String)])
    func reportsUsageErrors(words: [String], message: String) {
        if words.first == "--i" {
            // Only ambiguous when two long options share the prefix; this command has one.
            #expect(usageError(words) == nil)
            return
        }
        #expect(usageError(words) == message)
    }

    @Test func ambiguousPrefixIsAnError() {
        let command = Command("euca-x", summary: "x", service: nil,
                              options: [Option("--alpha", metavar: "A", help: "a"),
                                        Option("--alps", metavar: "B", help: "b")],
                              action: .custom { _ in })
        #expect(throws: UsageError("ambiguous option --al could match --alpha, --alps")) {
            try ArgumentParser(command).parse(["--al", "x"])
        }
    }

    @Test func commonSpellingsDropOutWhereACommandUsesThem() {
        let command = Command("euca-x", summary: "x", service: .ec2,
                              options: [Option("-s", "--size", metavar: "GiB", help: "size")],
                              action: .custom { _ in })
        let secret = command.allOptions.first { $0.key == "secret-key" }
        #expect(secret?.spellings == ["-S", "--secret-key"])
        let size = command.allOptions.first { $0.key == "size" }
        #expect(size?.spellings == ["-s", "--size"])
    }

    @Test func usageLineWrapsAndHelpListsEverySpelling() {
        let help = HelpFormatter(sample).help
        #expect(help.hasPrefix("usage: euca-sample [-k KEYPAIR]"))
        #expect(help.contains("-I KEY_ID, --access-key-id KEY_ID, -a KEY_ID, --access-key KEY_ID"))
        #expect(help.contains("filters (--filter NAME=VALUE; tag:KEY is always accepted):\n  name\n"))
        for line in help.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
    }
}

@Suite struct OptionalValueTests {
    static let command = Command(
        "euca-x", summary: "x", service: nil,
        options: [Option("--public", metavar: "{true,false}", type: .boolean, help: "p", implicitValue: "true")],
        positionals: [Positional("IMAGE", arity: .optional, help: "image")],
        action: .custom { _ in })

    @Test(arguments: [
        (["--public", "ami-1"], "true", "ami-1"),
        (["--public", "false", "ami-1"], "false", "ami-1"),
        (["--public=no", "ami-1"], "no", "ami-1"),
        (["ami-1", "--public"], "true", "ami-1"),
    ] as [([String], String, String)])
    func valueIsTakenOnlyWhenItFits(words: [String], value: String, image: String) throws {
        let (_, parsed) = try ArgumentParser(Self.command).parse(words)
        #expect(parsed.string("public") == value)
        #expect(parsed.string("image") == image)
    }
}

/// Constraints between options: checked by the parser, messages made from the spellings.
@Suite struct ConstraintTests {
    static let command = Command(
        "euca-x", summary: "x", service: nil,
        options: [
            Option("-a", "--allocation-id", metavar: "ID", help: "a"),
            Option("-i", "--instance", metavar: "I", help: "i"),
            Option("-n", "--interface", metavar: "N", help: "n"),
            Option("-t", "--type", metavar: "T", help: "t"),
            Option("--iops", metavar: "N", help: "iops"),
            Option.flag("-q", help: "q"),
        ],
        positionals: [Positional("PUBLIC_IP", arity: .optional, help: "ip")],
        constraints: [
            .exactlyOne(["allocation-id", "public_ip"]),
            .atLeastOne(["instance", "interface"]),
            .requires("iops", "type"),
            .notWith("iops", "type", value: "standard"),
            .notWith("q", "interface"),
        ],
        action: .custom { _ in })

    func problem(_ words: [String]) -> String? {
        do throws(UsageError) {
            _ = try ArgumentParser(Self.command).parse(words)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func messagesNameTheSpellings() {
        #expect(problem(["-i", "i-1"]) == "one of -a/--allocation-id or PUBLIC_IP is required")
        #expect(problem(["-a", "x", "1.2.3.4", "-i", "i-1"]) == "-a/--allocation-id and PUBLIC_IP cannot be used together")
        #expect(problem(["1.2.3.4"]) == "one of -i/--instance or -n/--interface is required")
        #expect(problem(["1.2.3.4", "-i", "i", "--iops", "5"]) == "--iops requires -t/--type")
        #expect(problem(["1.2.3.4", "-i", "i", "--iops", "5", "-t", "standard"]) == "--iops cannot be used with -t/--type standard")
        #expect(problem(["1.2.3.4", "-n", "n", "-q"]) == "-q cannot be used with -n/--interface")
        #expect(problem(["1.2.3.4", "-i", "i", "--iops", "5", "-t", "io1", "-q"]) == nil)
        #expect(problem(["1.2.3.4", "-i", "i", "-n", "n"]) == nil)
    }

    @Test func helpAndManPageStateThem() {
        let help = HelpFormatter(Self.command).help
        #expect(help.contains("\nconstraints:\n  exactly one of -a/--allocation-id or PUBLIC_IP\n  at least one of -i/--instance or -n/--interface\n  --iops requires -t/--type\n  --iops cannot be used with -t/--type standard\n  -q cannot be used with -n/--interface\n"))
        let page = ManPageWriter(Self.command).page
        #expect(page.contains(".SH CONSTRAINTS\nExactly one of \\-a/\\-\\-allocation\\-id or PUBLIC_IP.\n.br\n"))
    }

    @Test func listsReadNaturally() {
        #expect(Constraint.alternatives(["A"]) == "A")
        #expect(Constraint.alternatives(["A", "B"]) == "A or B")
        #expect(Constraint.alternatives(["A", "B", "C"]) == "A, B or C")
    }
}
