import Testing
@testable import EucaCore

@Suite struct RegionNameTests {
    @Test(arguments: [
        ("ec2.eu-west-1.amazonaws.com", "eu-west-1"),
        ("ec2.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        ("s3-us-west-2.amazonaws.com", "us-west-2"),
        ("bucket.s3.ap-southeast-2.amazonaws.com", "ap-southeast-2"),
        ("ec2.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        ("ec2.amazonaws.com", "us-east-1"),
        ("s3.amazonaws.com", "us-east-1"),
    ])
    func derivesTheRegionFromAWSHosts(host: String, region: String) {
        #expect(RegionName.fromEndpointHost(host) == region)
    }

    @Test(arguments: ["127.0.0.1", "compute.euca.example.com", "ec2.eu-west-1.example.com", "localhost"])
    func neverInventsARegionForOtherHosts(host: String) {
        #expect(RegionName.fromEndpointHost(host) == nil)
    }

    @Test func stripsEuca2oolsNamespaces() {
        #expect(RegionName.signingName("aws:us-east-1") == "us-east-1")
        #expect(RegionName.signingName("eucalyptus") == "eucalyptus")
    }
}

@Suite struct RegionNameValidationTests {
    @Test func rejectsNamesThatCannotBeRegions() {
        #expect(RegionName.isWellFormed("us-east-1"))
        #expect(RegionName.isWellFormed("euca_lab.2"))
        #expect(!RegionName.isWellFormed("us east"))
        #expect(!RegionName.isWellFormed(""))
        #expect(!RegionName.isWellFormed("a/b"))
    }
}
