import Foundation
import Testing
@testable import EucaCore

/// Each service's endpoint from each source euca2ools 3.4.1 reads (flag, its environment
/// variable, the `[region]` key, the AWS default), the region it is signed for, and the Query
/// request its client builds.
@Suite struct ServiceEndpointTests {
    static let home = "/home/u/.euca/test.ini"

    func settings(_ service: Service, _ words: [String] = [], env: [String: String] = [:],
                  ini: String? = nil) throws -> Settings {
        let command = Command("euca-x", summary: "x", service: service, action: .custom { _ in })
        let (_, parsed) = try ArgumentParser(command).parse(words)
        let config = try ini.map { EucaConfig(files: [try IniFile(path: Self.home, text: $0)]) } ?? EucaConfig()
        return try ConfigResolver(arguments: parsed, environment: env, eucaConfig: config, service: service).resolve()
    }

    /// The variable euca2ools reads (and eucarc files export) for each service.
    static let variables: [(Service, String)] = [
        (.ec2, "EC2_URL"), (.s3, "S3_URL"), (.iam, "AWS_IAM_URL"), (.iam, "EUARE_URL"),
        (.sts, "TOKEN_URL"), (.elasticLoadBalancing, "AWS_ELB_URL"),
        (.autoScaling, "AWS_AUTO_SCALING_URL"), (.cloudWatch, "AWS_CLOUDWATCH_URL"),
        (.cloudFormation, "AWS_CLOUDFORMATION_URL"),
    ]

    @Test(arguments: variables)
    func environmentVariableNamesTheEndpoint(service: Service, variable: String) throws {
        let resolved = try settings(service, env: [variable: "http://cloud.example.com:8773/services/X"])
        #expect(resolved.endpoint(service) == Sourced(URL(string: "http://cloud.example.com:8773/services/X")!, .environment(variable)))
        #expect(resolved.signingRegion(service).value == "us-east-1")
        // The same variable with REGION:: names the signing region.
        let named = try settings(service, env: [variable: "lab::http://cloud.example.com:8773/services/X"])
        #expect(named.endpoint(service).value.absoluteString == "http://cloud.example.com:8773/services/X")
        #expect(named.signingRegion(service) == Sourced("lab", .environment(variable)))
        // Other services do not read it.
        for other in Service.allCases where !other.definition.urlVariables.contains(variable) {
            #expect(resolved.endpoints[other]!.isDefault, "\(other) read \(variable)")
        }
    }

    @Test(arguments: Service.allCases)
    func flagOutranksEnvironmentAndConfig(service: Service) throws {
        let variable = service.definition.urlVariables[0]
        let ini = "[region lab]\n\(service.urlKey) = http://from-file:1/\n"
        let resolved = try settings(service, ["-U", "http://from-flag:1/", "--region", "lab"],
                                    env: [variable: "http://from-env:1/"], ini: ini)
        #expect(resolved.endpoint(service) == Sourced(URL(string: "http://from-flag:1/")!, .flag("-U/--url")))
        #expect(resolved.signingRegion(service).value == "lab")
        let fromEnv = try settings(service, ["--region", "lab"], env: [variable: "http://from-env:1/"], ini: ini)
        #expect(fromEnv.endpoint(service).source == .environment(variable))
        let fromFile = try settings(service, ["--region", "lab"], ini: ini)
        #expect(fromFile.endpoint(service) == Sourced(URL(string: "http://from-file:1/")!, .file(path: Self.home, section: "region lab")))
        let named = try settings(service, ["-U", "other::http://from-flag:1/", "--region", "lab"])
        #expect(named.signingRegion(service) == Sourced("other", .flag("-U/--url")))
    }

    /// AWS_ENDPOINT_URL (every service) comes after the service's own variables.
    @Test func genericVariableComesLast() throws {
        let both = try settings(.iam, env: ["AWS_ENDPOINT_URL": "http://any:1/", "EUARE_URL": "http://euare:1/"])
        #expect(both.endpoint(.iam).source == .environment("EUARE_URL"))
        let iamFirst = try settings(.iam, env: ["AWS_IAM_URL": "http://iam:1/", "EUARE_URL": "http://euare:1/"])
        #expect(iamFirst.endpoint(.iam).source == .environment("AWS_IAM_URL"))
        #expect(try settings(.cloudWatch, env: ["AWS_ENDPOINT_URL": "http://any:1/"]).endpoint(.cloudWatch).value.host == "any")
        #expect(try settings(.autoScaling, env: ["AWS_ENDPOINT_URL_AUTO_SCALING": "http://sdk:1/"]).endpoint(.autoScaling).value.host == "sdk")
    }

