import Frames

/// The TCP connections being followed, by flow: an open-addressing table
/// (linear probing, deletion by backward shift) keyed by `FlowKey.fold`.
///
/// Why not a Dictionary: every packet looks its flow up, and the
/// Dictionary's hashing (Hasher's SipHash rounds over the folded key) and
/// probing were 73 M of the 1.15 G instructions of `decode`'s packet thread
/// on the 40 MB benchmark capture. Here a lookup is the fold, a masked
/// index and a compare, and the last flow found is tried first (a capture
/// holds runs of one connection's packets).
struct FlowTable {
    private struct Slot {
        var hash: UInt64 = 0
        var key: FlowKey?
        var connection: TCPConnection?
    }

    private var slots = [Slot](repeating: Slot(), count: 64)
    private(set) var count = 0
    /// The slot of the last flow found or inserted; -1 when not known.
    private var last = -1

    private var mask: Int { slots.count - 1 }

    private func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash) & mask }

    private func find(_ key: FlowKey, _ hash: UInt64) -> Int? {
        var i = home(hash)
        while let k = slots[i].key {
            if slots[i].hash == hash && k == key { return i }
            i = (i + 1) & mask
        }
        return nil
    }

    subscript(key: FlowKey) -> TCPConnection? {
        mutating get {
            if last >= 0, let k = slots[last].key, k == key { return slots[last].connection }
            let hash = key.fold
            guard let i = find(key, hash) else { return nil }
            last = i
            return slots[i].connection
        }
        set {
            let hash = key.fold
            if let i = find(key, hash) {
                if let newValue { slots[i].connection = newValue } else { remove(at: i) }
                return
            }
            guard let newValue else { return }
            if (count + 1) * 2 > slots.count { grow() }
            var i = home(hash)
            while slots[i].key != nil { i = (i + 1) & mask }
            slots[i] = Slot(hash: hash, key: key, connection: newValue)
            count += 1
            last = i
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        for s in old where s.key != nil {
            var i = home(s.hash)
            while slots[i].key != nil { i = (i + 1) & mask }
            slots[i] = s
        }
        last = -1
    }

    /// Empties slot `index` (LinearProbing's backward shift).
    private mutating func remove(at index: Int) {
        let m = mask
        LinearProbing.remove(at: index, in: &slots, empty: Slot()) { $0.key == nil ? nil : Int(truncatingIfNeeded: $0.hash) & m }
        count -= 1
        last = -1
    }

    /// Every flow and its connection, in no particular order.
    var entries: [(key: FlowKey, value: TCPConnection)] {
        slots.compactMap { s in s.key.map { ($0, s.connection!) } }
    }

    mutating func removeAll() {
        slots = [Slot](repeating: Slot(), count: 64)
        count = 0
        last = -1
    }
}
