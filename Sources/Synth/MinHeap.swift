// A binary min-heap: the time-ordered merge of many connections' packets.
//
// The fleet simulator emits packets slightly ahead of "now" (answers come a
// few hundred ms after calls), from many connections at once. Holding only
// the not-yet-written packets in a heap keeps memory proportional to the
// number of connections, not to the length of the capture.

public struct MinHeap<Element> {
    private var items: [Element] = []
    private let less: (Element, Element) -> Bool

    public init(less: @escaping (Element, Element) -> Bool) { self.less = less }

    public var count: Int { items.count }
    public var isEmpty: Bool { items.isEmpty }
    public var min: Element? { items.first }

    public mutating func push(_ e: Element) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if less(items[i], items[parent]) { items.swapAt(i, parent); i = parent } else { break }
        }
    }

    @discardableResult
    public mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            let n = items.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < n && less(items[l], items[m]) { m = l }
                if r < n && less(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m); i = m
            }
        }
        return top
    }

    public mutating func removeAll() { items.removeAll() }
}
