import Foundation

/// A bounded first-in-first-out hand-off between two pipeline threads. `send` blocks while the
/// channel is full, `receive` while it is empty; `close` lets the receiver drain what is left and
/// then see the end, `cancel` wakes everyone at once and makes every later call return at once.
final class PipelineChannel<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private let capacity: Int
    private var closed = false
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        items.reserveCapacity(capacity)
    }

    /// False if the channel was cancelled (the element is dropped).
    @discardableResult
    func send(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        precondition(!closed, "PipelineChannel.send after close")
        if head > 0 && head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        items.append(element)
        condition.broadcast()
        return true
    }

    /// The next element; nil once the channel is closed and drained, or cancelled.
    func receive() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed && !cancelled { condition.wait() }
        if cancelled || head == items.count { return nil }
        let element = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        condition.broadcast()
        return element
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}

/// The first error any pipeline thread hit; later errors are consequences and are dropped.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?

    /// Records `error` if it is the first; returns whether it was.
    @discardableResult
    func record(_ error: Error) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if stored == nil {
            stored = error
            return true
        }
        return false
    }

    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// Starts `body` on a new thread with a large enough stack and returns a handle to wait for it.
final class PipelineThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            body()
            done.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    func join() {
        done.wait()
    }
}
