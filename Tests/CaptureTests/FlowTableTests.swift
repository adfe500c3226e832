import Testing
@testable import Capture

/// FlowTable against a Dictionary, the table it replaced: the same answers
/// after every insert, replacement, removal and lookup, through growth and
/// the backward shifts of deletion in long probe runs.
@Suite("Flow table")
struct FlowTableTests {
    @Test func answersAsADictionaryWould() {
        var table = FlowTable()
        var oracle: [FlowKey: TCPConnection] = [:]
        var rng: UInt64 = 0x1234_5678_9ABC_DEF1
        func next() -> UInt64 { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng }
        // Few addresses and ports, so that keys repeat and runs grow long.
        func key() -> FlowKey {
            let r = next()
            let x = Endpoint(address: IPAddress(high: 0, low: 0xFFFF_0A00_0000 | (r & 0x3F)), port: UInt16(truncatingIfNeeded: r >> 8) & 0x1F)
            let y = Endpoint(address: IPAddress(high: 0, low: 0xFFFF_0A00_0100 | (r >> 16 & 0x7)), port: 9000)
            return r >> 40 & 1 == 0 ? FlowKey(x, y) : FlowKey(y, x)
        }
        var id = 0
        for step in 0..<60_000 {
            let k = key()
            switch next() % 10 {
            case 0...3:
                id += 1
                let c = TCPConnection(id: id, a: k.a, b: k.b, frame: 0, time: 0)
                table[k] = c
                oracle[k] = c
            case 4...6:
                table[k] = nil
                oracle[k] = nil
            default:
                #expect(table[k] === oracle[k], "step \(step)")
            }
            if step % 997 == 0 {
                #expect(table.count == oracle.count)
                let got = Dictionary(uniqueKeysWithValues: table.entries.map { ($0.key, $0.value.info.id) })
                #expect(got == oracle.mapValues { $0.info.id })
            }
        }
        for k in oracle.keys { #expect(table[k] === oracle[k]) }
        table.removeAll()
        #expect(table.count == 0 && table.entries.isEmpty)
    }
}
