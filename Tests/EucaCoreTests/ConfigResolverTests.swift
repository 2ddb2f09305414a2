import Foundation
import Testing
@testable import EucaCore

private let dummy = Command("euca-dummy", summary: "d", service: .ec2, action: .custom { _ in })

private func resolver(_ words: [String] = [], env: [String: String] = [:], ini: String? = nil,
                      awsCredentials: String? = nil, awsConfig: String? = nil,
                      credentialFile: String? = nil) throws -> ConfigResolver {
    let (_, parsed) = try ArgumentParser(dummy).parse(words)
    let eucaConfig = try ini.map { EucaConfig(files: [try IniFile(path: "/home/u/.euca/test.ini", text: $0)]) } ?? EucaConfig()
    let aws = AWSSharedConfig(
        credentials: try awsCredentials.map { try IniFile(path: "~/.aws/credentials", text: $0) },
        config: try awsConfig.map { try IniFile(path: "~/.aws/config", text: $0) })
    return ConfigResolver(arguments: parsed, environment: env, eucaConfig: eucaConfig, awsConfig: aws,
                          credentialFile: try credentialFile.map { try IniFile(path: "/creds/iamrc", text: $0) },
                          service: .ec2)
}

private func settings(_ words: [String] = [], env: [String: String] = [:], ini: String? = nil,
                      awsCredentials: String? = nil, awsConfig: String? = nil,
                      credentialFile: String? = nil) throws -> Settings {
    try resolver(words, env: env, ini: ini, awsCredentials: awsCredentials, awsConfig: awsConfig,
                 credentialFile: credentialFile).resolve()
}

private let iniText = """
[global]
default-region = lab

[region lab]
ec2-url = https://compute.lab.example.com:8773/services/compute
s3-url = https://objects.lab.example.com:8773/services/objectstorage
user = admin
certificate = /etc/lab/cloud-cert.pem
ec2-signature-version = 2

[user admin]
key-id = AKIDADMIN
secret-key = adminsecret
account-id = 123456789012
certificate = /home/u/admin-cert.pem
private-key = /home/u/admin-pk.pem

[user alice]
key-id = AKIDALICE
secret-key = alicesecret
"""

@Suite struct ConfigResolverTests {
    @Test func endpointPrecedenceIsFlagThenEnvironmentThenFileThenDefault() throws {
        let env = ["EC2_URL": "http://env:1/"]
        #expect(try settings(["-U", "http://flag:1/"], env: env, ini: iniText).endpoint(.ec2).value.absoluteString == "http://flag:1/")
        let fromEnv = try settings(env: env, ini: iniText).endpoint(.ec2)
        #expect(fromEnv.value.absoluteString == "http://env:1/")
        #expect(fromEnv.source == .environment("EC2_URL"))
        let fromFile = try settings(ini: iniText).endpoint(.ec2)
        #expect(fromFile.value.absoluteString == "https://compute.lab.example.com:8773/services/compute")
        #expect(fromFile.source == .file(path: "/home/u/.euca/test.ini", section: "region lab"))
        let fallback = try settings().endpoint(.ec2)
        #expect(fallback.value.absoluteString == "https://ec2.us-east-1.amazonaws.com/")
        #expect(try settings(env: ["AWS_ENDPOINT_URL_EC2": "http://a:1/", "AWS_ENDPOINT_URL": "http://b:1/"]).endpoint(.ec2).value.host == "a")
        #expect(try settings(env: ["AWS_ENDPOINT_URL": "http://b:1/"]).endpoint(.s3).value.host == "b")
    }

