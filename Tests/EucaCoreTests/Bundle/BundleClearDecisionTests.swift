import Testing
@testable import EucaCore

/// `euca-delete-bundle --clear` never deletes a bucket that still holds objects.
@Suite struct BundleClearDecisionTests {
    @Test func emptyBucketIsDeleted() {
        #expect(BundleDeleteTool.shouldDeleteBucket(remainingKeys: []))
    }

    @Test func bucketWithOtherObjectsIsKept() {
        #expect(!BundleDeleteTool.shouldDeleteBucket(remainingKeys: ["other/data.bin"]))
    }
}