    @Test func awsDefaultsAreRegionalExceptTheGlobalServices() throws {
        let resolved = try settings(.ec2, ["--region", "eu-west-1"])
        let expected: [Service: (String, String)] = [
            .ec2: ("https://ec2.eu-west-1.amazonaws.com/", "eu-west-1"),
            .s3: ("https://s3.eu-west-1.amazonaws.com/", "eu-west-1"),
            .iam: ("https://iam.amazonaws.com/", "us-east-1"),
            .sts: ("https://sts.amazonaws.com/", "us-east-1"),
            .elasticLoadBalancing: ("https://elasticloadbalancing.eu-west-1.amazonaws.com/", "eu-west-1"),
            .autoScaling: ("https://autoscaling.eu-west-1.amazonaws.com/", "eu-west-1"),
            .cloudWatch: ("https://monitoring.eu-west-1.amazonaws.com/", "eu-west-1"),
            .cloudFormation: ("https://cloudformation.eu-west-1.amazonaws.com/", "eu-west-1"),
        ]
        for (service, (url, region)) in expected {
            let endpoint = resolved.endpoints[service]!
            #expect(endpoint.url.value.absoluteString == url, "\(service)")
            #expect(endpoint.signingRegion.value == region, "\(service)")
            #expect(endpoint.isDefault)
        }
        let china = try settings(.iam, ["--region", "cn-north-1"])
        #expect(china.endpoint(.iam).value.absoluteString == "https://iam.cn-north-1.amazonaws.com.cn/")
        #expect(china.signingRegion(.iam).value == "cn-north-1")
    }

    /// euca2ools' own aws.ini sends every AWS region's IAM and STS to us-east-1 with
    /// `[region aws:*] iam-url = use aws:us-east-1`; the endpoint is then signed for the
    /// section it was found in.
    @Test func useReferencesAndWildcardSections() throws {
        let ini = """
        [region aws:*]
        iam-url = use aws:us-east-1
        sts-url = use aws:us-east-1
        verify-ssl = true

        [region aws:us-east-1]
        iam-url = https://iam.amazonaws.com/
        sts-url = https://sts.amazonaws.com/
        ec2-url = https://ec2.us-east-1.amazonaws.com/

        [region aws:us-west-2]
        ec2-url = https://ec2.us-west-2.amazonaws.com/
        monitoring-url = use aws:us-west-2 ec2-url

        [region lab]
        name = lab-1
        iam-url = http://clc.lab:8773/services/Euare
        """
        let west = try settings(.iam, ["--region", "us-west-2"], ini: ini)
        #expect(west.endpoint(.iam) == Sourced(URL(string: "https://iam.amazonaws.com/")!, .file(path: Self.home, section: "region aws:us-east-1")))
        #expect(west.signingRegion(.iam).value == "us-east-1")
        #expect(west.endpoint(.sts).value.host == "sts.amazonaws.com")
        #expect(west.endpoint(.ec2).value.host == "ec2.us-west-2.amazonaws.com")
        #expect(west.signingRegion(.ec2).value == "us-west-2")
        // `use SECTION KEY` reads another key.
        #expect(west.endpoint(.cloudWatch).value.host == "ec2.us-west-2.amazonaws.com")
        #expect(west.verifyTLS.value)
        // A section's `name` key names its signing region.
        let lab = try settings(.iam, ["--region", "lab"], ini: ini)
        #expect(lab.signingRegion(.iam).value == "lab-1")
    }

    @Test func aUseLoopStopsWithTheValue() throws {
        let ini = "[region a]\niam-url = use b\n\n[region b]\niam-url = use a\n"
        #expect(throws: ConfigError.self) { try settings(.iam, ["--region", "a"], ini: ini) }
    }

