import Frames
import Testing
@testable import LogStream

/// The deduplicator's own hash table (open addressing, deletion by backward
/// shift) must answer as a dictionary keyed by the whole text would.
@Suite("Deduplicator table")
struct DeduplicatorTableTests {
    /// The reference: exact keys, the same window and eviction rule.
    struct Reference {
        struct Key: Hashable { var station: Int; var direction: Direction; var text: [UInt8] }
        let window: Int64
        var entries: [Key: Int64] = [:]
        var order: [(Key, Int64)] = []
        var head = 0

        mutating func isRepeat(station: Int, direction: Direction, text: [UInt8], time t: Int64) -> Bool {
            while head < order.count, order[head].1 < t - window {
                let (k, time) = order[head]
                if entries[k] == time { entries[k] = nil }
                head += 1
            }
            let k = Key(station: station, direction: direction, text: text)
            if let e = entries[k], abs(t - e) <= window { return true }
            entries[k] = t
            order.append((k, t))
            return false
        }
    }

    @Test func manyMessagesAnswerAsADictionaryWould() {
        let window: Int64 = 5_000_000
        var dedup = Deduplicator(window: window)
        var reference = Reference(window: window)
        var rng: UInt64 = 42
        func next() -> UInt64 {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return rng >> 33
        }
        var t: Int64 = 0
        var repeats = 0
        for step in 0..<60_000 {
            // Bursts of many distinct texts (the table grows past its first
            // size), then quiet stretches (whole runs evicted).
            t += step % 5_000 < 4_000 ? Int64(next() % 3_000) : Int64(next() % 3_000_000)
            let station = Int(next() % 8)
            let direction: Direction = next() % 2 == 0 ? .chargePointToCSMS : .csmsToChargePoint
            let text = Array("[2,\"\(next() % 200)\",\"Heartbeat\",{}]".utf8)
            let got = dedup.isRepeat(station: station, direction: direction, text: text, time: Timestamp(microseconds: t))
            let expected = reference.isRepeat(station: station, direction: direction, text: text, time: t)
            #expect(got == expected, "step \(step)")
            if got != expected { return }
            if got { repeats += 1 }
        }
        #expect(repeats > 5_000 && repeats < 55_000, "the sequence should mix repeats and new texts: \(repeats)")
        #expect(dedup.capacity > 1024, "the table should have grown")
    }
}
