import Foundation
import Testing
@testable import EucaCore

/// The parts of S3Transfer that need no server: bounded parallelism, progress, prefixes.
@Suite struct S3TransferUnitTests {
    @Test func parallelMapKeepsOrderAndBoundsConcurrency() async throws {
        let running = LockedValue((now: 0, peak: 0))
        let results = try await S3Parallel.map(Array(0..<40), concurrency: 3) { value in
            running.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
            try await Task.sleep(nanoseconds: UInt64.random(in: 100_000...2_000_000))
            running.withLock { $0.now -= 1 }
            return value * 2
        }
        #expect(results == Array(0..<40).map { $0 * 2 })
        #expect(running.withLock { $0.peak } == 3)
        #expect(try await S3Parallel.map([Int](), concurrency: 3) { $0 }.isEmpty)
    }

    @Test func preparationRunsOneElementAheadAndOncePerElement() async throws {
        // prepared: elements whose `prepare` ran; finished: elements whose body ended.
        let log = LockedValue((prepared: [Int](), finished: 0, furthestAhead: 0))
        let results = try await S3Parallel.map(Array(0..<30), concurrency: 1, prepare: { value in
            log.withLock { $0.prepared.append(value); $0.furthestAhead = max($0.furthestAhead, value - $0.finished) }
            return value * 10
        }) { value, prepared in
            try await Task.sleep(nanoseconds: 1_000_000)
            log.withLock { $0.finished += 1 }
            return prepared + value
        }
        #expect(results == Array(0..<30).map { $0 * 11 })
        #expect(log.withLock { $0.prepared.sorted() } == Array(0..<30), "each element prepared exactly once")
        // With one request in flight, at most the running element and the next are prepared.
        #expect(log.withLock { $0.furthestAhead } <= 1)
    }

    struct Boom: Error {}

    @Test func parallelMapStopsStartingWorkAfterAFailure() async {
        let started = LockedValue(0)
        await #expect(throws: Boom.self) {
            _ = try await S3Parallel.map(Array(0..<100), concurrency: 2) { value in
                started.withLock { $0 += 1 }
                if value == 3 { throw Boom() }
                try await Task.sleep(nanoseconds: 1_000_000)
                return value
            }
        }
        #expect(started.withLock { $0 } < 10)
    }

    @Test func progressTotalsOnlyGrow() async throws {
        let seen = LockedValue([Int64]())
        let counter = S3ProgressCounter { total in seen.withLock { $0.append(total) } }
        _ = try await S3Parallel.map(Array(1...50), concurrency: 8) { value in
            counter.add(Int64(value))
        }
        let totals = seen.withLock { $0 }
        #expect(totals.count == 50 && totals.last == 1275)
        #expect(zip(totals, totals.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func commonPrefixOfBundleKeys() {
        #expect(S3Transfer.commonPrefix(["p/img.part.0", "p/img.part.1", "p/img.manifest.xml"]) == "p/img.")
        #expect(S3Transfer.commonPrefix(["only"]) == "only")
        #expect(S3Transfer.commonPrefix(["a", "b"]) == "")
        #expect(S3Transfer.commonPrefix([]) == "")
        // é is C3 A9 and è is C3 A8: the common byte C3 must not be left dangling.
        #expect(S3Transfer.commonPrefix(["xé", "xè"]) == "x")
    }

    @Test func defaultConcurrencyIsASmallMultipleOfTheCores() {
        let value = S3Transfer.defaultConcurrency
        #expect((4...8).contains(value))
    }
}
