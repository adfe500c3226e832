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
///
/// What is remembered of a message is a compact fingerprint, not its text:
/// the window may hold up to 200,000 messages, and keeping their texts made a
/// log's decoding memory grow with the log (43 MB for a 20 MB log, 102 MB for
/// 250 MB). The fingerprint is the table's key (a keyed 64-bit `Hasher` of
/// charge point, direction and text, as before), a second 64-bit hash of the
/// text and its length: two different texts are taken for the same only if
/// all agree, a chance near 2^-128 per comparison, and one nobody can aim at
/// because the key's hash is seeded anew in every process.
struct Deduplicator {
    private struct Entry {
        var identity: String
        var direction: Direction
        /// A second hash of the text, independent of the table's key.
        var check: UInt64
        var length: Int
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
        let check = Deduplicator.check(text)
        if let e = entries[key], e.direction == direction, abs(t - e.time) <= window, e.length == text.count,
           e.check == check, e.identity == identity {
            return true
        }
        entries[key] = Entry(identity: identity, direction: direction, check: check, length: text.count, time: t)
        order.append((key, t))
        return false
    }

    /// The second hash: a word-at-a-time multiply-xorshift of the text (and
    /// its length). Weak on its own, which does not matter: it is only ever
    /// compared after the keyed `Hasher` key already matched, and it costs
    /// about a tenth of a second `Hasher` pass over the text. Each step is a
    /// bijection of the state, so texts of one length that differ in one
    /// word never collide.
    static func check(_ text: [UInt8]) -> UInt64 {
        text.withUnsafeBytes { b in
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
            var i = 0
            while i + 8 <= b.count {
                h = (h ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 32
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < b.count {
                tail |= UInt64(b[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 29
            return h
        }
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
