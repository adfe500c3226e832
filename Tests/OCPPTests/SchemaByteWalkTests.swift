import Foundation
import Testing
@testable import OCPP

/// The validator over the payload's text (`validate(…payloadText:)`, what
/// ingest runs) against the validator over the parsed value, on payloads
/// made from every action's own rules with mistakes of every kind put in:
/// the same findings, in the same order, at every limit.
@Suite("SchemaValidator: text walk against the parsed walk")
struct SchemaByteWalkTests {
    @Test(arguments: ["1.6", "2.0.1", "2.1"])
    func sameFindingsAsTheParsedWalk(version: String) throws {
        let v = SchemaValidator.shared
        let rules = SchemaRules()
        var rng = Rng(seed: UInt64(version.utf8.reduce(7) { $0 &* 31 &+ Int($1) }))
        var compared = 0, withFindings = 0
        for action in v.actions(version: version) {
            for isRequest in [true, false] {
                guard let r = rules.rules(version: version, action: action), let root = isRequest ? r.request : r.response else { continue }
                for round in 0..<12 {
                    var gen = PayloadMaker(rng: rng, mistakes: round == 0 ? 0 : (round < 4 ? 0.05 : 0.25))
                    let text = gen.text(root, depth: 0)
                    rng = gen.rng
                    let parsed = try JSONValue.parse(text)
                    for limit in [1, 2, 3, 10, 1000] {
                        let expected = v.validate(version: version, action: action, isRequest: isRequest, payload: parsed, limit: limit)
                        var t = text
                        let got = t.withUTF8 {
                            v.validate(version: version, action: action, isRequest: isRequest, payloadText: UnsafeRawBufferPointer($0), limit: limit)
                        }
                        #expect(got == expected, "\(version) \(action) \(isRequest ? "request" : "response") limit \(limit): \(text)")
                        if limit == 1000, let e = expected, !e.isEmpty { withFindings += 1 }
                    }
                    compared += 1
                }
            }
        }
        #expect(compared > 900)
        #expect(withFindings > compared / 3)
    }

    @Test func notOneValidValueIsNil() {
        let v = SchemaValidator.shared
        for text in ["", "   ", "{", #"{"a":}"#, "{} {}", "[1,]", #"{"status":"Accepted""#] {
            var t = text
            let got = t.withUTF8 { v.validate(version: "1.6", action: "Heartbeat", isRequest: false, payloadText: UnsafeRawBufferPointer($0)) }
            #expect(got == nil, "\(text)")
        }
        var t = #"{"currentTime":"2025-01-01T00:00:00Z"}"#
        #expect(t.withUTF8 { v.validate(version: "1.6", action: "Heartbeat", isRequest: false, payloadText: UnsafeRawBufferPointer($0)) } == [])
        #expect(t.withUTF8 { v.validate(version: "1.6", action: "NoSuchAction", isRequest: false, payloadText: UnsafeRawBufferPointer($0)) } == nil)
    }
}

private struct Rng {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) < p * 10_000 }
}

/// JSON text following a rule, with mistakes at the given rate, and
/// whitespace and escapes where JSON allows them.
private struct PayloadMaker {
    var rng: Rng
    let mistakes: Double

    mutating func space() -> String { rng.chance(0.15) ? [" ", "\n", "\t ", "\r\n"][rng.below(4)] : "" }

    mutating func text(_ node: SchemaNode?, depth: Int) -> String {
        guard let node, depth < 12 else { return scalar() }
        var types = node.types
        if rng.chance(mistakes) || types.isEmpty { types = .any }
        let options: [SchemaTypes] = [.object, .array, .string, .integer, .number, .boolean, .null].filter { types.contains($0) }
        switch options[rng.below(options.count)] {
        case .object: return object(node, depth: depth)
        case .array:
            var count = rng.below(4)
            if rng.chance(mistakes), let max = node.maxItems { count = max + 1 + rng.below(2) }
            if rng.chance(mistakes), let min = node.minItems, min > 0 { count = rng.below(min) }
            var items: [String] = []
            for _ in 0..<min(count, 6) { items.append(space() + text(node.items, depth: depth + 1) + space()) }
            return "[" + items.joined(separator: ",") + "]"
        case .string: return string(node)
        case .integer, .number: return number(node, integer: !types.contains(.number))
        case .boolean: return rng.chance(0.5) ? "true" : "false"
        default: return "null"
        }
    }

    mutating func object(_ node: SchemaNode, depth: Int) -> String {
        var members: [String] = []
        for name in node.members.allKeys {
            let required = node.required.contains(name)
            let keep = required ? !rng.chance(mistakes) : rng.chance(0.6)
            guard keep else { continue }
            members.append(space() + quoted(name) + space() + ":" + space() + text(node.members[name]?.node, depth: depth + 1))
            if rng.chance(mistakes / 4) { members.append(quoted(name) + ":" + scalar()) }   // a name twice
        }
        if rng.chance(mistakes) { members.insert(quoted(["extra", "a/b", "t~x", "é"][rng.below(4)]) + ":" + scalar(), at: rng.below(members.count + 1)) }
        return "{" + members.joined(separator: ",") + space() + "}"
    }

    mutating func string(_ node: SchemaNode) -> String {
        var s: String
        if let e = node.enumeration, !rng.chance(mistakes) {
            s = e.values[rng.below(e.values.count)]
        } else if node.dateTime {
            s = rng.chance(mistakes * 2) ? ["2025-02-30T00:00:00Z", "2025-01-01 00:00:00", "yesterday", "2025-01-01T00:00:00"][rng.below(4)]
                : ["2025-03-03T07:00:12Z", "2025-03-03T07:00:12.345+01:00", "2024-02-29t23:59:60z"][rng.below(3)]
        } else {
            s = ["", "A", "Charging", "é/ü", "quote\"back\\slash", "tab\there", "😀x", "CP-0001"][rng.below(8)]
        }
        if let max = node.maxLength, rng.chance(mistakes) { s = String(repeating: rng.chance(0.5) ? "é" : "x", count: max + 1 + rng.below(3)) }
        return quoted(s)
    }

    mutating func number(_ node: SchemaNode, integer: Bool) -> String {
        var x = Double(rng.below(200)) - 20
        if let lo = node.minimum, !rng.chance(mistakes) { x = max(x, lo) }
        if let hi = node.maximum, !rng.chance(mistakes) { x = min(x, hi) }
        let whole = Int64(x)
        if integer && !rng.chance(mistakes) { return rng.chance(0.1) ? "\(whole).0" : (rng.chance(0.05) ? "\(whole)e0" : "\(whole)") }
        return rng.chance(0.5) ? "\(whole).5" : "\(whole)"
    }

    mutating func scalar() -> String { ["1", "\"x\"", "true", "null", "[]", "{}", "-2.5e1"][rng.below(7)] }

    /// A JSON string literal, some characters written as escapes.
    mutating func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            default:
                if rng.chance(0.05), u.value < 0x10000 { out += String(format: "\\u%04x", u.value) }
                else if u == "/" && rng.chance(0.5) { out += "\\/" }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