    @Test func badEndpointsNameTheirSource() throws {
        #expect(throws: ConfigError("environment AWS_ELB_URL: expected an http:// or https:// URL (optionally REGION::URL), got \"elb.example.com\"")) {
            try settings(.elasticLoadBalancing, env: ["AWS_ELB_URL": "elb.example.com"])
        }
        #expect(throws: ConfigError("environment TOKEN_URL: \"a b\" is not a region name (letters, digits, '-', '_' and '.' only)")) {
            try settings(.sts, env: ["TOKEN_URL": "a b::http://sts:1/"])
        }
        // An IPv6 literal is an address, not a REGION:: prefix.
        let ipv6 = try settings(.ec2, env: ["EC2_URL": "http://[::1]:8773/services/compute"])
        #expect(ipv6.endpoint(.ec2).value.host?.contains("::1") == true)
        #expect(ipv6.signingRegion(.ec2).value == "us-east-1")
    }

    /// The signing name, API version and pagination each Query service uses.
    @Test func queryRequestsCarryEachServicesVersionAndScope() throws {
        let expected: [Service: (version: String, scope: String)] = [
            .ec2: ("2016-11-15", "ec2"), .iam: ("2010-05-08", "iam"), .sts: ("2011-06-15", "sts"),
            .elasticLoadBalancing: ("2012-06-01", "elasticloadbalancing"),
            .autoScaling: ("2011-01-01", "autoscaling"), .cloudWatch: ("2010-08-01", "monitoring"),
            .cloudFormation: ("2010-05-15", "cloudformation"),
        ]
        let date = Date(timeIntervalSince1970: 1_440_938_160)
        for (service, (version, scope)) in expected {
            let client = QueryClient(
                client: ServiceClient(transport: HTTPTransport(options: .init()), policy: RetryPolicy(maxAttempts: 1, mode: .standard), log: DebugLog(enabled: false)),
                service: service, endpoint: URL(string: "http://cloud:8773/services/X")!, region: "lab",
                credentials: Credentials(accessKeyId: "AKID", secretAccessKey: "secret"), signatureVersion: .v4)
            let request = client.sign(client.makeRequest("ListThings", [QueryItem("A", "1")]), date: date)
            #expect(String(decoding: request.body.inMemory, as: UTF8.self) == "Action=ListThings&Version=\(version)&A=1")
            #expect(request.path == "/services/X")
            #expect(request.headers["Authorization"]?.contains("Credential=AKID/20150830/lab/\(scope)/aws4_request") == true, "\(service)")
        }
        #expect(Service.s3.definition.queryAPIVersion == nil)
    }

    @Test func pageTokensAreReadWhereEachServicePutsThem() throws {
        let ec2 = try XML.parse(Data("<DescribeThingsResponse><nextToken>t1</nextToken></DescribeThingsResponse>".utf8))
        #expect(QueryClient.nextToken(ec2, action: "DescribeThings", Service.ec2.definition.pagination!) == "t1")
        let iam = try XML.parse(Data("<ListUsersResponse><ListUsersResult><IsTruncated>true</IsTruncated><Marker>m2</Marker></ListUsersResult></ListUsersResponse>".utf8))
        #expect(QueryClient.nextToken(iam, action: "ListUsers", Service.iam.definition.pagination!) == "m2")
        let elb = try XML.parse(Data("<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><NextMarker>n3</NextMarker></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>".utf8))
        #expect(QueryClient.nextToken(elb, action: "DescribeLoadBalancers", Service.elasticLoadBalancing.definition.pagination!) == "n3")
        let last = try XML.parse(Data("<ListUsersResponse><ListUsersResult><IsTruncated>false</IsTruncated></ListUsersResult></ListUsersResponse>".utf8))
        #expect(QueryClient.nextToken(last, action: "ListUsers", Service.iam.definition.pagination!) == nil)
    }

    @Test func generateEnvironmentConfigPrintsEveryConfiguredServiceURL() throws {
        let env = [
            "EC2_URL": "http://clc:8773/services/compute", "EUARE_URL": "http://clc:8773/services/Euare",
            "TOKEN_URL": "http://clc:8773/services/Tokens", "AWS_ELB_URL": "http://clc:8773/services/LoadBalancing",
        ]
        let variables = EnvironmentExport.variables(try settings(.ec2, env: env))
        let values = Dictionary(uniqueKeysWithValues: variables)
        #expect(values["EC2_URL"] == "http://clc:8773/services/compute")
        #expect(values["AWS_IAM_URL"] == "http://clc:8773/services/Euare")
        #expect(values["TOKEN_URL"] == "http://clc:8773/services/Tokens")
        #expect(values["AWS_ELB_URL"] == "http://clc:8773/services/LoadBalancing")
        // Not configured: not printed as an AWS URL a private cloud's user would be sent to.
        for name in ["S3_URL", "AWS_AUTO_SCALING_URL", "AWS_CLOUDWATCH_URL", "AWS_CLOUDFORMATION_URL"] {
            #expect(values.keys.contains(name) && values[name]! == nil, "\(name)")
        }
        #expect(variables.map(\.0) == variables.map(\.0).sorted())
    }
}
