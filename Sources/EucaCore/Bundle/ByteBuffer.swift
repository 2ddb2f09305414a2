import Foundation

/// A fixed-capacity byte buffer on the heap, handed between the threads of a bundling pipeline
/// and reused: no zero-filling, no copy-on-write, no reallocation. One thread owns a buffer at a
/// time (the pipeline passes ownership along with the buffer), hence `@unchecked Sendable`.
///
/// The memory is bound to `UInt8` once, when allocated, so that handing `base` (or a pointer
/// into it) to zlib and libcrypto as `UInt8` pointers with `assumingMemoryBound` is defined;
/// raw memory that was never bound must not be assumed bound.
final class ByteBuffer: @unchecked Sendable {
    let capacity: Int
    let base: UnsafeMutableRawPointer
    /// Bytes in use, from `base`.
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1), alignment: 64)
        base.bindMemory(to: UInt8.self, capacity: max(capacity, 1))
    }

    deinit {
        base.deallocate()
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    var whole: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: base, count: capacity)
    }
}

/// Zero detection at memory speed: if the first 16 bytes are zero and every byte equals the one
/// 16 bytes after it, all bytes are zero, and `memcmp` checks the latter in one vectorised pass.
enum ZeroBytes {
    static func allZero(_ pointer: UnsafeRawPointer, count: Int) -> Bool {
        if count <= 0 { return true }
        let head = min(count, 16)
        for index in 0..<head where pointer.load(fromByteOffset: index, as: UInt8.self) != 0 {
            return false
        }
        if count <= 16 { return true }
        return memcmp(pointer, pointer + 16, count - 16) == 0
    }

    static func allZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        return allZero(base, count: bytes.count)
    }
}
