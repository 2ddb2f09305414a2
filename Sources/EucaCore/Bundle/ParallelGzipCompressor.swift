import CZlib
import Foundation

/// gzip compression on every core, as pigz does it, producing one ordinary gzip stream.
///
/// The input is cut into blocks (1 MiB by default). Each block is deflated on its own, on
/// whichever worker thread is free, primed with the 32 KiB of input before it as the deflate
/// dictionary so that compression barely suffers from the cuts. Every block but the last ends
/// with a sync flush (an empty stored block, which leaves the bit stream byte-aligned and
/// without the final-block bit), the last with a normal finish, so the blocks concatenate into
/// a single valid deflate stream. The CRC-32 of each block is computed by its worker and the
/// pieces are joined with `crc32_combine`, giving the gzip trailer without a second pass.
///
/// Three kinds of threads: the caller fills blocks (`write`, or `fill` to write straight into
/// the block buffer); the workers compress; one writer thread hands the compressed blocks to
/// `output` strictly in order (header and trailer included) and recycles their buffers. So the
/// caller's own work (reading, hashing) overlaps with whatever `output` does (encrypting,
/// writing). Memory is bounded: a fixed set of blocks is in flight, and the caller waits for a
/// free one when all are busy. `output` runs on the writer thread; an error it throws ends the
/// stream and comes back from the caller's next `write`/`fill`/`finish`.
///
/// A block of zeros whose dictionary is zeros too always deflates to the same bytes; those are
/// computed once and reused, which makes the empty stretches of disk images nearly free.
///
/// One producer: `write`, `fill`, `finish` and `shutdown` are called by the thread that owns
/// the compressor, whose state (the current block, counters) they change without locks. The
/// type is deliberately not `Sendable`, so the compiler keeps it from being shared; the
/// worker and writer threads see only the channels, the reorder buffer and `WriterState`,
/// which synchronise themselves.
public final class ParallelGzipCompressor {
    public struct Configuration: Sendable {
        /// Input bytes per independently deflated block (at least 64 KiB).
        public var blockSize: Int
        /// zlib compression level, 1–9; gzip's and euca2ools' default is 6.
        public var level: Int
        /// Compressing threads (default: one per core).
        public var workers: Int
        /// Blocks read ahead or waiting to be written, in addition to one per worker.
        public var extraBlocksInFlight: Int
        /// Store blocks that cannot be compressed (random or already compressed data) instead
        /// of running the compressor over them: the output is no bigger, and such data costs
        /// about as much CPU to "compress" as text. See `IncompressibleCheck`.
        public var storeIncompressible: Bool

        public init(blockSize: Int = 1 << 20, level: Int = 6,
                    workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                    extraBlocksInFlight: Int? = nil, storeIncompressible: Bool = true) {
            self.blockSize = max(blockSize, 64 << 10)
            self.level = min(max(level, 1), 9)
            self.workers = max(workers, 1)
            self.extraBlocksInFlight = extraBlocksInFlight ?? max(2 * self.workers, 4) + 2
            self.storeIncompressible = storeIncompressible
        }
    }

    static let dictionarySize = 32 << 10

    public let configuration: Configuration
    private let work: PipelineChannel<DeflateJob>
    private let free: PipelineChannel<DeflateJob>
    private let completed: ReorderBuffer<DeflateJob>
    private let failure = FirstError()
    private var threads: [PipelineThread] = []
    private var writer: PipelineThread?
    private let writerState: WriterState
    private var current: DeflateJob?
    private var nextSequence = 0
    private let tail: ByteBuffer
    private var finished = false
    private var shutDown = false
    /// Where the time went (for tuning): workers' waiting and working, the caller's waiting.
    let stats = PipelineStats()

    /// Bytes given to `write` so far.
    public private(set) var uncompressedCount: UInt64 = 0
    /// Bytes handed to `output` (header and trailer included); final once `finish` returned.
    public var compressedCount: UInt64 { writerState.compressedCount }

