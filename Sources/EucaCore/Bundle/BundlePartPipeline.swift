import Foundation

/// Hands bundle parts from the bundling thread to the uploading tasks as each part is
/// completed, so that uploading overlaps bundling. At most `maximumPending` parts wait on disk
/// to be uploaded (euca2ools' `--max-pending-parts`): beyond that the bundler is held back
/// until an upload finishes, which bounds the disk the bundle takes. When an upload fails for
/// good, the bundler is stopped with that error.
final class BundlePartPipeline: @unchecked Sendable {
    let maximumPending: Int
    let parts: AsyncStream<BundlePartFile>
    private let continuation: AsyncStream<BundlePartFile>.Continuation
    private let condition = NSCondition()
    private var pending = 0
    private var failure: Error?

    init(maximumPending: Int) {
        self.maximumPending = max(1, maximumPending)
        (parts, continuation) = AsyncStream<BundlePartFile>.makeStream(bufferingPolicy: .unbounded)
    }

    /// Bundling thread: a part is complete. Blocks while too many parts wait; throws the
    /// uploads' failure, if there was one.
    func hand(_ part: BundlePartFile) throws {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        pending += 1
        continuation.yield(part)
        while pending > maximumPending && failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    /// An upload is done with a part.
    func uploaded() {
        condition.lock()
        pending -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// An upload failed for good: the bundler stops at its next part.
    func fail(_ error: Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// No more parts (bundling ended, one way or another).
    func finish() { continuation.finish() }
}
