/// One way a payload breaks its action's official JSON schema.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case missingRequired = "missing-required"
        case wrongType = "wrong-type"
        case notInEnum = "not-in-enum"
        case tooLong = "too-long"
        case outOfRange = "out-of-range"
        case tooFewItems = "too-few-items"
        case tooManyItems = "too-many-items"
        case unexpectedMember = "unexpected-member"
        case badDateTime = "bad-date-time"
    }

    /// A JSON pointer (RFC 6901) into the payload: `/meterValue/0/sampledValue/0/measurand`;
    /// "" is the payload itself. For a missing member, the pointer it would have.
    public var path: String
    public var kind: Kind
    /// Short and readable: `"Foo" is not one of Available, Preparing, … (9 values)`.
    public var message: String

    public init(path: String, kind: Kind, message: String) {
        self.path = path
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(path.isEmpty ? "/" : path) \(kind.rawValue): \(message)" }
}

/// Checks OCPP payloads against the official OCPP JSON schemas of 1.6
/// (with the security extension), 2.0.1 and 2.1, compiled into the tool by
/// `scripts/generate-schema-rules.py`: no schema file is read at run time.
///
/// What is checked: JSON types, required members, enumerations, string
/// maximum lengths, numeric minimum/maximum, array minItems/maxItems,
/// `additionalProperties: false`, and the RFC 3339 shape of `date-time`
/// strings. What is not: 1.6's `multipleOf: 0.1` on charging-profile
/// limits (a precision rule for the CSMS's numbers, and one that a binary
/// floating-point test gets wrong: 0.3 / 0.1 is not 3) and 1.6's
/// `format: uri` on download locations.
///
/// Why hand-written rather than a general JSON Schema validator: it runs on
/// every message at ingest, so it walks a prepared rule tree, compares bytes
/// (no regular expressions, no date formatters) and builds text only for
/// violations. Numbers are judged from their JSON text: `1.0` is an integer,
/// as draft-06 says (draft-04 1.6 validators disagree among themselves).
public final class SchemaValidator: Sendable {
    /// The rules of the three versions, parsed lazily per action.
    public static let shared = SchemaValidator()

    /// How many violations one payload reports at most: one broken charger
    /// firmware can break every element of a long array, and ten say enough.
    public static let defaultLimit = 10

    private let rules = SchemaRules()

    public init() {}

    /// The versions with rules: `["1.6", "2.0.1", "2.1"]`.
    public static var versions: [String] { SchemaRulesData.versions }

    /// Every action of `version` (sorted), empty for an unknown version.
    /// `version` may carry the subprotocol's `ocpp` prefix.
    public func actions(version: String) -> [String] { rules.actions(version: version) }

    /// Whether there is a schema for this message.
    public func hasRules(version: String, action: String, isRequest: Bool) -> Bool {
        guard let r = rules.rules(version: version, action: action) else { return false }
        return (isRequest ? r.request : r.response) != nil
    }

    /// Validates one payload.
    ///
    /// - Parameters:
    ///   - version: "1.6", "2.0.1" or "2.1" (or "ocpp1.6", … as negotiated).
    ///   - action: the CALL's action (for a CALLRESULT, the correlated CALL's).
    ///   - isRequest: true for a CALL (or a 2.1 SEND) payload, false for a CALLRESULT payload.
    ///   - limit: at most this many violations are returned; the walk stops there.
    /// - Returns: nil when there are no rules (unknown version or action, or
    ///   no such message); otherwise the violations, empty for a valid payload,
    ///   in document order (a missing member after its object's other findings).
    public func validate(version: String, action: String, isRequest: Bool, payload: JSONValue,
                         limit: Int = SchemaValidator.defaultLimit) -> [SchemaViolation]? {
        guard let r = rules.rules(version: version, action: action),
              let root = isRequest ? r.request : r.response else { return nil }
        var walk = Walk(limit: max(limit, 0))
        if walk.limit > 0 { walk.check(payload, root, at: nil) }
        return walk.found
    }

    /// Validates one payload given as its JSON text, read where it lies
    /// (SchemaByteWalk), with the same answer as `validate(…payload:)` on
    /// its parsed value. The text must be one valid JSON value (as the
    /// OCPP-J envelope's check leaves it); otherwise the answer is nil.
    public func validate(version: String, action: String, isRequest: Bool, payloadText: UnsafeRawBufferPointer,
                         limit: Int = SchemaValidator.defaultLimit) -> [SchemaViolation]? {
        guard let r = rules.rules(version: version, action: action),
              let root = isRequest ? r.request : r.response else { return nil }
        var walk = SchemaByteWalk(payloadText, limit: max(limit, 0))
        return walk.run(root)
    }
}

