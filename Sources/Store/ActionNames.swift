import History

/// The action names of stored messages, each made into a String once per
/// reading, with its HistoryAction.
///
/// Why: the history reads every message of a charge point back, and names
/// such as `StatusNotification` are too long for a String's inline form, so
/// each row made one allocation, freed again by the thread that ran the
/// trackers; the kind is decided here once instead of by each tracker.
struct ActionNames {
    private struct Entry {
        var bytes: [UInt8]
        var name: String
        var kind: HistoryAction
    }

    private static let slots = 128
    private var table = [Entry?](repeating: nil, count: ActionNames.slots)
    private var used = 0

    /// The name and kind of an action given as its UTF-8 bytes.
    mutating func name(_ raw: UnsafeRawBufferPointer) -> (String?, HistoryAction) {
        // FNV-1a: names are short, and a slot is confirmed by comparing bytes.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in raw { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        var i = Int(truncatingIfNeeded: h) & (ActionNames.slots - 1)
        while let e = table[i] {
            if e.bytes.withUnsafeBytes({ StoredWords.equals(raw, $0) }) { return (e.name, e.kind) }
            i = (i + 1) & (ActionNames.slots - 1)
        }
        let name = String(decoding: raw, as: UTF8.self)
        let kind = HistoryAction(name)
        // Half full at most, so that probes stay short; beyond that (a
        // charger of many custom actions) names are simply made each time.
        if used < ActionNames.slots / 2 {
            table[i] = Entry(bytes: Array(raw), name: name, kind: kind)
            used += 1
        }
        return (name, kind)
    }
}
