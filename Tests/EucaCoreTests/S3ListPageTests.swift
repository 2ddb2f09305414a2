import Foundation
import Testing
@testable import EucaCore

/// ListObjects (v1) responses: entries, common prefixes and the marker of the next page.
@Suite struct S3ListPageTests {
    func parse(_ xml: String) throws -> S3ListPage {
        try S3ListPage.parse(XML.parse(xml), host: "h")
    }

    @Test func lastPageWithEntries() throws {
        let page = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bucket</Name><Prefix>img/</Prefix><Marker></Marker><MaxKeys>1000</MaxKeys>
              <IsTruncated>false</IsTruncated>
              <Contents>
                <Key>img/a &amp; b.part.0</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
                <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234</Size>
                <StorageClass>STANDARD</StorageClass>
              </Contents>
              <Contents>
                <Key>img/big</Key><LastModified>2009-10-12T17:50:30Z</LastModified>
                <ETag>"e5a8c5272b26fc10581a21089559b006-2"</ETag><Size> 5242881 </Size>
              </Contents>
            </ListBucketResult>
            """)
        #expect(!page.isTruncated && page.nextMarker == nil)
        #expect(page.objects.map(\.key) == ["img/a & b.part.0", "img/big"])
        #expect(page.objects[0].size == 434_234)
        #expect(page.objects[0].etag == "fba9dede5f27731c9771645a39863328" && page.objects[0].etagIsContentMD5)
        #expect(page.objects[0].lastModified == Date(timeIntervalSince1970: 1_255_369_830))
        #expect(page.objects[1].size == 5_242_881 && !page.objects[1].etagIsContentMD5)
        #expect(page.objects[1].lastModified != nil)
    }

    @Test func truncatedPageContinuesAfterNextMarkerWhenGiven() throws {
        let page = try parse("""
            <ListBucketResult><IsTruncated>true</IsTruncated><NextMarker>b/</NextMarker>
            <Contents><Key>a</Key><Size>1</Size></Contents>
            <CommonPrefixes><Prefix>b/</Prefix></CommonPrefixes></ListBucketResult>
            """)
        #expect(page.isTruncated && page.nextMarker == "b/")
        #expect(page.commonPrefixes == ["b/"])
    }

    @Test func truncatedPageWithoutNextMarkerContinuesAfterTheLastEntry() throws {
        // AWS sends NextMarker only with a delimiter; the marker is then the last key, or the
        // last common prefix if that sorts later.
        let keys = try parse("""
            <ListBucketResult><IsTruncated>true</IsTruncated>
            <Contents><Key>k1</Key><Size>1</Size></Contents>
            <Contents><Key>k2</Key><Size>1</Size></Contents></ListBucketResult>
            """)
        #expect(keys.nextMarker == "k2")
        let prefixes = try parse("""
            <ListBucketResult><IsTruncated>true</IsTruncated>
            <Contents><Key>a</Key><Size>1</Size></Contents>
            <CommonPrefixes><Prefix>z/</Prefix></CommonPrefixes></ListBucketResult>
            """)
        #expect(prefixes.nextMarker == "z/")
    }

    @Test func malformedListings() {
        #expect(throws: ResponseFormatError.self) {
            try parse("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>")
        }
        #expect(throws: ResponseFormatError.self) {
            try parse("<ListBucketResult><Contents><Key>k</Key><Size>x</Size></Contents></ListBucketResult>")
        }
        #expect(throws: ResponseFormatError.self) { try parse("<ListAllMyBucketsResult/>") }
    }
}
