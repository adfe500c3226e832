import Frames

/// Drops a message when the same one (same charge point, direction and text,
/// hence the same unique id) was already taken a few seconds before.
///
/// Why: a log often holds each message twice — the sender's `send` line and
/// the receiver's `receive` line (the Python `ocpp` library logs both sides
/// into one file), or a proxy and the CSMS both log it. Storing both would
/// double every count. Why a window and not forever: a charger that reuses
/// ids (a counter reset at reboot) may send the very same text again much
/// later, and that is a new message.
struct Deduplicator {
    private struct Entry {
        var identity: String
        var direction: Direction
        var text: [UInt8]
        var time: Int64
    }
    let window: Int64
    private var entries: [Int: Entry] = [:]
    private var order: [(key: Int, time: Int64)] = []
    private var head = 0

    init(window: Int64) { self.window = window }

    /// Whether this message repeats one seen within the window; remembers it otherwise.
    mutating func isRepeat(identity: String, direction: Direction, text: [UInt8], time: Timestamp) -> Bool {
        guard window > 0 else { return false }
        let t = time.microseconds
        evict(before: t - window)
        var h = Hasher()
        h.combine(identity)
        h.combine(direction)
        text.withUnsafeBytes { h.combine(bytes: $0) }
        let key = h.finalize()
        if let e = entries[key], e.direction == direction, abs(t - e.time) <= window, e.identity == identity, e.text == text {
            return true
        }
        entries[key] = Entry(identity: identity, direction: direction, text: text, time: t)
        order.append((key, t))
        return false
    }

    /// Forgets what is older than the window (log times only go forward
    /// roughly, so the queue is in time order roughly; a late one stays a
    /// little longer, which does no harm).
    private mutating func evict(before limit: Int64) {
        while head < order.count, order[head].time < limit {
            let (key, time) = order[head]
            if let e = entries[key], e.time == time { entries[key] = nil }
            head += 1
        }
        if head > 4096, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        // A log whose times stand still (every line the same second) must
        // not grow the table without end.
        if order.count - head > 200_000 {
            for (key, _) in order[head..<(head + 100_000)] { entries[key] = nil }
            head += 100_000
        }
    }
}
