import Foundation
import Testing
@testable import EucaCore

/// Property tests over everything that reads untrusted text: random inputs built from the
/// tokens that matter to each parser, a fixed seed (so a failure reproduces), and a time budget
/// (so CI stays bounded). The properties: no crash or trap (a crash fails the whole run), no
/// hang (the budget), and every rejection is a single-line message.
@Suite struct FuzzTests {
    static let budget: TimeInterval = Double(ProcessInfo.processInfo.environment["EUCA_FUZZ_SECONDS"] ?? "") ?? 2
    static let maximumIterations = 200_000

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

    /// Runs `body` with fresh generators until the budget or the iteration cap is reached.
    static func fuzz(seed: UInt64, _ body: (inout Generator) -> Void) -> Int {
        var generator = Generator(state: seed)
        let deadline = Date().addingTimeInterval(budget)
        var iterations = 0
        let started = Date()
        while iterations < maximumIterations && Date() < deadline {
            body(&generator)
            iterations += 1
        }
        // Collected into docs/reliability.md by make reliability-report.
        print(String(format: "FIGURE: fuzz seed %llx: %d inputs in %.1f s, no crash", seed, iterations, Date().timeIntervalSince(started)))
        return iterations
    }

    static let xmlTokens = ["<", ">", "</", "/>", "a", "b", "Response", "Errors", "Error", "Code", "item",
                            "=", "\"", "'", " ", "\n", "&amp;", "&lt;", "&#65;", "&#x41;", "&", ";", "#",
                            "<![CDATA[", "]]>", "<!--", "-->", "<?xml version='1.0'?>", "<!DOCTYPE", "x:",
                            "é", "\u{0}", "<a>", "</a>", "<item>", "</item>", "xmlns=\"u\""]

    @Test func xmlReaderNeverCrashes() {
        var accepted = 0
        let iterations = Self.fuzz(seed: 0x5EED_0001) { generator in
            let text = generator.text(Self.xmlTokens, maxTokens: 40)
            do {
                let root = try XML.parse(text)
                accepted += 1
                _ = root.items("item")
                _ = root.first(named: "Code")
            } catch let error as XML.ParseError {
                #expect(!error.description.contains("\n"), "\(error)")
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(iterations > 1000)
        _ = accepted
    }

    @Test func xmlReaderSurvivesMutatedResponses() throws {
        let original = Array("""
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>i-1</instanceId><tagSet><item><key>a&amp;b</key><value><![CDATA[x]]></value></item></tagSet></item></instancesSet></item></reservationSet></DescribeInstancesResponse>
        """.utf8)
        let iterations = Self.fuzz(seed: 0x5EED_0002) { generator in
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
            _ = try? XML.parse(Data(bytes))
            _ = ServiceError.from(HTTPResponse(status: 500, body: Data(bytes)), host: "h").description
        }
        #expect(iterations > 1000)
    }

    static let iniTokens = ["[", "]", "region ", "user ", "global", "=", ":", " ", "\t", "\n", "\r\n", "#", ";",
                            "key-id", "secret-key", "ec2-url", "http://x/", "us-east-1", "@", "aws:", "verify-ssl",
                            "false", "maybe", "AWSAccessKeyId", "AWSSecretKey", "é"]

    @Test func configFilesNeverCrashTheResolver() {
        let iterations = Self.fuzz(seed: 0x5EED_0003) { generator in
            let text = generator.text(Self.iniTokens, maxTokens: 30)
            guard let file = try? IniFile(path: "fuzz.ini", text: text) else { return }
            let (_, arguments) = (try? ArgumentParser(Self.command).parse(
                generator.below(2) == 0 ? [] : ["--region", generator.text(["a", "@", "b", "us-east-1", ":"], maxTokens: 4)]))
                ?? (.run, ParsedArguments())
            let resolver = ConfigResolver(arguments: arguments, environment: [:], eucaConfig: EucaConfig(files: [file]),
                                          awsConfig: AWSSharedConfig(credentials: file, config: file),
                                          credentialFile: file, service: .ec2)
            do {
                let settings = try resolver.resolve()
                _ = try? settings.requireCredentials()
                _ = settings.debugLines()
            } catch let error as ConfigError {
                #expect(!error.message.contains("\n"), "\(error.message)")
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(iterations > 500)
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
        let iterations = Self.fuzz(seed: 0x5EED_0004) { generator in
            let words = (0..<generator.below(10)).map { _ in
                generator.below(8) == 0 ? generator.text(Self.argumentTokens, maxTokens: 3) : generator.pick(Self.argumentTokens)
            }
            do {
                let (_, parsed) = try ArgumentParser(Self.command).parse(words)
                _ = ArgumentParser.parameters(for: Self.command, parsed)
            } catch let error as UsageError {
                #expect(!error.message.contains("\n"), "\(words) → \(error.message)")
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(iterations > 1000)
    }

    @Test func percentAndFormDecodingNeverCrash() {
        let tokens = ["%", "%2", "%20", "%zz", "%E1%88%B4", "%ff", "+", "=", "&", "a", "é", "\u{0}"]
        let iterations = Self.fuzz(seed: 0x5EED_0005) { generator in
            let text = generator.text(tokens)
            let decoded = PercentEncoding.decode(text, plusIsSpace: true)
            // Encoding then decoding is the identity on any decoded text.
            #expect(PercentEncoding.decode(PercentEncoding.encode(decoded)) == decoded)
            _ = FormEncoding.decode(text)
        }
        #expect(iterations > 1000)
    }
}