    public init(configuration: Configuration = Configuration(),
                output: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.configuration = configuration
        let jobCount = configuration.workers + configuration.extraBlocksInFlight
        work = PipelineChannel(capacity: jobCount)
        free = PipelineChannel(capacity: jobCount)
        completed = ReorderBuffer()
        tail = ByteBuffer(capacity: Self.dictionarySize)
        for _ in 0..<jobCount {
            free.send(DeflateJob(blockSize: configuration.blockSize))
        }
        let cache = ZeroBlockCache(level: configuration.level)
        let work = self.work, free = self.free, completed = self.completed, failure = self.failure
        let stats = self.stats
        for index in 0..<configuration.workers {
            let level = configuration.level
            let store = configuration.storeIncompressible
            threads.append(PipelineThread(name: "gzip-\(index)") {
                let deflater = Deflater(level: level, storeIncompressible: store)
                var waited: UInt64 = 0
                var worked: UInt64 = 0
                var mark = DispatchTime.now().uptimeNanoseconds
                while let job = work.receive() {
                    let start = DispatchTime.now().uptimeNanoseconds
                    waited += start - mark
                    deflater.compress(job, cache: cache)
                    completed.put(job.sequence, job)
                    mark = DispatchTime.now().uptimeNanoseconds
                    worked += mark - start
                }
                stats.add("worker \(index)", waited: waited, worked: worked)
            })
        }
        let state = WriterState(output: output)
        writerState = state
        writer = PipelineThread(name: "gzip-writer") {
            do {
                try state.run(completed: completed, free: free, stats: stats)
            } catch {
                failure.record(error)
                free.cancel()
                work.cancel()
                completed.cancel()
            }
        }
    }

    deinit {
        shutdown()
    }

    /// Compresses `bytes` (copied into the current block).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            offset += try fill { space in
                let count = min(space.count, bytes.count - offset)
                space.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
                return count
            }
        }
    }

    /// Lets `body` write input straight into the current block (no copy): it gets the block's
    /// free space and returns how many bytes it wrote there. Returns that count.
    @discardableResult
    func fill(_ body: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Int {
        precondition(!finished, "ParallelGzipCompressor used after finish")
        if current == nil { current = try acquire() }
        let job = current!
        let start = Self.dictionarySize + job.count
        let space = UnsafeMutableRawBufferPointer(start: job.input.base + start,
                                                  count: configuration.blockSize - job.count)
        let written = try body(space)
        precondition(written >= 0 && written <= space.count)
        job.count += written
        uncompressedCount += UInt64(written)
        if job.count == configuration.blockSize {
            current = nil
            try submit(job, isLast: false)
        }
        return written
    }

    /// Compresses what is left, waits for the writer to deliver everything (the trailer last)
    /// and stops the threads.
    public func finish() throws {
        precondition(!finished, "ParallelGzipCompressor.finish called twice")
        let job = try current ?? acquire()
        current = nil
        try submit(job, isLast: true)
        finished = true
        writer?.join()
        writer = nil
        shutdown()
        if let error = failure.error { throw error }
    }

    /// Stops every thread without finishing the stream (after an error). Idempotent.
    public func shutdown() {
        guard !shutDown else { return }
        shutDown = true
        if finished && failure.error == nil {
            work.close()
        } else {
            work.cancel()
            free.cancel()
            completed.cancel()
        }
        for thread in threads { thread.join() }
        writer?.join()
        writer = nil
    }

    // MARK: - Pipeline

    private func acquire() throws -> DeflateJob {
        let start = DispatchTime.now().uptimeNanoseconds
        let job = free.receive()
        stats.add("caller", waited: DispatchTime.now().uptimeNanoseconds - start, worked: 0)
        guard let job else { throw failure.error ?? CancellationError() }
        job.count = 0
        return job
    }

    private func submit(_ job: DeflateJob, isLast: Bool) throws {
        job.sequence = nextSequence
        nextSequence += 1
        job.isLast = isLast
        // The dictionary: the last 32 KiB of input before this block (blocks are at least
        // 64 KiB, so that is the end of the previous block, kept in `tail`).
        job.dictionaryCount = tail.count
        if tail.count > 0 {
            (job.input.base + Self.dictionarySize - tail.count).copyMemory(from: tail.base, byteCount: tail.count)
        }
        let keep = min(job.count, Self.dictionarySize)
        tail.base.copyMemory(from: job.input.base + Self.dictionarySize + job.count - keep, byteCount: keep)
        tail.count = keep
        guard work.send(job) else { throw failure.error ?? CancellationError() }
    }

    /// The writer thread's state: delivers blocks in order, then the trailer.
    final class WriterState: @unchecked Sendable {
        let output: (UnsafeRawBufferPointer) throws -> Void
        private let lock = NSLock()
        private var delivered: UInt64 = 0

        init(output: @escaping (UnsafeRawBufferPointer) throws -> Void) {
            self.output = output
        }

        var compressedCount: UInt64 {
            lock.lock()
            defer { lock.unlock() }
            return delivered
        }

        func run(completed: ReorderBuffer<DeflateJob>, free: PipelineChannel<DeflateJob>,
                 stats: PipelineStats) throws {
            var crc: UInt = 0
            var length: UInt64 = 0
            var sequence = 0
            var waited: UInt64 = 0
            while true {
                let start = DispatchTime.now().uptimeNanoseconds
                guard let job = completed.take(sequence) else { return }
                waited += DispatchTime.now().uptimeNanoseconds - start
                sequence += 1
                if let error = job.error { throw error }
                if job.sequence == 0 {
                    // gzip header: magic, deflate, no flags, no mtime, no extra flags, OS = Unix.
                    try deliver([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03])
                }
                crc = crc32_combine(crc, job.crc, Int(job.count))
                length += UInt64(job.count)
                let compressed = job.compressed
                try output(compressed)
                add(compressed.count)
                let last = job.isLast
                free.send(job)
                if last { break }
            }
            var trailer = [UInt8](repeating: 0, count: 8)
            for index in 0..<4 {
                trailer[index] = UInt8(truncatingIfNeeded: UInt32(crc) >> (8 * index))
                trailer[4 + index] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(index)))
            }
            try deliver(trailer)
            stats.add("writer", waited: waited, worked: 0)
        }

        private func deliver(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try output($0) }
            add(bytes.count)
        }

        private func add(_ count: Int) {
            lock.lock()
            delivered += UInt64(count)
            lock.unlock()
        }
    }
}

