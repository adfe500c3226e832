import Foundation
import OCPP
import Testing
@testable import History

/// PayloadKey: the same value, however written, has the same key; a
/// different value (or member order) has another.
@Suite("Payload keys")
struct PayloadKeyTests {
    @Test func sameValueWrittenDifferently() {
        let pairs: [(String, String)] = [
            (#"{"a":1,"b":[true,null]}"#, "{ \"a\" : 1,\n\t\"b\" : [ true , null ] }\r\n"),
            (#"{"url":"http://x/y"}"#, #"{"url":"http:\/\/x\/y"}"#),
            (#"{"s":"é😀"}"#, #"{"s":"\u00e9\ud83d\ude00"}"#),
            (#"{"s":"\u00E9"}"#, #"{"s":"\u00e9"}"#),
            (#"{"s":"a\"b\\c"}"#, #"{"s":"a\u0022b\u005cc"}"#),
            (#"{"s":"line\nnext\u0001"}"#, #"{"s":"line\u000anext\u0001"}"#),
            (#"{"s":"lone \ud800 surrogate"}"#, #"{"s":"lone � surrogate"}"#),
            (#"{"s":"in a string: spaces  kept"}"#, #"{ "s" : "in a string: spaces  kept" }"#),
        ]
        for (a, b) in pairs {
            #expect(PayloadKey.of(a) == PayloadKey.of(b), "\(a) vs \(b)")
        }
    }

    @Test func differentValuesDiffer() {
        let texts = [
            #"["a","b"]"#, #"["a\",\"b"]"#, #"{"a":1,"b":2}"#, #"{"b":2,"a":1}"#, #"{"s":"a b"}"#, #"{"s":"ab"}"#,
            #"{"n":1}"#, #"{"n":1.0}"#, #"{"s":"\\n"}"#, #"{"s":"\n"}"#, #"[]"#, #"{}"#, #"[null]"#,
        ]
        let keys = texts.map(PayloadKey.of)
        #expect(Set(keys).count == texts.count)
    }

    /// The word-at-a-time test for bytes the canonical form may change says
    /// yes exactly when a byte below 0x21 or a backslash is there, at every
    /// length and position (high bytes included, which a borrow could confuse).
    @Test func canonicalTestMatchesBytewiseDefinition() {
        var rng = SplitMix(seed: 7)
        let alphabet: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x22, 0x5B, 0x5C, 0x5D, 0x61, 0x7F, 0x80, 0xA0, 0xC3, 0xFF]
        for n in 0..<40 {
            for _ in 0..<60 {
                // Mostly harmless bytes, now and then one that matters.
                var bytes = (0..<n).map { _ in UInt8(0x61 + rng.next() % 26) }
                if n > 0 && rng.next() % 2 == 0 { bytes[Int(rng.next() % UInt64(n))] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                if n > 0 && rng.next() % 4 == 0 { bytes[Int(rng.next() % UInt64(n))] = 0x80 | UInt8(rng.next() % 128) }
                let expected = bytes.contains { $0 < 0x21 || $0 == 0x5C }
                #expect(bytes.withUnsafeBytes { PayloadKey.mayNeedCanonical($0) } == expected, "\(bytes)")
            }
        }
    }

    /// On random values, written compactly and with extra whitespace and
    /// escapes, key equality is the parsed values' equality.
    @Test func agreesWithParsedEquality() throws {
        var rng = SplitMix(seed: 42)
        var values: [JSONValue] = []
        for _ in 0..<400 { values.append(randomValue(&rng, depth: 0)) }
        for v in values {
            let compact = v.serialized
            let loose = loosened(compact, &rng)
            #expect(try JSONValue.parse(loose) == v, "\(loose)")
            #expect(PayloadKey.of(compact) == PayloadKey.of(loose), "\(compact) vs \(loose)")
        }
        for i in 0..<(values.count - 1) {
            let (a, b) = (values[i], values[i + 1])
            #expect((a == b) == (PayloadKey.of(a.serialized) == PayloadKey.of(b.serialized)))
        }
    }

    private func randomValue(_ rng: inout SplitMix, depth: Int) -> JSONValue {
        let strings = ["", "a", "é", "/", "a b", "\"", "\\", "\n", "😀", "Charging", "2025-01-01T00:00:00Z"]
        switch rng.next() % (depth > 2 ? 4 : 6) {
        case 0: return .string(strings[Int(rng.next() % UInt64(strings.count))] + strings[Int(rng.next() % UInt64(strings.count))])
        case 1: return .number(["0", "1", "-2.5", "1e3", "42"][Int(rng.next() % 5)])
        case 2: return rng.next() % 2 == 0 ? .bool(true) : .null
        case 3: return .bool(false)
        case 4: return .array((0..<Int(rng.next() % 4)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            let keys = ["a", "b", "c/d", "é"]
            return .object((0..<Int(rng.next() % 4)).map { k in (keys[k], randomValue(&rng, depth: depth + 1)) })
        }
    }

    /// The same JSON with whitespace between tokens and some characters of
    /// strings written as escapes.
    private func loosened(_ compact: String, _ rng: inout SplitMix) -> String {
        var out = ""
        var inString = false, escaped = false
        for u in compact.unicodeScalars {
            if inString {
                if escaped { escaped = false; out.unicodeScalars.append(u); continue }
                if u == "\\" { escaped = true; out += "\\"; continue }
                if u == "\"" { inString = false; out += "\""; continue }
                if rng.next() % 3 == 0 {
                    if u == "/" { out += "\\/"; continue }
                    if u.value < 0x10000 { out += "\\u" + String(format: "%04x", u.value); continue }
                }
                out.unicodeScalars.append(u)
            } else {
                let structural = "{}[],:".unicodeScalars.contains(u)
                if structural && rng.next() % 2 == 0 { out += [" ", "\n", "\t", "\r\n"][Int(rng.next() % 4)] }
                if u == "\"" { inString = true }
                out.unicodeScalars.append(u)
                if structural && rng.next() % 2 == 0 { out += " " }
            }
        }
        return out
    }
}

private struct SplitMix {
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
