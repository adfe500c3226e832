import Testing
@testable import OCPP

/// `JSONSkip.value`, the fast path of `JSONScanner.value`, must accept
/// exactly what the recursive descent (`checkedValue`) accepts and end
/// where it ends: on random valid JSON, on the same texts broken one byte
/// at a time or cut short, and at the nesting limit.
@Suite("JSONSkip")
struct JSONSkipTests {
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func space(_ r: inout Rng) -> String { ["", "", "", " ", "\n", "\t", " \r\n "][r.below(7)] }

    static func json(_ r: inout Rng, depth: Int) -> String {
        let ws = space(&r)
        switch r.below(depth > 4 ? 5 : 8) {
        case 0: return ws + ["true", "false", "null"][r.below(3)]
        case 1: return ws + ["0", "-0", "12", "-3.25", "1e9", "2.5E-3", "7e+2", "1234567890123456789012"][r.below(8)]
        case 2, 3, 4:
            let parts = ["a", "connectorId", "é", "\\\"", "\\\\", "\\/", "\\n", "\\u00e9", "\\uD83D\\uDE00", " ", "long text of more than eight bytes"]
            return ws + "\"" + (0..<r.below(4)).map { _ in parts[r.below(parts.count)] }.joined() + "\""
        case 5:
            let items = (0..<r.below(4)).map { _ in json(&r, depth: depth + 1) + space(&r) }
            return ws + "[" + space(&r) + items.joined(separator: ",") + "]"
        default:
            let members = (0..<r.below(4)).map { k in
                space(&r) + "\"k\(k)\"" + space(&r) + ":" + json(&r, depth: depth + 1) + space(&r)
            }
            return ws + "{" + space(&r) + members.joined(separator: ",") + "}"
        }
    }

    /// Both readings of `bytes` from offset 0: the end, or nil.
    static func both(_ bytes: [UInt8], depth: Int = 0) -> (fast: Int?, slow: Int?) {
        bytes.withUnsafeBytes { b in
            var s = JSONScanner(b)
            s.skipWhitespace()
            let fast = JSONSkip.value(b, from: s.index, depthLimit: JSONScanner.maxDepth - depth)
            let slow = (try? s.checkedValue(depth: depth))?.upperBound
            return (fast, slow)
        }
    }

    @Test func acceptsWhatTheRecursiveDescentAccepts() {
        var r = Rng(state: 0xC0FFEE)
        let noise: [UInt8] = Array("{}[]:,\"\\ 0-.eE+tfnul9x".utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xFF]
        var valid = 0, broken = 0
        for round in 0..<4000 {
            let text = Array(JSONSkipTests.json(&r, depth: 0).utf8) + (round % 3 == 0 ? Array(" ,tail".utf8) : [])
            let (fast, slow) = JSONSkipTests.both(text)
            #expect(fast == slow, "\(String(decoding: text, as: UTF8.self))")
            if slow != nil { valid += 1 }
            // Broken one byte: replaced, removed, or a byte inserted; and cut short.
            for _ in 0..<6 {
                var t = text
                let at = r.below(t.count + 1)
                switch r.below(4) {
                case 0 where at < t.count: t[at] = noise[r.below(noise.count)]
                case 1 where at < t.count: t.remove(at: at)
                case 2: t.insert(noise[r.below(noise.count)], at: at)
                default: t = Array(t.prefix(at))
                }
                let (f, s) = JSONSkipTests.both(t)
                #expect(f == s, "\(t)")
                if s == nil { broken += 1 }
            }
        }
        #expect(valid > 3000 && broken > 5000)
    }

    /// `plainStringEnd` ends where `stringEnd` ends, and only for strings
    /// with neither an escape nor a byte outside ASCII.
    @Test func plainStringsAreThoseWithoutEscapesOrNonASCII() {
        var r = Rng(state: 0x5151)
        let parts = ["a", "connectorId", "é", "\\\"", "\\n", "\u{01}", " ", "long text of more than eight bytes", "\u{7F}", "\u{FF}"]
        var plain = 0
        for _ in 0..<3000 {
            let inner = (0..<r.below(6)).map { _ in parts[r.below(parts.count)] }.joined()
            var text = Array(("\"" + inner + (r.below(8) == 0 ? "" : "\"") + " tail").utf8)
            if r.below(10) == 0 { text = Array(text.prefix(r.below(text.count + 1))) }
            text.withUnsafeBytes { b in
                guard let base = b.baseAddress, !b.isEmpty else { return }
                let end = JSONSkip.stringEnd(base, b.count, 0)
                let fast = JSONSkip.plainStringEnd(base, b.count, 0)
                let content = end.map { Array(b[1..<($0 - 1)]) } ?? []
                let isPlain = end != nil && !content.contains { $0 == 0x5C || $0 >= 0x80 }
                #expect(fast == (isPlain ? end : nil), "\(text)")
                if fast != nil { plain += 1 }
            }
        }
        #expect(plain > 300)
    }

    @Test func theNestingLimitIsTheScanners() {
        for levels in [1, 63, 64, 65, 100] {
            for depth in [0, 1, 10] {
                let arrays = Array((String(repeating: "[", count: levels) + "1" + String(repeating: "]", count: levels)).utf8)
                let objects = Array((String(repeating: "{\"a\":", count: levels) + "null" + String(repeating: "}", count: levels)).utf8)
                for text in [arrays, objects] {
                    let (fast, slow) = JSONSkipTests.both(text, depth: depth)
                    #expect(fast == slow, "levels \(levels), depth \(depth)")
                    #expect((slow != nil) == (levels + depth <= JSONScanner.maxDepth))
                }
            }
        }
    }
}