/// One block's input (with room for its dictionary in front) and its compressed output.
final class DeflateJob: @unchecked Sendable {
    let input: ByteBuffer
    var output: ByteBuffer
    var count = 0
    var dictionaryCount = 0
    var sequence = 0
    var isLast = false
    var crc: UInt = 0
    var error: Error?
    /// Set when the output is a shared, read-only cached block rather than `output`.
    var cached: ByteBuffer?

    init(blockSize: Int) {
        input = ByteBuffer(capacity: ParallelGzipCompressor.dictionarySize + blockSize)
        output = ByteBuffer(capacity: blockSize + blockSize / 16 + 1024)
    }

    var data: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: input.base + ParallelGzipCompressor.dictionarySize, count: count)
    }

    var compressed: UnsafeRawBufferPointer {
        (cached ?? output).bytes
    }
}

/// A raw-deflate stream owned by one worker thread, reset for every block. z_stream must not
/// move once initialised (zlib keeps a pointer back to it), hence the heap allocation.
final class Deflater {
    private let stream: UnsafeMutablePointer<z_stream>
    /// Level 0 (stored blocks) for incompressible data, and level 1 for the trial.
    private let storer: UnsafeMutablePointer<z_stream>?
    private let trial: UnsafeMutablePointer<z_stream>?
    private let trialOutput: ByteBuffer?
    let level: Int32

    init(level: Int, storeIncompressible: Bool = false) {
        self.level = Int32(level)
        stream = Deflater.makeStream(level: self.level)
        storer = storeIncompressible ? Deflater.makeStream(level: 0) : nil
        trial = storeIncompressible ? Deflater.makeStream(level: 1) : nil
        trialOutput = storeIncompressible ? ByteBuffer(capacity: IncompressibleCheck.trialSize * 2) : nil
    }

