import Foundation
import Testing
@testable import EucaCore

/// `--output json` on the response shapes the services send. The documents are the examples
/// of the AWS API references (DescribeVolumes, ListUsers, ListObjects), trimmed.
@Suite struct ResponseJSONTests {
    func json(_ xml: String...) throws -> String {
        ResponseJSON.merge(try xml.map { try XML.parse(Data($0.utf8)) }, pageToken: nil).serialized()
    }

    func json(pageToken: String, _ xml: String...) throws -> String {
        ResponseJSON.merge(try xml.map { try XML.parse(Data($0.utf8)) }, pageToken: pageToken).serialized()
    }

    @Test func ec2ItemListsBecomeArraysAndTheRequestIdIsDropped() throws {
        let text = try json("""
            <DescribeVolumesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
              <volumeSet>
                <item><volumeId>vol-1</volumeId><size>80</size><attachmentSet/>
                  <tagSet><item><key>Name</key><value>a "quoted" \\ value</value></item></tagSet></item>
              </volumeSet>
            </DescribeVolumesResponse>
            """)
        #expect(text == """
            {
              "volumeSet": [
                {
                  "volumeId": "vol-1",
                  "size": "80",
                  "attachmentSet": [],
                  "tagSet": [
                    {
                      "key": "Name",
                      "value": "a \\"quoted\\" \\\\ value"
                    }
                  ]
                }
              ]
            }
            """)
    }

    @Test func pagesAreMergedAndTheTokenDropped() throws {
        let text = try json(pageToken: "nextToken",
            "<DescribeVolumesResponse><requestId>1</requestId><volumeSet><item><volumeId>vol-1</volumeId></item></volumeSet><nextToken>t</nextToken></DescribeVolumesResponse>",
            "<DescribeVolumesResponse><requestId>2</requestId><volumeSet><item><volumeId>vol-2</volumeId></item></volumeSet></DescribeVolumesResponse>")
        #expect(text == "{\n  \"volumeSet\": [\n    {\n      \"volumeId\": \"vol-1\"\n    },\n    {\n      \"volumeId\": \"vol-2\"\n    }\n  ]\n}")
    }

    @Test func queryServicesLoseTheirResultWrapperAndMetadata() throws {
        let text = try json(pageToken: "Marker", """
            <ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <ListUsersResult>
                <Users><member><UserName>Andrew</UserName><Path>/division_abc/</Path></member></Users>
                <IsTruncated>true</IsTruncated><Marker>m</Marker>
              </ListUsersResult>
              <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>
            </ListUsersResponse>
            """, """
            <ListUsersResponse><ListUsersResult><Users><member><UserName>Jackie</UserName><Path>/</Path></member></Users>
            <IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></ListUsersResponse>
            """)
        #expect(text == """
            {
              "Users": [
                {
                  "UserName": "Andrew",
                  "Path": "/division_abc/"
                },
                {
                  "UserName": "Jackie",
                  "Path": "/"
                }
              ],
              "IsTruncated": "false"
            }
            """)
    }

    @Test func repeatedElementsAreArraysAndActionsWithoutDataAreEmpty() throws {
        let listing = try json("""
            <ListBucketResult><Name>bucket</Name><Contents><Key>a</Key></Contents><Contents><Key>b</Key></Contents></ListBucketResult>
            """)
        #expect(listing == "{\n  \"Name\": \"bucket\",\n  \"Contents\": [\n    {\n      \"Key\": \"a\"\n    },\n    {\n      \"Key\": \"b\"\n    }\n  ]\n}")
        #expect(try json("<DeleteUserResponse><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DeleteUserResponse>") == "{}")
        #expect(try json("<DeleteVolumeResponse><requestId>1</requestId><return>true</return></DeleteVolumeResponse>") == "{\n  \"return\": \"true\"\n}")
    }

    @Test func controlCharactersAreEscaped() {
        #expect(JSONValue.quoted("a\nb\u{01}\u{7F}é") == "\"a\\nb\\u0001\\u007fé\"")
    }
}
