import Testing
@testable import LogStream

/// The word-at-a-time scans (eight bytes in Swift, sixteen in C for arrays
/// and objects, CByteScan) must end every string and every value where the
/// byte-at-a-time loops they replaced did, kept here as the reference.
@Suite("FlatJSON scans")
struct FlatJSONScanTests {
    static func referenceStringEnd(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var i = start + 1
        while i < b.count {
            let c = b[i]
            if c == 0x22 { return i + 1 }
            i += c == 0x5C ? 2 : 1
        }
        return nil
    }

    static func referenceValueEnd(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        guard start < b.count else { return nil }
        switch b[start] {
        case 0x22: return referenceStringEnd(b, start)
        case 0x5B, 0x7B:
            var depth = 0
            var i = start
            while i < b.count {
                switch b[i] {
                case 0x22:
                    guard let e = referenceStringEnd(b, i) else { return nil }
                    i = e
                    continue
                case 0x5B, 0x7B: depth += 1
                case 0x5D, 0x7D:
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default: break
                }
                i += 1
            }
            return nil
        default:
            var i = start
            while i < b.count, b[i] != 0x2C, b[i] != 0x7D, b[i] != 0x5D, b[i] != 0x20 { i += 1 }
            return i > start ? i : nil
        }
    }

    /// Random texts over an alphabet dense in the bytes that matter (and their
    /// neighbours with bit 5 flipped, and bytes with the high bit set), every
    /// start position.
    @Test func randomTextsEndWhereTheyDidByteByByte() {
        // With neighbours of the bytes that matter (`!` `#` `^` `|` `~`): a word mask whose
        // borrow crossed bytes would take them for quotes or brackets.
        let alphabet: [UInt8] = Array("\"\\[]{}abc ,:0;=}".utf8) + [0x02, 0x3B, 0x3D, 0x80, 0xA2, 0xDB, 0xFF, 0x00, 0x01]
            + Array("!#z|~^]".utf8) + [0x5D, 0x5E, 0x7C, 0x7E, 0x23, 0x21]
        var rng = SplitMix(seed: 0x5EED)
        for _ in 0..<4000 {
            let n = Int(rng.next() % 70)
            let text = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            text.withUnsafeBytes { b in
                for start in 0...n {
                    #expect(FlatJSON.valueEnd(b, start) == FlatJSONScanTests.referenceValueEnd(b, start))
                    if start < n {
                        #expect(FlatJSON.stringEnd(b, start) == FlatJSONScanTests.referenceStringEnd(b, start))
                    }
                }
            }
        }
    }

    /// Long texts where the bytes that matter are rare, as in OCPP-J: most
    /// sixteen-byte steps hold none, some hold a close while the depth is
    /// low (the bracket walk) or high (the counts), a few a backslash.
    @Test func sparseLongTextsEndWhereTheyDidByteByByte() {
        let special: [UInt8] = Array("\"\\[]{}".utf8) + [0x7C, 0x7E, 0x5E, 0xDB, 0xFD]
        var rng = SplitMix(seed: 0xB16)
        var ended = 0
        for round in 0..<3000 {
            let n = 16 + Int(rng.next() % 400)
            // From one special byte in four to one in sixty-four.
            let rarity = UInt64(4 << (round % 5))
            var text = (0..<n).map { _ -> UInt8 in
                rng.next() % rarity == 0 ? special[Int(rng.next() % UInt64(special.count))] : UInt8(ascii: "a") + UInt8(rng.next() % 26)
            }
            text[0] = round % 2 == 0 ? 0x5B : 0x7B
            text.withUnsafeBytes { b in
                for start in 0..<n where b[start] == 0x5B || b[start] == 0x7B {
                    let expected = FlatJSONScanTests.referenceValueEnd(b, start)
                    #expect(FlatJSON.valueEnd(b, start) == expected)
                    if expected != nil { ended += 1 }
                }
            }
        }
        // Most texts hold values that end, not only ones that run off the end.
        #expect(ended > 3000)
    }

    @Test func anOCPPArrayInALineEndsAtItsBracket() {
        let line = Array(#"{"t":"x","message":[2,"a\"b]","MeterValues",{"meterValue":[{"v":"1"}]}],"z":1}"#.utf8)
        line.withUnsafeBytes { b in
            let start = line.firstIndex(of: 0x5B)!
            let end = FlatJSON.valueEnd(b, start)
            #expect(end == FlatJSONScanTests.referenceValueEnd(b, start))
            #expect(end.map { String(decoding: line[start..<$0], as: UTF8.self) } == #"[2,"a\"b]","MeterValues",{"meterValue":[{"v":"1"}]}]"#)
        }
    }
}

/// A small deterministic generator, so that a failure repeats.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
