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
/// 250 MB). The fingerprint is two independent 64-bit hashes of the text,
/// each seeded anew in every process, and its length; the table's key is a
/// keyed `Hasher` of charge point, direction and the first hash. Two
/// different texts are taken for the same only if all agree, a chance near
/// 2^-128 per comparison, and one nobody can aim at without the seeds.
///
/// Why not `Hasher` over the whole text, as before: that pass was the log
/// reader's largest single cost (callgrind, `decode` of the 10 MB benchmark
/// log: 119 M of the reading thread's 633 M instructions), where the two
/// word-at-a-time hashes take one pass at about a tenth of its cost.
struct Deduplicator {
    private struct Entry {
        var identity: String
        var direction: Direction
        /// The second hash of the text, independent of the table's key.
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
        let (first, check) = Deduplicator.fingerprint(text)
        var h = Hasher()
        h.combine(identity)
        h.combine(direction)
        h.combine(first)
        let key = h.finalize()
        if let e = entries[key], e.direction == direction, abs(t - e.time) <= window, e.length == text.count,
           e.check == check, e.identity == identity {
            return true
        }
        entries[key] = Entry(identity: identity, direction: direction, check: check, length: text.count, time: t)
        order.append((key, t))
        return false
    }

    /// The seeds of the two hashes, drawn once per process.
    private static let seeds = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))

    /// Two word-at-a-time multiply-xorshift hashes of the text and its
    /// length, from independent seeds and constants, in one pass. Each step
    /// is a bijection of each state, so texts of one length that differ in
    /// one word never collide.
    static func fingerprint(_ text: [UInt8]) -> (UInt64, UInt64) {
        text.withUnsafeBytes { b in
            var x: UInt64 = seeds.0 ^ UInt64(b.count)
            var y: UInt64 = seeds.1 ^ (UInt64(b.count) &* 0x9E37_79B9_7F4A_7C15)
            var i = 0
            while i + 8 <= b.count {
                let w = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                x = (x ^ w) &* 0xFF51_AFD7_ED55_8CCD
                x ^= x >> 32
                y = (y ^ w) &* 0xC4CE_B9FE_1A85_EC53
                y ^= y >> 29
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < b.count {
                tail |= UInt64(b[i]) << shift
                shift += 8
                i += 1
            }
            x = (x ^ tail) &* 0xC4CE_B9FE_1A85_EC53
            x ^= x >> 29
            y = (y ^ tail) &* 0xFF51_AFD7_ED55_8CCD
            y ^= y >> 32
            return (x, y)
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
