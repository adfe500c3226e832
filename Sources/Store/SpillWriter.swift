import Foundation
import Frames

/// Writes a gathering history spill's flushes on a thread of its own:
/// each flush is copied into one block, and the block written while the
/// store writer goes on.
///
/// Why: the spill is 177 MB written to a new file for the 250 MB benchmark
/// capture, about 0.2 s of system time, and the thread that wrote it was
/// the store writer, the busiest of the decoding pass; that pass leaves
/// about a tenth of both cores idle (`perf sched timehist`), where these
/// writes can go instead.
///
/// Memory: two blocks, one filled while the other is written, each the
/// size of a flush (the gathering budget, 2 MiB, and one record).
final class SpillWriter: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    /// Blocks free to fill, and blocks waiting to be written.
    private let free = DispatchSemaphore(value: 2)
    private let ready = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var blocks: [SpillBuffer] = [SpillBuffer(), SpillBuffer()]
    private var idle: [Int] = [0, 1]
    private var queue: [(block: Int, offset: Int64)] = []
    private var stopping = false
    private var finished = false
    private var failure: String?

    init(fd: Int32) {
        self.fd = fd
        startThread(named: "spill-writer") { [self] in run() }
    }

    deinit {
        _ = finish()
        for i in blocks.indices { blocks[i].free() }
    }

    /// Copies `parts` into a free block (waiting for one) and queues it to
    /// be written at `offset`.
    func write(_ parts: [UnsafeRawBufferPointer], at offset: Int64) {
        free.wait()
        lock.lock()
        let b = idle.removeLast()
        lock.unlock()
        // The block is this thread's until it is queued.
        blocks[b].count = 0
        for p in parts where p.count > 0 {
            blocks[b].grow(by: p.count).copyMemory(from: p.baseAddress!, byteCount: p.count)
        }
        lock.lock()
        queue.append((b, offset))
        lock.unlock()
        ready.signal()
    }

    /// Waits until every queued block is written and stops the thread; the
    /// first write's failure, if any. Calling it again returns the same.
    func finish() -> String? {
        lock.lock()
        let first = !finished
        finished = true
        stopping = true
        lock.unlock()
        if first {
            ready.signal()
            done.wait()
        }
        lock.lock()
        defer { lock.unlock() }
        return failure
    }

    private func run() {
        defer { done.signal() }
        while true {
            ready.wait()
            lock.lock()
            if queue.isEmpty {
                let stop = stopping
                lock.unlock()
                if stop { return }
                continue
            }
            let (b, offset) = queue.removeFirst()
            let failed = failure != nil
            lock.unlock()
            if !failed, let why = blocks[b].write(to: fd, at: offset) {
                lock.lock()
                failure = why
                lock.unlock()
            }
            lock.lock()
            idle.append(b)
            lock.unlock()
            free.signal()
        }
    }
}
