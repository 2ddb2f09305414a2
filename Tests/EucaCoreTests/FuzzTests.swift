import Foundation
import Testing
@testable import EucaCore

/// Property tests over everything that reads untrusted text: random inputs built from the
/// tokens that matter to each parser, a fixed seed and a fixed number of inputs, so every run
/// tries exactly the same inputs and a failure reproduces. (A time budget would make the
/// inputs tried, and so the verdict, depend on the machine's speed.) The properties: no
/// crash or trap (a crash fails the whole run), no hang, and every rejection is a single-line
/// message. EUCA_FUZZ_SCALE multiplies the number of inputs for a longer search.
@Suite struct FuzzTests {
    static let scale = max(1, Int(ProcessInfo.processInfo.environment["EUCA_FUZZ_SCALE"] ?? "") ?? 1)

    /// SplitMix64: small, fast, and the same sequence everywhere for a given seed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

        /// A string of `1...maxTokens` tokens, with the occasional random byte.
        mutating func text(_ tokens: [String], maxTokens: Int = 24) -> String {
            var out = ""
            for _ in 0..<(1 + below(maxTokens)) {
                if below(10) == 0 {
                    out.unicodeScalars.append(Unicode.Scalar(UInt8(below(128))))
                } else {
                    out += pick(tokens)
                }
            }
            return out
        }
    }

    /// Runs `body` on `inputs` (times the scale) inputs drawn from one generator seeded with
    /// `seed`.
    static func fuzz(seed: UInt64, inputs: Int, _ body: (inout Generator) -> Void) {
        var generator = Generator(state: seed)
        for _ in 0..<(inputs * scale) { body(&generator) }
    }

    /// How many inputs a parser took and how many it rejected. A fuzz run that only ever
    /// reaches one of the two has tested half the parser, however many inputs it tried.
    struct Outcomes: CustomStringConvertible {
        var accepted = 0
        var rejected = 0
        var reachedBoth: Bool { accepted > 0 && rejected > 0 }
        var description: String { "\(accepted) accepted, \(rejected) rejected" }
    }

    static let xmlTokens = ["<", ">", "</", "/>", "a", "b", "Response", "Errors", "Error", "Code", "item",
                            "=", "\"", "'", " ", "\n", "&amp;", "&lt;", "&#65;", "&#x41;", "&", ";", "#",
                            "<![CDATA[", "]]>", "<!--", "-->", "<?xml version='1.0'?>", "<!DOCTYPE", "x:",
                            "é", "\u{0}", "<a>", "</a>", "<item>", "</item>", "xmlns=\"u\""]

    @Test func xmlReaderNeverCrashes() {
        var outcomes = Outcomes()
        Self.fuzz(seed: 0x5EED_0001, inputs: 100_000) { generator in
            let text = generator.text(Self.xmlTokens, maxTokens: 40)
            do {
                let root = try XML.parse(text)
                outcomes.accepted += 1
                _ = root.items("item")
                _ = root.first(named: "Code")
            } catch let error as XML.ParseError {
                outcomes.rejected += 1
                #expect(!error.description.contains("\n"), "\(error)")
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(outcomes.reachedBoth, "well-formed and malformed documents both: \(outcomes)")
    }

    @Test func xmlReaderSurvivesMutatedResponses() throws {
        let original = Array("""
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>i-1</instanceId><tagSet><item><key>a&amp;b</key><value><![CDATA[x]]></value></item></tagSet></item></instancesSet></item></reservationSet></DescribeInstancesResponse>
        """.utf8)
        var outcomes = Outcomes()
        Self.fuzz(seed: 0x5EED_0002, inputs: 15_000) { generator in
            var bytes = original
            for _ in 0..<(1 + generator.below(6)) {
                switch generator.below(4) {
                case 0: bytes.remove(at: generator.below(bytes.count))
                case 1: bytes.insert(UInt8(generator.below(256)), at: generator.below(bytes.count))
                case 2: bytes[generator.below(bytes.count)] = UInt8(generator.below(256))
                default: bytes = Array(bytes.prefix(generator.below(bytes.count)))
                }
                if bytes.isEmpty { break }
            }
            if (try? XML.parse(Data(bytes))) != nil { outcomes.accepted += 1 } else { outcomes.rejected += 1 }
            _ = ServiceError.from(HTTPResponse(status: 500, body: Data(bytes)), host: "h").description
        }
        #expect(outcomes.reachedBoth, "mutations that still parse and ones that do not: \(outcomes)")
    }

    static let iniTokens = ["[", "]", "region ", "user ", "global", "=", ":", " ", "\t", "\n", "\r\n", "#", ";",
                            "key-id", "secret-key", "ec2-url", "http://x/", "us-east-1", "@", "aws:", "verify-ssl",
                            "false", "maybe", "AWSAccessKeyId", "AWSSecretKey", "é"]

    @Test func configFilesNeverCrashTheResolver() {
        var files = Outcomes(), resolutions = Outcomes()
        Self.fuzz(seed: 0x5EED_0003, inputs: 20_000) { generator in
            let text = generator.text(Self.iniTokens, maxTokens: 30)
            guard let file = try? IniFile(path: "fuzz.ini", text: text) else {
                files.rejected += 1
                return
            }
            files.accepted += 1
            let (_, arguments) = (try? ArgumentParser(Self.command).parse(
                generator.below(2) == 0 ? [] : ["--region", generator.text(["a", "@", "b", "us-east-1", ":"], maxTokens: 4)]))
                ?? (.run, ParsedArguments())
            let resolver = ConfigResolver(arguments: arguments, environment: [:], eucaConfig: EucaConfig(files: [file]),
                                          awsConfig: AWSSharedConfig(credentials: file, config: file),
                                          credentialFile: file, service: .ec2)
            do {
                let settings = try resolver.resolve()
                resolutions.accepted += 1
                _ = try? settings.requireCredentials()
                _ = settings.debugLines()
            } catch let error as ConfigError {
                resolutions.rejected += 1
                #expect(!error.message.contains("\n"), "\(error.message)")
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(files.reachedBoth, "files that parse and files that do not: \(files)")
        #expect(resolutions.reachedBoth, "parsed files that resolve and ones that are rejected: \(resolutions)")
    }

    static let command = Command(
        "euca-fuzz", summary: "fuzz target", service: .ec2,
        options: [
            Option("-p", "--port-range", metavar: "P", type: .portRange, help: "p", parameter: .flat("X")),
            Option("-s", "--cidr", metavar: "C", type: .cidr, help: "c", repeatable: true, parameter: .numbered("C")),
            Option("-t", "--icmp", metavar: "T", type: .icmpTypeCode, help: "t"),
            Option("-b", "--bdm", metavar: "B", type: .blockDeviceMapping, help: "b", repeatable: true,
                   parameter: .numbered("BlockDeviceMapping")),
            Option("-n", "--count", metavar: "N", type: .integer(1...20), help: "n"),
            Option("--tag", metavar: "T", type: .tag, help: "t", repeatable: true, parameter: .numbered("Tag")),
            Option.flag("-f", "--force", help: "f"),
        ],
        positionals: [Positional("ID", arity: .zeroOrMore, help: "ids", parameter: .numbered("Id"))],
        filters: ["name", "state"], action: .custom { _ in })

    static let argumentTokens = ["-p", "--port-range", "--port-range=", "-p22", "22", "-1", "80-81", "22:80",
                                 "-s", "10.0.0.0/8", "999.1.1.1/8", "-t", "8:0", "-1:-1", "-b", "/dev/sda=snap-1:1:true",
                                 "/dev/sdb=none", "=", ":", "-n", "0", "21", "5", "--tag", "a=b", "--filter",
                                 "name=x", "bogus=y", "-f", "-fp", "--", "--fo", "--p", "-", "--region", "x@y",
                                 "-h", "--help", "--version", "i-1", "", " ", "é", "\n", "--debug"]

    @Test func argumentParserNeverCrashes() {
        var outcomes = Outcomes()
        Self.fuzz(seed: 0x5EED_0004, inputs: 20_000) { generator in
            let words = (0..<generator.below(10)).map { _ in
                generator.below(8) == 0 ? generator.text(Self.argumentTokens, maxTokens: 3) : generator.pick(Self.argumentTokens)
            }
            do {
                let (_, parsed) = try ArgumentParser(Self.command).parse(words)
                outcomes.accepted += 1
                _ = ArgumentParser.parameters(for: Self.command, parsed)
            } catch let error as UsageError {
                outcomes.rejected += 1
                #expect(!error.message.contains("\n"), "\(words) → \(error.message)")
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(outcomes.reachedBoth, "command lines that parse and ones that are rejected: \(outcomes)")
    }

    @Test func percentAndFormDecodingNeverCrash() {
        let tokens = ["%", "%2", "%20", "%zz", "%E1%88%B4", "%ff", "+", "=", "&", "a", "é", "\u{0}"]
        // "accepted": decoding changed the text (an escape or a '+' was decoded);
        // "rejected": it was left as it was.
        var outcomes = Outcomes()
        Self.fuzz(seed: 0x5EED_0005, inputs: 100_000) { generator in
            let text = generator.text(tokens)
            let decoded = PercentEncoding.decode(text, plusIsSpace: true)
            if decoded == text { outcomes.rejected += 1 } else { outcomes.accepted += 1 }
            // Encoding then decoding is the identity on any decoded text.
            #expect(PercentEncoding.decode(PercentEncoding.encode(decoded)) == decoded)
            _ = FormEncoding.decode(text)
        }
        #expect(outcomes.reachedBoth, "texts that decoding changes and ones it leaves alone: \(outcomes)")
    }
}