/// One step of the path from the payload to the value in hand, kept on the
/// call stack: each level of the walk points at its parent's step.
///
/// Why not an array of steps: it would allocate on every validation, and
/// the path is only needed to name a violation, which is rare.
private struct PathLink {
    let parent: UnsafePointer<PathLink>?
    /// The member name, or nil for an array element.
    let key: String?
    let index: Int
}

/// One validation: what was found so far.
private struct Walk {
    let limit: Int
    var found: [SchemaViolation] = []

    init(limit: Int) { self.limit = limit }

    var full: Bool { found.count >= limit }

    mutating func check(_ value: JSONValue, _ node: SchemaNode, at path: UnsafePointer<PathLink>?) {
        switch value {
        case .object(let members):
            guard node.types.contains(.object) else { return wrongType(node, value, at: path) }
            checkObject(members, node, at: path)
        case .array(let items):
            guard node.types.contains(.array) else { return wrongType(node, value, at: path) }
            if let min = node.minItems, items.count < min {
                add(.tooFewItems, "\(items.count) item\(items.count == 1 ? "" : "s"), at least \(min) required", at: path)
            }
            if let max = node.maxItems, items.count > max {
                add(.tooManyItems, "\(items.count) items, at most \(max) allowed", at: path)
            }
            guard let itemRule = node.items else { return }
            for i in items.indices {
                if full { return }
                withUnsafePointer(to: PathLink(parent: path, key: nil, index: i)) { check(items[i], itemRule, at: $0) }
            }
        case .string(let s):
            guard node.types.contains(.string) else { return wrongType(node, value, at: path) }
            for (kind, message) in node.stringFindings(s) { add(kind, message, at: path) }
        case .number(let text):
            if !node.types.contains(.number) {
                guard node.types.contains(.integer), SchemaNumber.isInteger(text) else {
                    return wrongType(node, value, at: path)
                }
            }
            if node.minimum != nil || node.maximum != nil, let x = SchemaNumber.value(text) {
                if let lo = node.minimum, x < lo {
                    add(.outOfRange, "\(text) is below the minimum \(SchemaNumber.text(lo))", at: path)
                } else if let hi = node.maximum, x > hi {
                    add(.outOfRange, "\(text) is above the maximum \(SchemaNumber.text(hi))", at: path)
                }
            }
        case .bool:
            if !node.types.contains(.boolean) { wrongType(node, value, at: path) }
        case .null:
            if !node.types.contains(.null) { wrongType(node, value, at: path) }
        }
    }

    private mutating func checkObject(_ members: [(String, JSONValue)], _ node: SchemaNode,
                                      at path: UnsafePointer<PathLink>?) {
        var seen: UInt64 = 0
        for i in members.indices {
            if full { return }
            let name = members[i].0
            if let m = node.members[name] {
                if m.requiredBit >= 0 { seen |= UInt64(1) << UInt64(m.requiredBit) }
                if let child = m.node {
                    withUnsafePointer(to: PathLink(parent: path, key: name, index: 0)) {
                        check(members[i].1, child, at: $0)
                    }
                }
            } else if node.closed {
                withUnsafePointer(to: PathLink(parent: path, key: name, index: 0)) {
                    add(.unexpectedMember, "\(SchemaText.quoted(name)) is not a member the schema allows", at: $0)
                }
            }
        }
        guard seen != node.requiredMask else { return }
        for (bit, name) in node.required.enumerated() where seen & (UInt64(1) << UInt64(bit)) == 0 {
            if full { return }
            withUnsafePointer(to: PathLink(parent: path, key: name, index: 0)) {
                add(.missingRequired, "required member \(SchemaText.quoted(name)) is missing", at: $0)
            }
        }
    }

    private mutating func wrongType(_ node: SchemaNode, _ value: JSONValue, at path: UnsafePointer<PathLink>?) {
        add(.wrongType, "expected \(node.types.name), found \(SchemaText.describe(value))", at: path)
    }

    private mutating func add(_ kind: SchemaViolation.Kind, _ message: @autoclosure () -> String,
                              at path: UnsafePointer<PathLink>?) {
        guard !full else { return }
        found.append(SchemaViolation(path: Walk.pointer(path), kind: kind, message: message()))
    }

