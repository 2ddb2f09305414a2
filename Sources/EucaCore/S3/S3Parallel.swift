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
        try await map(items, concurrency: concurrency, prepare: { _ in () }) { item, _ in try await body(item) }
    }

    /// As `map(_:concurrency:_:)`, with a CPU-bound step that runs one element ahead of the
    /// ones started: while `concurrency` requests are in flight, the next element's `prepare`
    /// (hashing a part to sign it) is already running, so even one request at a time keeps
    /// the connection busy. Only one element is ever prepared ahead, so nothing piles up.
    static func map<Element: Sendable, Prepared: Sendable, Result: Sendable>(
        _ items: [Element], concurrency: Int,
        prepare: @escaping @Sendable (Element) throws -> Prepared,
        _ body: @escaping @Sendable (Element, Prepared) async throws -> Result
    ) async throws -> [Result] {
        guard !items.isEmpty else { return [] }
        var ahead: [Int: Task<Prepared, any Error>] = [:]
        defer { ahead.values.forEach { $0.cancel() } }
        return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            func preparing(_ index: Int) -> Task<Prepared, any Error> {
                if let task = ahead.removeValue(forKey: index) { return task }
                let item = items[index]
                return Task { try prepare(item) }
            }
            func startNext() {
                let index = next
                let item = items[index]
                let prepared = preparing(index)
                if index + 1 < items.count, ahead[index + 1] == nil {
                    let following = items[index + 1]
                    ahead[index + 1] = Task { try prepare(following) }
                }
                group.addTask { (index, try await body(item, try await prepared.value)) }
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
