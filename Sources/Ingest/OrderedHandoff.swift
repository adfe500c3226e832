import Foundation
import Frames

/// Calls made on one thread, carried out in the same order on a thread of
/// their own: the plumbing of SinkThread and FrameThread.
///
/// Calls travel in batches with a bounded number in flight (BoundedQueue),
/// so memory stays bounded and the caller waits when the other side lags.
///
/// Each call is moved into its batch and moved out of it to `apply`, never
/// copied. Why: through an array, every message was copied into the batch
/// and again out of it, and each copy retained its strings and buffers and
/// each drop released them, atomically, on both threads (perf of the 250 MB
/// benchmark ingest: about 2% of all CPU time in retains of the calls
/// alone, and as much again in the releases).
final class OrderedHandoff<Call> {
    /// Moves `apply` (and what it holds) to the thread: nothing else calls
    /// it until `finish` has returned.
    private final class Handoff: @unchecked Sendable {
        let apply: (consuming Call) -> Void
        init(_ apply: @escaping (consuming Call) -> Void) { self.apply = apply }
    }

    /// Calls in storage of their own, filled by the caller's thread and then
    /// handed whole to the other, which empties it: one thread at a time.
    private final class Batch {
        private let base: UnsafeMutablePointer<Call>
        private let capacity: Int
        private(set) var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        var isFull: Bool { count == capacity }

        func append(_ call: consuming Call) {
            (base + count).initialize(to: consume call)
            count += 1
        }

        /// Moves every call out, in order, to `body`.
        func drain(_ body: (consuming Call) -> Void) {
            let n = count
            count = 0
            for i in 0..<n { body((base + i).move()) }
        }

        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }

    private enum Item {
        case calls(Batch)
        /// Signalled once every call before it has been carried out.
        case barrier(DispatchSemaphore)
        case end
    }

    private let batchSize: Int
    private let queue: BoundedQueue<Item>
    private let finished = DispatchSemaphore(value: 0)
    private var pending: Batch
    private var done = false

    init(name: String, batchSize: Int, inFlight: Int, apply: @escaping (consuming Call) -> Void) {
        self.batchSize = batchSize
        queue = BoundedQueue(capacity: inFlight)
        pending = Batch(capacity: batchSize)
        let queue = self.queue, finished = self.finished, handoff = Handoff(apply)
        startThread(named: name) {
            defer { finished.signal() }
            while true {
                switch queue.take() {
                case .calls(let calls): calls.drain(handoff.apply)
                case .barrier(let reached): reached.signal()
                case .end: return
                }
            }
        }
    }

    func add(_ call: consuming Call) {
        pending.append(consume call)
        if pending.isFull { handOver() }
    }

    /// Puts the pending batch in the queue (when it holds any) and starts another.
    private func handOver() {
        guard pending.count > 0 else { return }
        _ = queue.put(.calls(pending))
        pending = Batch(capacity: batchSize)
    }

    /// Waits until every call so far has been carried out; until the next
    /// `add`, the other thread touches nothing (so the caller may use what
    /// `apply` writes to, e.g. to commit or flush).
    func sync() {
        guard !done else { return }
        handOver()
        let reached = DispatchSemaphore(value: 0)
        _ = queue.put(.barrier(reached))
        reached.wait()
    }

    /// Hands over what is left and waits until every call has been carried out.
    func finish() {
        guard !done else { return }
        done = true
        handOver()
        _ = queue.put(.end)
        finished.wait()
    }

    deinit { finish() }
}
