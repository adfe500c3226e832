import Foundation
import Frames
import History

/// The action names of stored messages, each made into a String once per
/// reading, with its HistoryAction.
///
/// Why: the history reads every message of a charge point back, and names
/// such as `StatusNotification` are too long for a String's inline form, so
/// each row made one allocation, freed again by the thread that ran the
/// trackers; the kind is decided here once instead of by each tracker.
///
/// The table is flat (hashes, names, kinds and the names' bytes each in an
/// array of their own) and a name of any OCPP version is the action
/// table's literal (OCPPActions.name). Why: a slot held as one struct was
/// copied out at every probe, its byte array and String retained and
/// released, and a name made from the bytes was a heap String whose
/// reference counts are atomic (perf, 250 MB benchmark ingest: 2% of the
/// store writer's thread and 3% of the history's reader).
struct ActionNames {
    private static let slots = 128
    /// Per slot the name's hash, its lowest bit set; 0 marks an empty slot.
    private var hashes = [UInt64](repeating: 0, count: ActionNames.slots)
    private var names = [String](repeating: "", count: ActionNames.slots)
    private var kinds = [HistoryAction](repeating: .none, count: ActionNames.slots)
    /// Where each slot's name lies in `bytes`.
    private var spans = [Range<Int>](repeating: 0..<0, count: ActionNames.slots)
    private var bytes: [UInt8] = []
    private var used = 0

    /// The name and kind of an action given as its UTF-8 bytes.
    mutating func name(_ raw: UnsafeRawBufferPointer) -> (String?, HistoryAction) {
        // FNV-1a: names are short, and a slot is confirmed by comparing bytes.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in raw { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h |= 1
        var i = Int(truncatingIfNeeded: h >> 1) & (ActionNames.slots - 1)
        while hashes[i] != 0 {
            if hashes[i] == h {
                let span = spans[i]
                let same = bytes.withUnsafeBytes { StoredWords.equals(raw, UnsafeRawBufferPointer(rebasing: $0[span])) }
                if same { return (names[i], kinds[i]) }
            }
            i = (i + 1) & (ActionNames.slots - 1)
        }
        let name = OCPPActions.name(ofBytes: raw) ?? String(decoding: raw, as: UTF8.self)
        let kind = HistoryAction(name)
        // Half full at most, so that probes stay short; beyond that (a
        // charger of many custom actions) names are simply made each time.
        if used < ActionNames.slots / 2 {
            hashes[i] = h
            names[i] = name
            kinds[i] = kind
            spans[i] = bytes.count..<(bytes.count + raw.count)
            bytes.append(contentsOf: raw)
            used += 1
        }
        return (name, kind)
    }
}