    static func makeStream(level: Int32) -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed (\(status)): out of memory")
        return stream
    }

    deinit {
        for stream in [stream, storer, trial].compactMap({ $0 }) {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
    }

    func compress(_ job: DeflateJob, cache: ZeroBlockCache) {
        job.error = nil
        job.cached = nil
        let data = job.data
        let zero = ZeroBytes.allZero(data)
        job.crc = zero ? cache.crc(ofZeros: data.count)
            : crc32_z(0, data.baseAddress!.bindMemory(to: UInt8.self, capacity: data.count), data.count)
        if zero, !job.isLast, job.dictionaryCount == ParallelGzipCompressor.dictionarySize,
           ZeroBytes.allZero(job.input.base, count: ParallelGzipCompressor.dictionarySize) {
            job.cached = cache.block(count: data.count, using: self)
            return
        }
        do {
            if let storer, let trial, let trialOutput,
               IncompressibleCheck.looksIncompressible(data, trial: trial, scratch: trialOutput) {
                try deflate(job, with: storer, dictionary: false)
            } else {
                try deflate(job)
            }
        } catch {
            job.error = error
        }
    }

    /// Deflates `job.data` after priming with its dictionary, into `job.output`.
    func deflate(_ job: DeflateJob) throws {
        try deflate(job, with: stream, dictionary: true)
    }

    func deflate(_ job: DeflateJob, with stream: UnsafeMutablePointer<z_stream>, dictionary: Bool) throws {
        guard deflateReset(stream) == Z_OK else { throw GzipError("deflateReset failed") }
        if dictionary && job.dictionaryCount > 0 {
            let dictionary = job.input.base + ParallelGzipCompressor.dictionarySize - job.dictionaryCount
            guard deflateSetDictionary(stream, dictionary.assumingMemoryBound(to: UInt8.self),
                                       uInt(job.dictionaryCount)) == Z_OK else {
                throw GzipError("deflateSetDictionary failed")
            }
        }
        let data = job.data
        stream.pointee.next_in = UnsafeMutablePointer(mutating: data.baseAddress?.bindMemory(to: UInt8.self, capacity: data.count))
        stream.pointee.avail_in = uInt(data.count)
        let flush = job.isLast ? Z_FINISH : Z_SYNC_FLUSH
        var produced = 0
        while true {
            if produced == job.output.capacity {
                // Incompressible data can need a little more than the input size; grow.
                let bigger = ByteBuffer(capacity: job.output.capacity * 2)
                bigger.base.copyMemory(from: job.output.base, byteCount: produced)
                job.output = bigger
            }
            stream.pointee.next_out = (job.output.base + produced).assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = uInt(job.output.capacity - produced)
            let status = CZlib.deflate(stream, flush)
            produced = job.output.capacity - Int(stream.pointee.avail_out)
            if status == Z_STREAM_END { break }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw GzipError("deflate failed (\(status))")
            }
            if status == Z_BUF_ERROR && stream.pointee.avail_out > 0 {
                if job.isLast { throw GzipError("deflate made no progress") }
                break
            }
            if !job.isLast && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { break }
        }
        job.output.count = produced
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
    }

    /// Compresses a block of zeros after a dictionary of zeros (for the cache).
    func zeroBlock(count: Int) -> ByteBuffer {
        let job = DeflateJob(blockSize: count)
        memset(job.input.base, 0, job.input.capacity)
        job.count = count
        job.dictionaryCount = ParallelGzipCompressor.dictionarySize
        do {
            try deflate(job)
        } catch {
            preconditionFailure("deflating zeros failed: \(error)")
        }
        return job.output
    }
}

/// Deflated all-zero blocks and their CRC-32 by size, shared by the workers: the stretches of
/// zeros in disk images then cost a zero check and nothing else.
final class ZeroBlockCache: @unchecked Sendable {
    private let lock = NSLock()
    private var blocks: [Int: ByteBuffer] = [:]
    private var crcs: [Int: UInt] = [:]

    func crc(ofZeros count: Int) -> UInt {
        lock.lock()
        if let crc = crcs[count] {
            lock.unlock()
            return crc
        }
        lock.unlock()
        let zeros = [UInt8](repeating: 0, count: count)
        let crc = zeros.withUnsafeBufferPointer { crc32_z(0, $0.baseAddress, count) }
        lock.lock()
        crcs[count] = crc
        lock.unlock()
        return crc
    }
    let level: Int

    init(level: Int) {
        self.level = level
    }

