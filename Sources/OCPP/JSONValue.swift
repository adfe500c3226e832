import Foundation

/// A parsed JSON value, for the few messages whose fields the tool reads
/// (BootNotification, and later the history's messages).
///
/// Numbers keep their text so that re-serialising a payload (to mask a
/// secret) changes nothing but the secret.
public enum JSONValue: Hashable, Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let x), .array(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// Parses a whole JSON text.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONScanner.Failure) -> JSONValue {
        var s = JSONScanner(bytes)
        let v = try parseValue(&s, depth: 0)
        s.skipWhitespace()
        guard s.atEnd else { throw .invalid("trailing characters", at: s.index) }
        return v
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONScanner.Failure) -> JSONValue {
        try bytes.withUnsafeBytes { raw in Result { () throws(JSONScanner.Failure) in try parse(raw) } }.get()
    }

    public static func parse(_ text: String) throws(JSONScanner.Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private static func parseValue(_ s: inout JSONScanner, depth: Int) throws(JSONScanner.Failure) -> JSONValue {
        s.skipWhitespace()
        guard let c = s.peek() else { throw .invalid("unexpected end", at: s.index) }
        switch c {
        case UInt8(ascii: "{"):
            guard depth < JSONScanner.maxDepth else { throw .tooDeep(at: s.index) }
            s.index += 1
            var members: [(String, JSONValue)] = []
            s.skipWhitespace()
            if s.peek() == UInt8(ascii: "}") { s.index += 1; return .object(members) }
            while true {
                s.skipWhitespace()
                let key = try s.string()
                try s.expect(UInt8(ascii: ":"), "':'")
                members.append((key, try parseValue(&s, depth: depth + 1)))
                s.skipWhitespace()
                if s.peek() == UInt8(ascii: ",") { s.index += 1; continue }
                if s.peek() == UInt8(ascii: "}") { s.index += 1; return .object(members) }
                throw .invalid("expected ',' or '}'", at: s.index)
            }
        case UInt8(ascii: "["):
            guard depth < JSONScanner.maxDepth else { throw .tooDeep(at: s.index) }
            s.index += 1
            var items: [JSONValue] = []
            s.skipWhitespace()
            if s.peek() == UInt8(ascii: "]") { s.index += 1; return .array(items) }
            while true {
                items.append(try parseValue(&s, depth: depth + 1))
                s.skipWhitespace()
                if s.peek() == UInt8(ascii: ",") { s.index += 1; continue }
                if s.peek() == UInt8(ascii: "]") { s.index += 1; return .array(items) }
                throw .invalid("expected ',' or ']'", at: s.index)
            }
        case UInt8(ascii: "\""):
            return .string(try s.string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let r = try s.value(depth: depth)
            switch s.bytes[r.lowerBound] {
            case UInt8(ascii: "t"): return .bool(true)
            case UInt8(ascii: "f"): return .bool(false)
            default: return .null
            }
        default:
            let start = s.index
            try s.number()
            return .number(String(decoding: UnsafeRawBufferPointer(rebasing: s.bytes[start..<s.index]), as: UTF8.self))
        }
    }

    // MARK: Hashing

    /// Consistent with `==` (members in order), so whole payloads can be
    /// compared by hash without serialising them (duplicate detection).
    public func hash(into h: inout Hasher) {
        switch self {
        case .object(let members):
            h.combine(0)
            h.combine(members.count)
            for (k, v) in members { h.combine(k); v.hash(into: &h) }
        case .array(let items):
            h.combine(1)
            h.combine(items.count)
            for v in items { v.hash(into: &h) }
        case .string(let s): h.combine(2); h.combine(s)
        case .number(let n): h.combine(3); h.combine(n)
        case .bool(let b): h.combine(4); h.combine(b)
        case .null: h.combine(5)
        }
    }

    // MARK: Access

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.0 == key })?.1
    }

    public subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, index >= 0, index < items.count else { return nil }
        return items[index]
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }

    /// A number, or a string holding one (OCPP 1.6 sends meter values as strings).
    public var double: Double? {
        switch self {
        case .number(let t): return Double(t)
        case .string(let t): return Double(t) ?? Double(t.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    public var int: Int? {
        switch self {
        case .number(let t): return Int(t) ?? Double(t).flatMap { $0.rounded() == $0 ? Int(exactly: $0) : nil }
        case .string(let t): return Int(t)
        default: return nil
        }
    }

    // MARK: Serialising

    /// Compact JSON text.
    public var serialized: String {
        var out = ""
        write(into: &out)
        return out
    }

    public func write(into out: inout String) {
        switch self {
        case .object(let members):
            out += "{"
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(k, into: &out)
                out += ":"
                v.write(into: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += "," }
                v.write(into: &out)
            }
            out += "]"
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .number(let t): out += t
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// Writes `s` as a JSON string literal.
    public static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    out += "\\u00" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
