import Testing
@testable import OCPP

/// The eight-bytes-at-a-time skip inside `JSONScanner.stringRange` must end
/// (or reject) every string where the byte-at-a-time loop it shortcuts did;
/// that loop is kept here as the reference.
@Suite("JSONScanner strings")
struct JSONScannerStringTests {
    enum Outcome: Equatable { case end(Int), failure }

    static func reference(_ b: UnsafeRawBufferPointer, _ start: Int) -> Outcome {
        guard start < b.count, b[start] == 0x22 else { return .failure }
        var i = start + 1
        while i < b.count {
            let c = b[i]
            if c == 0x22 { return .end(i + 1) }
            if c == 0x5C {
                guard i + 1 < b.count else { return .failure }
                switch b[i + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 2
                case 0x75:
                    guard i + 6 <= b.count, (2..<6).allSatisfy({ JSONScanner.hex(b[i + $0]) != nil }) else { return .failure }
                    i += 6
                default: return .failure
                }
                continue
            }
            if c < 0x20 { return .failure }
            i += 1
        }
        return .failure
    }

    static func scanned(_ b: UnsafeRawBufferPointer, _ start: Int) -> Outcome {
        var s = JSONScanner(b)
        s.index = start
        guard let r = try? s.stringRange() else { return .failure }
        #expect(r.lowerBound == start && s.index == r.upperBound)
        return .end(r.upperBound)
    }

    /// Random texts dense in quotes, backslashes, escape letters, control
    /// characters and their neighbours (0x1F, 0x20, 0x21, 0x7F, 0x80, 0xFF),
    /// every start position, lengths across the eight-byte steps.
    @Test func randomStringsEndWhereTheyDidByteByByte() {
        let alphabet: [UInt8] = Array("\"\\\"u0aF/bnrt x".utf8) + [0x00, 0x01, 0x1F, 0x20, 0x21, 0x7F, 0x80, 0xA2, 0xDC, 0xFF]
        var rng: UInt64 = 0x5EED
        func next() -> UInt64 {
            rng &+= 0x9E37_79B9_7F4A_7C15
            var z = rng
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var ended = 0
        for _ in 0..<5000 {
            let n = Int(next() % 40)
            // Mostly plain letters, so that runs longer than a word occur.
            let text = (0..<n).map { _ in next() % 3 == 0 ? alphabet[Int(next() % UInt64(alphabet.count))] : UInt8(0x61 + next() % 26) }
            text.withUnsafeBytes { b in
                for start in 0..<n where b[start] == 0x22 {
                    let expected = JSONScannerStringTests.reference(b, start)
                    #expect(JSONScannerStringTests.scanned(b, start) == expected, "\(text) from \(start)")
                    if case .end = expected { ended += 1 }
                }
            }
        }
        #expect(ended > 300, "too few strings ended to test the skip")
    }

    @Test func aControlCharacterAfterALongRunIsRefused() {
        let text = Array(("\"" + String(repeating: "a", count: 21) + "\u{01}bc\"").utf8)
        text.withUnsafeBytes { b in #expect(JSONScannerStringTests.scanned(b, 0) == .failure) }
        let fine = Array(("\"" + String(repeating: "é", count: 9) + "\\\"\"").utf8)
        fine.withUnsafeBytes { b in #expect(JSONScannerStringTests.scanned(b, 0) == .end(fine.count)) }
    }
}
