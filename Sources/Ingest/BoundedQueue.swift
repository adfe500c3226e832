import Foundation

/// A blocking first-in first-out queue between one producer thread and one
/// consumer, holding at most `capacity` items: the producer waits while it is
/// full, so what is in flight stays bounded whatever the input's size.
///
/// A ring of `capacity` slots, each emptied as its item is taken: the queue
/// never keeps a reference to an item the consumer has. Why: it kept the
/// taken items in an array compacted every 64 takes, so up to 64 items more
/// than `capacity` stayed alive (64 batches of 512 decoded messages in the
/// decoding pass), and the last reference to them, and so their freeing,
/// fell to the consumer's compaction instead of to whoever was done last
/// (the history's reader frees what the trackers hand back, HistoryFeed).
///
/// `@unchecked Sendable`: every access to the items is under the condition's
/// lock; an element is handed from one thread to the other, never shared.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var slots: [Element?]
    /// The slot of the oldest item, and how many items there are.
    private var head = 0
    private var count = 0
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity > 0)
        slots = Array(repeating: nil, count: capacity)
    }

    /// Appends `item`, waiting for room. False once the consumer has
    /// cancelled: the producer should stop.
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count == slots.count && !cancelled { condition.wait() }
        if cancelled { return false }
        slots[(head + count) % slots.count] = item
        count += 1
        condition.broadcast()
        return true
    }

    /// The oldest item, waiting for one.
    func take() -> Element {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 { condition.wait() }
        let item = slots[head].take()!
        head = (head + 1) % slots.count
        count -= 1
        condition.broadcast()
        return item
    }

    /// The consumer stops taking: a waiting producer is woken and told to stop.
    func cancel() {
        condition.lock()
        cancelled = true
        for i in slots.indices { slots[i] = nil }
        head = 0
        count = 0
        condition.broadcast()
        condition.unlock()
    }
}
