/// Deletion from an open-addressing table with linear probing, kept in an
/// array whose count is a power of two (FlowTable, the log's Deduplicator).
public enum LinearProbing {
    /// Empties `slots[index]` by backward shift: the later slots of its
    /// probe run move back so that every key stays reachable from its home
    /// slot, with no tombstones. `home` gives a slot's home index, or nil
    /// for an empty slot; `empty` is what an empty slot holds.
    @inlinable
    public static func remove<Slot>(at index: Int, in slots: inout [Slot], empty: Slot, home: (Slot) -> Int?) {
        let mask = slots.count - 1
        var hole = index
        var j = index
        while true {
            j = (j + 1) & mask
            guard let h = home(slots[j]) else { break }
            // Slot j may fill the hole unless its home lies cyclically in (hole, j].
            let between = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j)
            if !between {
                slots[hole] = slots[j]
                hole = j
            }
        }
        slots[hole] = empty
    }
}
