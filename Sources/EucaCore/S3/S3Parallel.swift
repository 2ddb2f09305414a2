/// Bounded parallelism for transfers: a fixed number of tasks in flight, a new one started as
/// each finishes, so memory holds at most `concurrency` items' data at a time.
enum S3Parallel {
    /// `body` applied to every element, at most `concurrency` at once; results in input order.
    /// The first failure cancels the tasks still running (their requests are cancelled too) and
    /// is rethrown; no new task starts after it.
    static func map<Element: Sendable, Result: Sendable>(
        _ items: [Element], concurrency: Int,
        _ body: @escaping @Sendable (Element) async throws -> Result
    ) async throws -> [Result] {
        guard !items.isEmpty else { return [] }
        return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            func startNext() {
                let index = next
                let item = items[index]
                group.addTask { (index, try await body(item)) }
                next += 1
            }
            while next < min(max(concurrency, 1), items.count) { startNext() }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < items.count { startNext() }
            }
            return results.map { $0! }
        }
    }
}

/// A running byte count reported to a progress callback. The callback is called under the
/// lock, so it sees totals in increasing order even when parts finish on several threads; it
/// must be quick (update a counter, not draw).
final class S3ProgressCounter: Sendable {
    private let total = LockedValue<Int64>(0)
    private let report: (@Sendable (Int64) -> Void)?

    init(_ report: (@Sendable (Int64) -> Void)?) {
        self.report = report
    }

    func add(_ bytes: Int64) {
        total.withLock { value in
            value += bytes
            report?(value)
        }
    }

    var value: Int64 { total.withLock { $0 } }
}