    /// The JSON pointer (RFC 6901) of a path.
    private static func pointer(_ path: UnsafePointer<PathLink>?) -> String {
        var steps: [String] = []
        var p = path
        while let link = p {
            steps.append(link.pointee.key.map(SchemaText.pointerStep) ?? String(link.pointee.index))
            p = link.pointee.parent
        }
        return SchemaText.pointer(steps.reversed())
    }
}

extension SchemaNode {
    /// What a string value breaks of this rule (the value is a string, and
    /// the rule admits strings), in the order the walks report it. Shared by
    /// the walk over parsed values and, for strings with escapes, the walk
    /// over the text.
    func stringFindings(_ s: String) -> [(SchemaViolation.Kind, String)] {
        var out: [(SchemaViolation.Kind, String)] = []
        if let e = enumeration, !e.table.contains(s) {
            out.append((.notInEnum, "\(SchemaText.quoted(s)) is not one of \(SchemaText.list(e.values))"))
        }
        // UTF-8 length bounds the code-point count from above: count code
        // points (what maxLength means) only when the bytes exceed it.
        if let max = maxLength, s.utf8.count > max {
            let n = s.unicodeScalars.count
            if n > max { out.append((.tooLong, "\(n) characters, at most \(max) allowed")) }
        }
        if dateTime && !SchemaDateTime.isValid(s) {
            out.append((.badDateTime, "\(SchemaText.quoted(s)) is not an RFC 3339 date-time"))
        }
        return out
    }
}

/// Numbers from their JSON text.
enum SchemaNumber {
    /// Whether a JSON number is an integer: no fraction or exponent, or one
    /// that leaves an integral value (`1.0`, `1e3`), as draft-06 says.
    static func isInteger(_ text: String) -> Bool {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            return true
        }
        guard let d = Double(text), d.isFinite else { return false }
        return d.rounded(.towardZero) == d
    }

    /// The value; plain integers of up to 15 digits without the general
    /// parser, as nearly every bounded OCPP number is one.
    static func value(_ text: String) -> Double? {
        var acc: Int64 = 0
        var digits = 0
        var negative = false
        for (i, c) in text.utf8.enumerated() {
            if i == 0 && c == UInt8(ascii: "-") { negative = true; continue }
            guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"), digits < 15 else { return Double(text) }
            acc = acc * 10 + Int64(c - UInt8(ascii: "0"))
            digits += 1
        }
        guard digits > 0 else { return Double(text) }
        return Double(negative ? -acc : acc)
    }

    /// `0`, `3`, `0.5`: a bound as a person writes it.
    static func text(_ x: Double) -> String {
        if x.rounded() == x && abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }
}

/// Short texts for messages; built only when there is a violation.
enum SchemaText {
    /// A member name as a step of a JSON pointer (RFC 6901: `~` as `~0`, `/` as `~1`).
    static func pointerStep(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        var escaped = ""
        for c in key.unicodeScalars {
            switch c {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.unicodeScalars.append(c)
            }
        }
        return escaped
    }

    /// The pointer of steps from the payload down.
    static func pointer<S: Sequence<String>>(_ steps: S) -> String {
        steps.reduce(into: "") { out, step in
            out += "/"
            out += step
        }
    }

    /// A string in quotes, cut to 40 characters so that a message stays short.
    static func quoted(_ s: String) -> String {
        // utf8.count is O(1); count characters only for a long string.
        let cut = s.utf8.count > 40 && s.count > 40
        let shown = cut ? String(s.prefix(40)) : s
        let plain = !shown.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        var out = ""
        if plain {
            out = "\"" + shown + "\""
        } else {
            JSONValue.writeString(shown, into: &out)
        }
        return cut ? out + "…" : out
    }

    /// The first few allowed values, and how many there are.
    static func list(_ values: [String]) -> String {
        if values.count <= 5 { return values.joined(separator: ", ") }
        return values.prefix(4).joined(separator: ", ") + ", … (\(values.count) values)"
    }

    static func describe(_ v: JSONValue) -> String {
        switch v {
        case .object: return "object"
        case .array: return "array"
        case .string(let s): return "string \(quoted(s))"
        case .number(let t): return "number \(t.count > 40 ? String(t.prefix(40)) + "…" : t)"
        case .bool(let b): return "boolean \(b)"
        case .null: return "null"
        }
    }
}
