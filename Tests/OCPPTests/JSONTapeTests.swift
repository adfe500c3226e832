import Frames
import Testing
@testable import OCPP

/// The history reads payloads from a `JSONTape` where it read `JSONValue`
/// trees: a tape must accept exactly the texts the tree parser accepts, and
/// every reading (members, items, strings, numbers, booleans) of every
/// value must be the tree's.
@Suite("JSONTape")
struct JSONTapeTests {
    /// Compares every reading of `view` with `value`'s, all the way down.
    static func expectSame(_ view: JSONView, _ value: JSONValue, _ text: String) {
        #expect(view.string == value.string, "\(text)")
        #expect(view.int == value.int, "\(text)")
        #expect(view.double == value.double || (view.double?.isNaN == true && value.double?.isNaN == true), "\(text)")
        #expect(view.isNull == (value == .null), "\(text)")
        #expect(view.timestamp == value.string.flatMap { Timestamp(iso8601: $0) }, "\(text)")
        #expect(view.string(among: JSONTapeTests.known) == value.string, "\(text)")
        #expect(view.value == value, "\(text)")
        switch value {
        case .bool(let b): #expect(view.bool == b)
        default: #expect(view.bool == nil)
        }
        switch value {
        case .string(let s): #expect(view.scalarText == s)
        case .number(let n): #expect(view.scalarText == n)
        default: #expect(view.scalarText == nil)
        }
        if case .object(let members) = value {
            for (key, _) in members {
                guard let v = view.member(key), let w = value[key] else { Issue.record("member \(key) missing: \(text)"); continue }
                expectSame(v, w, text)
            }
            #expect(view["no such member"] == nil && view.member("no such member") == nil)
            var walked: [JSONMember] = []
            view.forEachMember { walked.append($0) }
            #expect(walked.count == members.count, "\(text)")
            for (m, (k, v)) in zip(walked, members) {
                #expect(m.value.value == v, "\(text)")
                for name: StaticString in ["k0", "k1", "k2", "k3", "idTag", "a\"b", ""] {
                    #expect(m.isNamed(name) == (k == name.description), "\(text): \(k) \(name)")
                }
            }
            #expect(view[0] == nil && view.array == nil)
        } else {
            #expect(view["k0"] == nil)
        }
        if case .array(let items) = value {
            let views = view.array ?? []
            var walked: [JSONValue] = []
            view.forEachItem { walked.append($0.value) }
            #expect(walked == items, "\(text)")
            #expect(views.count == items.count, "\(text)")
            for (v, w) in zip(views, items) { expectSame(v, w, text) }
            for i in [-1, 0, items.count - 1, items.count] {
                #expect((view[i] == nil) == (value[i] == nil), "\(text) [\(i)]")
                if let v = view[i], let w = value[i] { #expect(v.value == w) }
            }
        }
    }

    @Test func readsRandomJSONAsTheTreeDoes() {
        var r = JSONSkipTests.Rng(state: 0x7A9E)
        let noise: [UInt8] = Array("{}[]:,\"\\ 0-.eE+tfnul9x".utf8) + [0x00, 0x1F, 0xC3]
        var valid = 0, broken = 0
        for _ in 0..<2000 {
            let text = JSONSkipTests.json(&r, depth: 0)
            var bytes = Array(text.utf8)
            for variant in 0..<3 {
                if variant > 0 {
                    let at = r.below(bytes.count + 1)
                    if at < bytes.count, r.below(2) == 0 { bytes[at] = noise[r.below(noise.count)] } else { bytes = Array(bytes.prefix(at)) }
                }
                let tree = try? JSONValue.parse(bytes)
                let tape = bytes.withUnsafeBytes { try? JSONTape(parsing: $0) }
                #expect((tree == nil) == (tape == nil), "\(bytes)")
                if let tree, let tape {
                    valid += 1
                    JSONTapeTests.expectSame(tape.root, tree, String(decoding: bytes, as: UTF8.self))
                } else {
                    broken += 1
                }
            }
        }
        #expect(valid > 2000 && broken > 500)
    }

    @Test func readsOCPPPayloadsAsTheTreeDoes() throws {
        let texts = [
            #"{"connectorId":1,"transactionId":"tx-9","meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[{"value":"12.5","unit":"kWh"},{"value":" 7 ","measurand":"Power.Active.Import"}]}]}"#,
            #"{"transactionId":42,"meterStop":1.5e3,"reason":"EVDisconnected","idTagInfo":{"status":"Accepted"}}"#,
            #"{"offline":true,"seqNo":3.0,"evse":{"id":2,"connectorId":1},"idToken":{"idToken":"AB\u0043","type":"ISO14443"}}"#,
            // A key written with an escape, the same key twice (the first counts), a key that is a prefix of another.
            #"{"id\u0054ag":"first","idTag":"second","id":"short","":0,"a\"b":[1,[2,[3]],{}]}"#,
            #"  [ 1 , -0.0 , 1e400 , "x\ny" , null , false , 9223372036854775808 , 12.0 ]  "#,
        ]
        for text in texts {
            let tree = try JSONValue.parse(text)
            JSONTapeTests.expectSame(try JSONTape(parsing: text).root, tree, text)
        }
        let t = try JSONTape(parsing: texts[3]).root
        #expect(t["idTag"]?.string == "first" && t["id"]?.string == "short" && t[""]?.int == 0 && t.member("a\"b")?[1]?[1]?[0]?.int == 3)
        #expect(try JSONTape(parsing: texts[2]).root["seqNo"]?.int == 3)
    }

    /// Strings `string(among:)` is asked to find, some of which the texts hold.
    static let known = ["k0", "", "first", "x\ny", "Power.Active.Import", "Energy.Active.Import.Register", "kWh"]

    /// Times read from the tape's bytes (no escapes) or from the decoded
    /// string (escapes) are the String parser's; a known string comes back
    /// as the one asked for, an unknown one as itself.
    @Test func readsTimesAndKnownStringsInPlace() throws {
        let text = #"""
            ["2026-01-01T00:00:00Z", "2026-03-02T06:00:00.123+01:00", "2026-03-02 06:00", "2026-03-02T06:00:00\u005A",
             "2026-13-01T00:00:00Z", "2026-01-01T00:00:00Zjunk", "", 20260101, null,
             "Power.Active.Import", "Power.Active.Imports", "Power.Active.Impor\u0074", "kWh", "kwh"]
            """#
        let items = try JSONTape(parsing: text).root.array ?? []
        let times = items.map(\.timestamp)
        let expected = ["2026-01-01T00:00:00Z", "2026-03-02T06:00:00.123+01:00", "2026-03-02 06:00", "2026-03-02T06:00:00Z"]
            .map { Timestamp(iso8601: $0) }
        #expect(times.prefix(4).elementsEqual(expected) && expected.allSatisfy { $0 != nil })
        #expect(times.dropFirst(4).allSatisfy { $0 == nil })
        #expect(times[1]?.microseconds == Timestamp(iso8601: "2026-03-02T05:00:00.123Z")?.microseconds)
        let strings = items.dropFirst(9).map { $0.string(among: JSONTapeTests.known) }
        #expect(strings == ["Power.Active.Import", "Power.Active.Imports", "Power.Active.Import", "kWh", "kwh"])
        #expect(items[7].string(among: JSONTapeTests.known) == nil && items[8].string(among: []) == nil)
    }

    @Test func refusesWhatTheTreeRefuses() {
        for text in ["", " ", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "01", "1.", "\"\\x\"", "tru", "nul", "1 2", "{\"a\":1}}"] {
            #expect(throws: JSONScanner.Failure.self, "\(text)") { try JSONTape(parsing: text) }
            #expect(throws: JSONScanner.Failure.self, "\(text)") { try JSONValue.parse(text) }
        }
        for levels in [64, 65] {
            let text = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
            #expect(((try? JSONTape(parsing: text)) == nil) == ((try? JSONValue.parse(text)) == nil))
        }
        #expect((try? JSONTape(parsing: String(repeating: "[", count: 64) + String(repeating: "]", count: 64))) != nil)
    }

    @Test func aTreeBecomesTheSameTape() throws {
        let value = try JSONValue.parse(#"{"a":[1,"b",{"c":null}],"d":true}"#)
        #expect(JSONView(value).value == value)
        #expect(JSONView.null.isNull && JSONView.null["a"] == nil && JSONView.null.string == nil)
    }
}
