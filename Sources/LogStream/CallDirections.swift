import Frames

/// The directions of a station's recent CALLs by unique id (its seeded hash,
/// `EnvelopePeek.uniqueId`), so that an answer takes the way back: the
/// oldest `callLimit` are forgotten when twice that many are kept.
///
/// Why not a `Dictionary`: every CALL and every answer of a log costs a
/// lookup here, and `Hasher` hashed again a key that is already a seeded
/// hash (callgrind, 10 MB benchmark log: about 3% of the reading thread).
/// The key indexes an open-addressing table directly, as in Deduplicator.
struct CallDirections {
    /// Per slot the id's upper 63 bits and, in the lowest bit, the
    /// direction (1: from the CSMS); 0 is an empty slot. Eight bytes a slot,
    /// less than the Dictionary held. Two ids of one station alike in 63
    /// bits would share a slot: a chance near 2^-44 among the 1,024 kept.
    private var slots = [UInt64](repeating: 0, count: 16)
    private var used = 0
    /// Ids as stored (direction bit clear) in the order they came.
    private var order: [UInt64] = []
    let callLimit: Int

    init(callLimit: Int) { self.callLimit = callLimit }

    /// Slots in the table (for tests: it stays bounded by `callLimit`).
    var capacity: Int { slots.count }
    /// Unique ids remembered.
    var count: Int { used }

    /// The id with its lowest bit cleared for the direction; never 0, which marks an empty slot.
    private static func idBits(_ id: UInt64) -> UInt64 {
        let bits = id & ~1
        return bits == 0 ? 2 : bits
    }

    subscript(_ id: UInt64) -> Direction? {
        find(CallDirections.idBits(id)).map { slots[$0] & 1 == 0 ? .chargePointToCSMS : .csmsToChargePoint }
    }

    /// Remembers the direction of a CALL's id; an id already remembered
    /// takes the new direction and keeps its place in the order.
    mutating func set(_ d: Direction, for id: UInt64) {
        let bits = CallDirections.idBits(id)
        let stored = bits | (d == .csmsToChargePoint ? 1 : 0)
        if let i = find(bits) {
            slots[i] = stored
            return
        }
        // The oldest half goes before the table would hold more than twice
        // the limit (the Dictionary forgot it just after), so that the
        // table stays at 4 × callLimit slots (16 KB for the log reader's 512).
        if order.count == callLimit * 2 {
            for k in order.prefix(callLimit) {
                if let i = find(k) { remove(at: i) }
            }
            order.removeFirst(callLimit)
        }
        insert(stored)
        order.append(bits)
    }

    private var mask: Int { slots.count - 1 }

    /// Where the home index is taken from: the upper bits, well mixed already.
    private static func home(_ bits: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: bits >> 1) & mask }

    private func find(_ bits: UInt64) -> Int? {
        var i = CallDirections.home(bits, mask)
        while slots[i] != 0 {
            if slots[i] & ~1 == bits { return i }
            i = (i + 1) & mask
        }
        return nil
    }

    private mutating func insert(_ stored: UInt64) {
        if (used + 1) * 2 > slots.count { grow() }
        var i = CallDirections.home(stored & ~1, mask)
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = stored
        used += 1
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        used = 0
        for s in old where s != 0 { insert(s) }
    }

    /// Empties slot `index` (LinearProbing's backward shift).
    private mutating func remove(at index: Int) {
        let m = mask
        LinearProbing.remove(at: index, in: &slots, empty: 0) { $0 == 0 ? nil : CallDirections.home($0 & ~1, m) }
        used -= 1
    }
}
