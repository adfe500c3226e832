import Foundation

/// A blocking first-in first-out queue between one producer thread and one
/// consumer, holding at most `capacity` items: the producer waits while it is
/// full, so what is in flight stays bounded whatever the input's size.
///
/// `@unchecked Sendable`: every access to the items is under the condition's
/// lock; an element is handed from one thread to the other, never shared.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private let capacity: Int
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Appends `item`, waiting for room. False once the consumer has
    /// cancelled: the producer should stop.
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The oldest item, waiting for one.
    func take() -> Element {
        condition.lock()
        defer { condition.unlock() }
        while items.count == head { condition.wait() }
        let item = items[head]
        head += 1
        if head >= 64 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// The consumer stops taking: a waiting producer is woken and told to stop.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}
