import Foundation
import Frames

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

    private enum Item {
        case calls([Call])
        /// Signalled once every call before it has been carried out.
        case barrier(DispatchSemaphore)
        case end
    }

    private let batchSize: Int
    private let queue: BoundedQueue<Item>
    private let finished = DispatchSemaphore(value: 0)
    private var pending: [Call] = []
    private var done = false

    init(name: String, batchSize: Int, inFlight: Int, apply: @escaping (Call) -> Void) {
        self.batchSize = batchSize
        queue = BoundedQueue(capacity: inFlight)
        pending.reserveCapacity(batchSize)
        let queue = self.queue, finished = self.finished, handoff = Handoff(apply)
        startThread(named: name) {
            defer { finished.signal() }
            while true {
                switch queue.take() {
                case .calls(let calls): for call in calls { handoff.apply(call) }
                case .barrier(let reached): reached.signal()
                case .end: return
                }
            }
        }
    }

    func add(_ call: Call) {
        pending.append(call)
        if pending.count >= batchSize {
            _ = queue.put(.calls(pending))
            pending = []
            pending.reserveCapacity(batchSize)
        }
    }

    /// Waits until every call so far has been carried out; until the next
    /// `add`, the other thread touches nothing (so the caller may use what
    /// `apply` writes to, e.g. to commit or flush).
    func sync() {
        guard !done else { return }
        if !pending.isEmpty { _ = queue.put(.calls(pending)) }
        pending = []
        pending.reserveCapacity(batchSize)
        let reached = DispatchSemaphore(value: 0)
        _ = queue.put(.barrier(reached))
        reached.wait()
    }

    /// Hands over what is left and waits until every call has been carried out.
    func finish() {
        guard !done else { return }
        done = true
        if !pending.isEmpty { _ = queue.put(.calls(pending)) }
        pending = []
        _ = queue.put(.end)
        finished.wait()
    }

    deinit { finish() }
}
