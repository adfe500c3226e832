import Foundation

/// Calls made on one thread, carried out in the same order on a thread of
/// their own: the plumbing of SinkThread and FrameThread.
///
/// Calls travel in batches with a bounded number in flight (BoundedQueue),
/// so memory stays bounded and the caller waits when the other side lags.
final class OrderedHandoff<Call> {
    /// Moves `apply` (and what it holds) to the thread: nothing else calls
    /// it until `finish` has returned.
    private final class Handoff: @unchecked Sendable {
        let apply: (Call) -> Void
        init(_ apply: @escaping (Call) -> Void) { self.apply = apply }
    }

    private let batchSize: Int
    private let queue: BoundedQueue<[Call]?>
    private let finished = DispatchSemaphore(value: 0)
    private var pending: [Call] = []
    private var done = false

    init(name: String, batchSize: Int, inFlight: Int, apply: @escaping (Call) -> Void) {
        self.batchSize = batchSize
        queue = BoundedQueue(capacity: inFlight)
        pending.reserveCapacity(batchSize)
        let queue = self.queue, finished = self.finished, handoff = Handoff(apply)
        let thread = Thread {
            defer { finished.signal() }
            while let calls = queue.take() {
                for call in calls { handoff.apply(call) }
            }
        }
        thread.name = name
        thread.start()
    }

    func add(_ call: Call) {
        pending.append(call)
        if pending.count >= batchSize {
            _ = queue.put(pending)
            pending = []
            pending.reserveCapacity(batchSize)
        }
    }

    /// Hands over what is left and waits until every call has been carried out.
    func finish() {
        guard !done else { return }
        done = true
        if !pending.isEmpty { _ = queue.put(pending) }
        pending = []
        _ = queue.put(nil)
        finished.wait()
    }

    deinit { finish() }
}
