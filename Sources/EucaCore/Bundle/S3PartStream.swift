import Foundation

/// A bundle's parts read straight from object storage, in order, as one ciphertext stream:
/// nothing is written to disk. Parts are fetched whole and checked (length, MD5, and the
/// manifest's SHA-1; see `RemoteBundle.fetchPart`) before a byte of them is passed on, so a
/// damaged part is fetched again rather than fed to the decrypter. A window of `window` parts
/// is fetched ahead in parallel; the window moves as the reader consumes parts, which bounds
/// memory at `window` parts.
///
/// The reader (the unbundler's decrypting thread) blocks in `read` until the next part is
/// there; the fetching runs as tasks on the Swift concurrency pool.
final class S3PartStream: CiphertextSource, @unchecked Sendable {
    struct Part: Sendable {
        var key: String
        var sha1: String
    }

    private let client: S3Client
    private let bucket: String
    private let parts: [Part]
    private let window: Int
    private let condition = NSCondition()
    private var ready: [Int: Data] = [:]
    private var failure: Error?
    private var current = Data()
    private var offset = 0
    private var index = -1
    private var task: Task<Void, Never>?
    private let gate = ConsumptionGate()
    private(set) var bytesRead: UInt64 = 0

    init(client: S3Client, bucket: String, parts: [Part], window: Int) {
        self.client = client
        self.bucket = bucket
        self.parts = parts
        self.window = max(1, window)
    }

    deinit { task?.cancel() }

    /// Starts fetching.
    func start() {
        let parts = parts, window = window, gate = gate
        task = Task { [self] in
            await withTaskGroup(of: Void.self) { group in
                for number in parts.indices {
                    // Part `number` may be fetched once fewer than `window` parts are pending.
                    guard await gate.wait(untilConsumed: number - window + 1) else { break }
                    if Task.isCancelled { break }
                    group.addTask { [self] in
                        do {
                            let data = try await RemoteBundle.fetchPart(client, bucket: bucket, key: parts[number].key,
                                                                        sha1: parts[number].sha1)
                            deliver(number, .success(data))
                        } catch {
                            deliver(number, .failure(error))
                        }
                    }
                }
                await group.waitForAll()
            }
        }
    }

    /// Stops fetching (after a failure or once the reader is done).
    func cancel() {
        task?.cancel()
        gate.close()
    }

    private func deliver(_ number: Int, _ result: Result<Data, Error>) {
        condition.lock()
        switch result {
        case .success(let data): ready[number] = data
        case .failure(let error): if failure == nil { failure = error }
        }
        condition.broadcast()
        condition.unlock()
        if case .failure = result { gate.close() }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if offset < current.count {
                let count = min(buffer.count, current.count - offset)
                current.withUnsafeBytes { bytes in
                    buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
                }
                offset += count
                bytesRead += UInt64(count)
                return count
            }
            // The current part is used up: move on to the next.
            if index + 1 >= parts.count {
                current = Data()
                return 0
            }
            if let next = ready.removeValue(forKey: index + 1) {
                if index >= 0 { gate.advance() }
                index += 1
                current = next
                offset = 0
                continue
            }
            if let failure { throw failure }
            condition.wait()
        }
    }

    /// Every part was checked before it was passed on, so no part is to blame afterwards.
    func findCorruptPart() -> Error? { nil }
}

/// Lets the part fetcher wait until the reader has consumed enough parts.
final class ConsumptionGate: @unchecked Sendable {
    private let lock = NSLock()
    private var consumed = 0
    private var closed = false
    private var waiters: [(threshold: Int, continuation: CheckedContinuation<Bool, Never>)] = []

    /// Waits until at least `threshold` parts have been consumed; false if the gate was closed.
    func wait(untilConsumed threshold: Int) async -> Bool {
        await withCheckedContinuation { continuation in
            lock.lock()
            if closed {
                lock.unlock()
                continuation.resume(returning: false)
            } else if consumed >= threshold {
                lock.unlock()
                continuation.resume(returning: true)
            } else {
                waiters.append((threshold, continuation))
                lock.unlock()
            }
        }
    }

    func advance() {
        lock.lock()
        consumed += 1
        let due = waiters.filter { $0.threshold <= consumed }
        waiters.removeAll { $0.threshold <= consumed }
        lock.unlock()
        for waiter in due { waiter.continuation.resume(returning: true) }
    }

    func close() {
        lock.lock()
        closed = true
        let all = waiters
        waiters.removeAll()
        lock.unlock()
        for waiter in all { waiter.continuation.resume(returning: false) }
    }
}
