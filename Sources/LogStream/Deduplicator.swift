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
/// each seeded anew in every process, its length, the station and the
/// direction. Two different texts are taken for the same only if all agree,
/// a chance near 2^-128 per comparison, and one nobody can aim at without
/// the seeds.
///
/// Why hand-made hashes and table: `Hasher` over every text, then again
/// over the table's key in a `Dictionary`, were the log reader's largest
/// cost (callgrind, `decode` of the 10 MB benchmark log: 119 M of the
/// reading thread's 633 M instructions). The first seeded hash is already a
/// keyed, well-mixed key, so it indexes an open-addressing table directly.
struct Deduplicator {
    private struct Slot {
        /// 0: empty.
        var key: UInt64 = 0
        /// The second hash of the text, independent of the key.
        var check: UInt64 = 0
        var time: Int64 = 0
        var station: Int32 = 0
        var length: Int32 = 0
        var direction: Direction = .chargePointToCSMS
    }
    let window: Int64
    private var slots = [Slot](repeating: Slot(), count: 1024)
    private var used = 0
    private var order: [(key: UInt64, time: Int64)] = []
    private var head = 0

    init(window: Int64) { self.window = window }

    /// Whether this message of `station` repeats one seen within the
    /// window; remembers it otherwise.
    mutating func isRepeat(station: Int, direction: Direction, text: [UInt8], time: Timestamp) -> Bool {
        guard window > 0 else { return false }
        let t = time.microseconds
        evict(before: t - window)
        let (first, check) = Deduplicator.fingerprint(text)
        var key = first ^ (UInt64(truncatingIfNeeded: station) &* 0x9E37_79B9_7F4A_7C15)
        if direction == .csmsToChargePoint { key ^= 0xD6E8_FEB8_6659_FD93 }
        key = (key ^ (key >> 31)) &* 0xBF58_476D_1CE4_E5B9
        key ^= key >> 29
        if key == 0 { key = 1 }
        let slot = Slot(key: key, check: check, time: t, station: Int32(truncatingIfNeeded: station),
                        length: Int32(truncatingIfNeeded: text.count), direction: direction)
        if let i = find(key) {
            let e = slots[i]
            if e.direction == direction, abs(t - e.time) <= window, e.length == slot.length, e.check == check, e.station == slot.station {
                return true
            }
            slots[i] = slot
        } else {
            insert(slot)
        }
        order.append((key, t))
        return false
    }

    // MARK: The table: linear probing, deletion by backward shift.

    private var mask: Int { slots.count - 1 }
    /// Slots in the table (for tests: it grows with what the window holds).
    var capacity: Int { slots.count }

    private func find(_ key: UInt64) -> Int? {
        var i = Int(truncatingIfNeeded: key) & mask
        while slots[i].key != 0 {
            if slots[i].key == key { return i }
            i = (i + 1) & mask
        }
        return nil
    }

    private mutating func insert(_ slot: Slot) {
        if (used + 1) * 2 > slots.count { grow() }
        var i = Int(truncatingIfNeeded: slot.key) & mask
        while slots[i].key != 0 { i = (i + 1) & mask }
        slots[i] = slot
        used += 1
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        used = 0
        for s in old where s.key != 0 { insert(s) }
    }

    /// Empties slot `index` (LinearProbing's backward shift).
    private mutating func remove(at index: Int) {
        let m = mask
        LinearProbing.remove(at: index, in: &slots, empty: Slot()) { $0.key == 0 ? nil : Int(truncatingIfNeeded: $0.key) & m }
        used -= 1
    }

    /// The seeds of the two hashes, drawn once per process.
    private static let seeds = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))

    /// Two hashes of the text (`ByteWord.hashPair`) from independent seeds.
    static func fingerprint(_ text: [UInt8]) -> (UInt64, UInt64) {
        text.withUnsafeBytes { ByteWord.hashPair($0, seeds: seeds) }
    }

    /// Forgets what is older than the window (log times only go forward
    /// roughly, so the queue is in time order roughly; a late one stays a
    /// little longer, which does no harm).
    private mutating func evict(before limit: Int64) {
        while head < order.count, order[head].time < limit {
            let (key, time) = order[head]
            if let i = find(key), slots[i].time == time { remove(at: i) }
            head += 1
        }
        if head > 4096, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        // A log whose times stand still (every line the same second) must
        // not grow the table without end.
        if order.count - head > 200_000 {
            for (key, _) in order[head..<(head + 100_000)] { if let i = find(key) { remove(at: i) } }
            head += 100_000
        }
    }
}
