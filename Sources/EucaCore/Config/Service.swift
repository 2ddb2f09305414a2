import Foundation

/// The cloud services a command can talk to. The raw value is euca2ools' name for the service:
/// the `NAME-url` and `NAME-signature-version` keys of a `[region]` section, and (for every
/// service here) the SigV4 signing name.
public enum Service: String, Sendable, CaseIterable {
    case ec2
    case s3
    case iam
    case sts
    case elasticLoadBalancing = "elasticloadbalancing"
    case autoScaling = "autoscaling"
    case cloudWatch = "monitoring"
    case cloudFormation = "cloudformation"

    /// Everything that differs between services is data, here.
    public var definition: ServiceDefinition {
        switch self {
        case .ec2:
            // EC2_URL is what every eucarc and euca2ools 3.4.1 set; AWS_ENDPOINT_URL_EC2 is the
            // AWS SDKs' spelling, read after it so a sourced eucarc wins.
            return ServiceDefinition(
                urlVariables: ["EC2_URL", "AWS_ENDPOINT_URL_EC2"], queryAPIVersion: "2016-11-15",
                pagination: .init(parameter: "NextToken", element: "nextToken"),
                endpointHelp: "compute service endpoint URL", awsEndpoint: .regional("ec2"))
        case .s3:
            return ServiceDefinition(
                urlVariables: ["S3_URL", "AWS_ENDPOINT_URL_S3"], queryAPIVersion: nil, pagination: nil,
                endpointHelp: "object storage service endpoint URL", awsEndpoint: .s3)
        case .iam:
            // Eucalyptus clouds' eucarc files export EUARE_URL (the service's old name);
            // euca2ools 3.4.1 itself reads only AWS_IAM_URL, which therefore comes first.
            return ServiceDefinition(
                urlVariables: ["AWS_IAM_URL", "EUARE_URL", "AWS_ENDPOINT_URL_IAM"],
                queryAPIVersion: "2010-05-08",
                pagination: .init(parameter: "Marker", element: "Marker"),
                endpointHelp: "identity service endpoint URL", awsEndpoint: .global("iam"))
        case .sts:
            return ServiceDefinition(
                urlVariables: ["TOKEN_URL", "AWS_ENDPOINT_URL_STS"], queryAPIVersion: "2011-06-15",
                pagination: nil,
                endpointHelp: "token service endpoint URL", awsEndpoint: .global("sts"))
        case .elasticLoadBalancing:
            return ServiceDefinition(
                urlVariables: ["AWS_ELB_URL", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING"],
                queryAPIVersion: "2012-06-01",
                pagination: .init(parameter: "Marker", element: "NextMarker"),
                endpointHelp: "load balancing service endpoint URL",
                awsEndpoint: .regional("elasticloadbalancing"))
        case .autoScaling:
            return ServiceDefinition(
                urlVariables: ["AWS_AUTO_SCALING_URL", "AWS_ENDPOINT_URL_AUTO_SCALING"],
                queryAPIVersion: "2011-01-01",
                pagination: .init(parameter: "NextToken", element: "NextToken"),
                endpointHelp: "auto-scaling service endpoint URL", awsEndpoint: .regional("autoscaling"))
        case .cloudWatch:
            return ServiceDefinition(
                urlVariables: ["AWS_CLOUDWATCH_URL", "AWS_ENDPOINT_URL_CLOUDWATCH"],
                queryAPIVersion: "2010-08-01",
                pagination: .init(parameter: "NextToken", element: "NextToken"),
                endpointHelp: "instance monitoring service endpoint URL",
                awsEndpoint: .regional("monitoring"))
        case .cloudFormation:
            return ServiceDefinition(
                urlVariables: ["AWS_CLOUDFORMATION_URL", "AWS_ENDPOINT_URL_CLOUDFORMATION"],
                queryAPIVersion: "2010-05-15",
                pagination: .init(parameter: "NextToken", element: "NextToken"),
                endpointHelp: "deployment templating service endpoint URL",
                awsEndpoint: .regional("cloudformation"))
        }
    }

    /// The ini key naming the service's endpoint in a `[region]` section (`iam-url`).
    public var urlKey: String { rawValue + "-url" }
    /// The SigV4 service name (the credential scope's third part).
    public var signingName: String { rawValue }
}

/// What distinguishes one service from another.
public struct ServiceDefinition: Sendable {
    /// Environment variables naming the endpoint, in precedence order. `AWS_ENDPOINT_URL`
    /// (every service) is read after all of them.
    public var urlVariables: [String]
    /// The `Version` parameter of the Query API; nil for S3, which is REST.
    public var queryAPIVersion: String?
    /// How a describe/list action hands out the next page, if it pages.
    public var pagination: Pagination?
    /// How help and man pages describe `-U/--url`.
    public var endpointHelp: String
    public var awsEndpoint: AWSEndpoint
}

/// The request parameter that asks for the next page and the response element carrying it.
/// EC2 answers `nextToken` at the top of the response; the other Query services inside
/// `<ActionResult>` (`Marker` in IAM, `NextMarker` in ELB, `NextToken` elsewhere).
public struct Pagination: Sendable, Equatable {
    public var parameter: String
    public var element: String
}

/// Where AWS serves a service when nothing else is configured.
public enum AWSEndpoint: Sendable, Equatable {
    /// `https://NAME.REGION.amazonaws.com/`, signed for the region.
    case regional(String)
    /// One endpoint for a partition, signed for its first region: `https://iam.amazonaws.com/`
    /// for us-east-1; in China `https://NAME.cn-north-1.amazonaws.com.cn/`.
    case global(String)
    /// `https://s3.amazonaws.com/` in us-east-1, `https://s3.REGION.amazonaws.com/` elsewhere.
    case s3

    /// The URL and the region its requests are signed for, given the region in use.
    public func resolve(region: String) -> (url: URL, signingRegion: String) {
        let china = region.hasPrefix("cn-")
        let suffix = china ? "amazonaws.com.cn" : "amazonaws.com"
        switch self {
        case .regional(let name):
            return (URL(string: "https://\(name).\(region).\(suffix)/")!, region)
        case .global(let name):
            if china { return (URL(string: "https://\(name).cn-north-1.\(suffix)/")!, "cn-north-1") }
            return (URL(string: "https://\(name).\(suffix)/")!, "us-east-1")
        case .s3:
            return (URL(string: region == "us-east-1" ? "https://s3.amazonaws.com/" : "https://s3.\(region).\(suffix)/")!,
                    region)
        }
    }
}
