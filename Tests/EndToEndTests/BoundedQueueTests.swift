import Foundation
import Frames
@testable import Ingest
import Testing

/// The queue between two threads: order kept, at most its capacity in it,
/// nothing kept once taken, and a cancel that frees a waiting producer.
@Suite("Bounded queue")
struct BoundedQueueTests {
    final class Box: @unchecked Sendable {
        let n: Int
        init(_ n: Int) { self.n = n }
    }

    /// Many items through a small ring, producer on another thread: all
    /// arrive, in order, and the producer never runs more than the
    /// capacity ahead of the consumer.
    @Test func itemsArriveInOrderAndTheProducerWaits() {
        let queue = BoundedQueue<Int>(capacity: 3)
        let lock = NSLock()
        nonisolated(unsafe) var put = 0
        let done = DispatchSemaphore(value: 0)
        startThread(named: "test-producer") {
            for i in 0..<2_000 {
                _ = queue.put(i)
                lock.lock(); put += 1; lock.unlock()
            }
            done.signal()
        }
        var taken: [Int] = []
        var furthestAhead = 0
        for _ in 0..<2_000 {
            taken.append(queue.take())
            lock.lock(); furthestAhead = max(furthestAhead, put - taken.count); lock.unlock()
        }
        done.wait()
        #expect(taken == Array(0..<2_000))
        // Put counted after its put returns: at most capacity items wait, plus the one being put.
        #expect(furthestAhead <= 4)
    }

    /// Once taken and dropped by the consumer, an item is freed: the queue
    /// holds no reference to it (it held up to 64 taken items before).
    @Test func aTakenItemIsNotKept() {
        let queue = BoundedQueue<Box>(capacity: 4)
        weak var first: Box?
        for i in 0..<3 {
            let b = Box(i)
            if i == 0 { first = b }
            _ = queue.put(b)
        }
        #expect(first != nil)
        do {
            let taken = queue.take()
            #expect(taken.n == 0)
        }
        #expect(first == nil)
        #expect(queue.take().n == 1)
        #expect(queue.take().n == 2)
    }

    /// A producer waiting on a full queue is woken by `cancel` and told to
    /// stop; what was in the queue is let go.
    @Test func cancelReleasesAWaitingProducer() {
        let queue = BoundedQueue<Box>(capacity: 1)
        weak var held: Box?
        do {
            let b = Box(0)
            held = b
            #expect(queue.put(b))
        }
        let result = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var second = true
        startThread(named: "test-producer") {
            second = queue.put(Box(1))
            result.signal()
        }
        Thread.sleep(forTimeInterval: 0.05)
        queue.cancel()
        result.wait()
        #expect(second == false)
        #expect(held == nil)
    }
}