    func block(count: Int, using deflater: Deflater) -> ByteBuffer {
        lock.lock()
        if let block = blocks[count] {
            lock.unlock()
            return block
        }
        lock.unlock()
        let block = deflater.zeroBlock(count: count)
        lock.lock()
        blocks[count] = block
        lock.unlock()
        return block
    }
}

/// Results that arrive out of order, taken in order.
final class ReorderBuffer<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var slots: [Int: Element] = [:]
    private var cancelled = false

    func put(_ sequence: Int, _ element: Element) {
        condition.lock()
        slots[sequence] = element
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for element `sequence`; nil if cancelled.
    func take(_ sequence: Int) -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while slots[sequence] == nil && !cancelled { condition.wait() }
        return slots.removeValue(forKey: sequence)
    }

    func tryTake(_ sequence: Int) -> Element? {
        condition.lock()
        defer { condition.unlock() }
        return slots.removeValue(forKey: sequence)
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A gzip or deflate failure.
public struct GzipError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Decides cheaply whether a block is worth compressing. Random and already-compressed data
/// (encrypted volumes, compressed files inside an image) has about 8 bits of information per
/// byte and no repeats; deflate spends as long failing to compress it as it spends on text,
/// then emits it stored anyway. Two tests, both on small samples: the byte entropy of eight
/// 4 KiB windows spread over the block, and — only if that is near 8 bits — a trial compression
/// of the first 32 KiB at level 1, which would find the repeats entropy cannot see.
enum IncompressibleCheck {
    static let window = 4096
    static let windows = 8
    static let trialSize = 32 << 10
    /// Bits per byte above which a sample looks random.
    static let entropyThreshold = 7.9
    /// Compressed/original ratio of the trial above which the block is stored.
    static let ratioThreshold = 0.98

    static func looksIncompressible(_ data: UnsafeRawBufferPointer, trial: UnsafeMutablePointer<z_stream>,
                                    scratch: ByteBuffer) -> Bool {
        guard data.count >= window * windows, entropy(data) >= entropyThreshold else { return false }
        let sample = min(data.count, trialSize)
        guard deflateReset(trial) == Z_OK else { return false }
        trial.pointee.next_in = UnsafeMutablePointer(mutating: data.baseAddress!.bindMemory(to: UInt8.self, capacity: data.count))
        trial.pointee.avail_in = uInt(sample)
        trial.pointee.next_out = scratch.base.assumingMemoryBound(to: UInt8.self)
        trial.pointee.avail_out = uInt(scratch.capacity)
        let status = deflate(trial, Z_FINISH)
        let produced = scratch.capacity - Int(trial.pointee.avail_out)
        trial.pointee.next_in = nil
        trial.pointee.next_out = nil
        guard status == Z_STREAM_END else { return false }
        return Double(produced) >= Double(sample) * ratioThreshold
    }

    /// Order-0 entropy in bits per byte of the sample windows.
    static func entropy(_ data: UnsafeRawBufferPointer) -> Double {
        var counts = [Int](repeating: 0, count: 256)
        let stride = (data.count - window) / (windows - 1)
        counts.withUnsafeMutableBufferPointer { counts in
            for index in 0..<windows {
                let start = index * stride
                for byte in UnsafeRawBufferPointer(rebasing: data[start..<(start + window)]) {
                    counts[Int(byte)] += 1
                }
            }
        }
        let total = Double(window * windows)
        var bits = 0.0
        for count in counts where count > 0 {
            let p = Double(count) / total
            bits -= p * log2(p)
        }
        return bits
    }
}

/// Accumulated waiting and working time per pipeline thread, for tuning (`EUCA_BUNDLE_STATS`).
final class PipelineStats: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (waited: UInt64, worked: UInt64)] = [:]

    func add(_ name: String, waited: UInt64, worked: UInt64) {
        lock.lock()
        let old = entries[name] ?? (0, 0)
        entries[name] = (old.waited + waited, old.worked + worked)
        lock.unlock()
    }

    var summary: String {
        lock.lock()
        defer { lock.unlock() }
        return entries.keys.sorted().map { name in
            let entry = entries[name]!
            return "\(name): waited \(String(format: "%.2f", Double(entry.waited) / 1e9)) s, worked \(String(format: "%.2f", Double(entry.worked) / 1e9)) s"
        }.joined(separator: "; ")
    }
}