    @Test func regionComesFromConfigElseTheEndpointHostElseUsEast1() throws {
        #expect(try settings(["--region", "eu-west-1"]).region.value == "eu-west-1")
        #expect(try settings(env: ["AWS_DEFAULT_REGION": "ap-south-1"]).region.value == "ap-south-1")
        #expect(try settings(env: ["AWS_REGION": "eu-north-1", "AWS_DEFAULT_REGION": "ap-south-1"]).region.value == "eu-north-1")
        let derived = try settings(env: ["EC2_URL": "https://ec2.eu-west-1.amazonaws.com/"]).region
        #expect(derived.value == "eu-west-1")
        #expect(derived.source == .derived("endpoint host ec2.eu-west-1.amazonaws.com"))
        let local = try settings(env: ["EC2_URL": "http://127.0.0.1:5000/"]).region
        #expect(local.value == "us-east-1")
        #expect(local.source == .builtInDefault)
        #expect(try settings(["--region", "aws:us-west-2"]).region.value == "us-west-2")
        #expect(try settings(awsConfig: "[default]\nregion = sa-east-1\n").region.value == "sa-east-1")
    }

    @Test func keyIdAndSecretComeFromOneSource() throws {
        let both = ["AWS_ACCESS_KEY_ID": "AKID1", "AWS_SECRET_ACCESS_KEY": "s1",
                    "EC2_ACCESS_KEY": "AKID2", "EC2_SECRET_KEY": "s2"]
        let fromFlags = try settings(["-I", "AKIDF", "-S", "sf"], env: both).credentials.get()
        #expect(fromFlags.value == Credentials(accessKeyId: "AKIDF", secretAccessKey: "sf"))
        #expect(try settings(env: both).credentials.get().value.accessKeyId == "AKID1")
        let euca = try settings(env: ["EC2_ACCESS_KEY": "AKID2", "EC2_SECRET_KEY": "s2"]).credentials.get()
        #expect(euca.value.secretAccessKey == "s2")
        #expect(euca.source == .environment("EC2_ACCESS_KEY/EC2_SECRET_KEY"))
        // Half a pair is an error, never mixed with another source's half.
        #expect(throws: ConfigError("environment AWS_ACCESS_KEY_ID gives AWS_ACCESS_KEY_ID but not AWS_SECRET_ACCESS_KEY; set both, or neither")) {
            try settings(env: ["AWS_ACCESS_KEY_ID": "AKID1", "EC2_ACCESS_KEY": "AKID2", "EC2_SECRET_KEY": "s2"]).requireCredentials()
        }
        #expect(throws: ConfigError("command line -I gives -I/--access-key-id but not -S/--secret-key; set both, or neither")) {
            try settings(["-I", "AKIDF"], env: both).requireCredentials()
        }
    }

    @Test func sessionTokensTravelWithTheirKeys() throws {
        let env = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "tok"]
        #expect(try settings(env: env).requireCredentials().sessionToken == "tok")
        #expect(try settings(["--security-token", "flagtok"], env: env).requireCredentials().sessionToken == "flagtok")
        #expect(try settings(env: ["EC2_ACCESS_KEY": "A", "EC2_SECRET_KEY": "s", "AWS_SESSION_TOKEN": "tok"]).requireCredentials().sessionToken == nil)
    }

    @Test func credentialFilesAndIniUsersAndProfiles() throws {
        let iamrc = "AWSAccessKeyId=AKIDFILE\nAWSSecretKey=filesecret\n"
        let fromFile = try settings(credentialFile: iamrc).credentials.get()
        #expect(fromFile.value.accessKeyId == "AKIDFILE")
        #expect(fromFile.source == .file(path: "/creds/iamrc", section: nil))
        #expect(try settings(ini: iniText).requireCredentials().accessKeyId == "AKIDADMIN")
        #expect(try settings(["--region", "alice@lab"], ini: iniText).requireCredentials().accessKeyId == "AKIDALICE")
        let profiles = "[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = d\n[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = o\n"
        #expect(try settings(awsCredentials: profiles).requireCredentials().accessKeyId == "AKIDDEF")
        #expect(try settings(env: ["AWS_PROFILE": "ops"], awsCredentials: profiles).requireCredentials().accessKeyId == "AKIDOPS")
        // The environment outranks files, but an explicit --profile outranks the environment.
        let env = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "e"]
        #expect(try settings(env: env, awsCredentials: profiles).requireCredentials().accessKeyId == "AKIDENV")
        #expect(try settings(["--profile", "ops"], env: env, awsCredentials: profiles).requireCredentials().accessKeyId == "AKIDOPS")
        #expect(throws: ConfigError("--profile nope: no such profile in ~/.aws/credentials or ~/.aws/config")) {
            try settings(["--profile", "nope"], awsCredentials: profiles)
        }
    }

    @Test func missingCredentialsNameEveryWayToSupplyThem() {
        #expect(throws: ConfigError(ConfigResolver.missingCredentialsMessage)) {
            try settings().requireCredentials()
        }
        #expect(!ConfigResolver.missingCredentialsMessage.contains("\n"))
    }

    @Test func regionSectionsSupplyCertificatesUsersAndSignatureVersions() throws {
        let resolved = try settings(ini: iniText)
        #expect(resolved.cloudCertificate?.value == "/etc/lab/cloud-cert.pem")
        #expect(resolved.userCertificate?.value == "/home/u/admin-cert.pem")
        #expect(resolved.userPrivateKey?.value == "/home/u/admin-pk.pem")
        #expect(resolved.accountId?.value == "123456789012")
        #expect(resolved.signatureVersion(.ec2).value == .v2)
        #expect(resolved.signatureVersion(.s3).value == .v4)
        #expect(try settings(["--signature-version", "4"], ini: iniText).signatureVersion(.ec2).value == .v4)
        // The environment still outranks the file.
        #expect(try settings(env: ["EC2_CERT": "/env/cert.pem"], ini: iniText).userCertificate?.value == "/env/cert.pem")
        #expect(throws: ConfigError.self) { try settings(["--region", "bob@lab"], ini: iniText) }
    }

    @Test func retryAndTimeoutSettings() throws {
        let defaults = try settings()
        #expect(defaults.maxAttempts == Sourced(3, .builtInDefault))
        #expect(defaults.retryMode.value == .standard)
        #expect(try settings(env: ["AWS_MAX_ATTEMPTS": "5"]).maxAttempts.value == 5)
        #expect(try settings(["--max-attempts", "2"], env: ["AWS_MAX_ATTEMPTS": "5"]).maxAttempts.value == 2)
        #expect(try settings(env: ["AWS_RETRY_MODE": "adaptive"]).retryMode.value == .adaptive)
        #expect(try settings(env: ["AWS_RETRY_MODE": "legacy"]).retryMode.value == .standard)
        #expect(throws: ConfigError("environment AWS_MAX_ATTEMPTS: expected an integer from 1 to 20, got \"lots\"")) {
            try settings(env: ["AWS_MAX_ATTEMPTS": "lots"])
        }
        #expect(try settings(["--read-timeout", "2.5"]).readTimeout.value == 2.5)
    }

    @Test func malformedEndpointsNameTheirSource() {
        #expect(throws: ConfigError("environment EC2_URL: expected an http:// or https:// URL (optionally REGION::URL), got \"ec2.example.com\"")) {
            try settings(env: ["EC2_URL": "ec2.example.com"])
        }
    }

    @Test func iniFilesParseLikeConfigParser() throws {
        let file = try IniFile(path: "p", text: "a = 1\n[s]\n# c\n; c\nKey: v\n  continued\n[ t ]\nx=\n")
        #expect(file[""]?["a"] == "1")
        #expect(file["s"]?["key"] == "v\ncontinued")
        #expect(file["t"]?["x"] == "")
        #expect(throws: IniFile.ParseError(path: "p", line: 2, problem: "expected KEY = VALUE, got \"garbage\"")) {
            try IniFile(path: "p", text: "[s]\ngarbage\n")
        }
        #expect(throws: IniFile.ParseError.self) { try IniFile(path: "p", text: "[unclosed\n") }
    }
}
