import Foundation

/// The JSON types a rule admits, one bit each.
struct SchemaTypes: OptionSet, Sendable {
    let rawValue: UInt8
    static let string = SchemaTypes(rawValue: 1)
    static let integer = SchemaTypes(rawValue: 2)
    static let number = SchemaTypes(rawValue: 4)
    static let boolean = SchemaTypes(rawValue: 8)
    static let object = SchemaTypes(rawValue: 16)
    static let array = SchemaTypes(rawValue: 32)
    static let null = SchemaTypes(rawValue: 64)
    static let any = SchemaTypes(rawValue: 127)

    /// "integer", "string or null", … for messages.
    var name: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .number: return "number"
        case .boolean: return "boolean"
        case .object: return "object"
        case .array: return "array"
        case .any: return "any"
        default: break
        }
        let names: [(SchemaTypes, String)] = [
            (.string, "string"), (.integer, "integer"), (.number, "number"), (.boolean, "boolean"),
            (.object, "object"), (.array, "array"), (.null, "null"),
        ]
        if self == .any { return "any" }
        return names.filter { contains($0.0) }.map(\.1).joined(separator: " or ")
    }
}

/// An enumeration of allowed strings, shared by every rule that uses it.
final class SchemaEnum: Sendable {
    /// In schema order, for messages.
    let values: [String]
    let table: SchemaNameTable<Void>

    init(_ values: [String]) {
        self.values = values
        self.table = SchemaNameTable(values.map { ($0, ()) })
    }
}

/// One node of a payload's rule tree: what one JSON value must look like.
///
/// Immutable once built, so one node is shared by every action (and every
/// thread) that uses it, as the generator shares identical nodes.
final class SchemaNode: Sendable {
    struct Member: Sendable {
        /// nil: the member is required but has no rule of its own.
        let node: SchemaNode?
        /// The member's bit in the mask of required members seen, or -1.
        let requiredBit: Int
    }

    let types: SchemaTypes
    let maxLength: Int?
    let enumeration: SchemaEnum?
    let dateTime: Bool
    let minimum: Double?
    let maximum: Double?
    /// `additionalProperties: false`.
    let closed: Bool
    let members: SchemaNameTable<Member>
    /// Required member names in schema order; bit i of the seen mask is `required[i]`.
    let required: [String]
    let requiredMask: UInt64
    let items: SchemaNode?
    let minItems: Int?
    let maxItems: Int?

    init(types: SchemaTypes, maxLength: Int?, enumeration: SchemaEnum?, dateTime: Bool, minimum: Double?,
         maximum: Double?, closed: Bool, members: SchemaNameTable<Member>, required: [String], items: SchemaNode?,
         minItems: Int?, maxItems: Int?) {
        self.types = types
        self.maxLength = maxLength
        self.enumeration = enumeration
        self.dateTime = dateTime
        self.minimum = minimum
        self.maximum = maximum
        self.closed = closed
        self.members = members
        self.required = required
        self.requiredMask = required.isEmpty ? 0 : (required.count >= 64 ? ~0 : (UInt64(1) << UInt64(required.count)) - 1)
        self.items = items
        self.minItems = minItems
        self.maxItems = maxItems
    }
}

/// The rules of one action: the CALL payload and the CALLRESULT payload.
struct ActionRules: Sendable {
    let request: SchemaNode?
    let response: SchemaNode?
}

/// The compiled-in rules of every version, parsed on demand from the text
/// that `scripts/generate-schema-rules.py` wrote into
/// `SchemaRules.generated.swift`.
///
/// Why lazily and per action: a run over a 1.6 fleet touches a dozen
/// actions of one version; parsing only their lines keeps start-up free,
/// and the text itself costs nothing to compile (see the generator).
/// A lock guards the caches; after an action's first use the cost of a
/// lookup is the lock and a length-bucketed name lookup (no hashing).
/// `@unchecked Sendable` because the lock is the synchronisation: every
/// mutable member is touched only with it held, and the nodes handed out
/// are immutable.
final class SchemaRules: @unchecked Sendable {
    private let lock = NSLock()
    /// One slot per entry of `SchemaRulesData.versions`, filled on first use.
    private var versions: [VersionRules?]

    init() {
        versions = Array(repeating: nil, count: SchemaRulesData.versions.count)
    }

    /// The slot of a version: "1.6", "2.0.1", "2.1", also with the
    /// WebSocket subprotocol's "ocpp" prefix.
    static func versionIndex(_ version: String) -> Int? {
        if let i = SchemaRulesData.versions.firstIndex(of: version) { return i }
        if version.hasPrefix("ocpp") { return SchemaRulesData.versions.firstIndex(of: String(version.dropFirst(4))) }
        return nil
    }

    /// The rules of `action` in `version`, or nil when there are none.
    func rules(version: String, action: String) -> ActionRules? {
        guard let vi = SchemaRules.versionIndex(version) else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return versionRules(vi)?.rules(action: action)
    }

    /// Every action of a version, sorted; empty for an unknown version.
    func actions(version: String) -> [String] {
        guard let vi = SchemaRules.versionIndex(version) else { return [] }
        lock.lock()
        defer { lock.unlock() }
        return versionRules(vi)?.actionNames.sorted() ?? []
    }

    /// Call with the lock held.
    private func versionRules(_ i: Int) -> VersionRules? {
        if let v = versions[i] { return v }
        guard SchemaRulesData.format == VersionRules.format,
              let text = SchemaRulesData.text(version: SchemaRulesData.versions[i]) else { return nil }
        let v = VersionRules(text: text)
        versions[i] = v
        return v
    }
}

/// One version's rule text, indexed by line, with the nodes built so far.
/// Not thread-safe: `SchemaRules` holds its lock around every use.
final class VersionRules {
    /// The line format this parser reads; the generator writes the same number.
    static let format = 1

    private let bytes: [UInt8]
    private var enumLines: [Range<Int>] = []
    private var nodeLines: [Range<Int>] = []
    /// Root node ids per action (-1: no such message), in action-line order.
    private var roots: [(request: Int, response: Int)] = []
    /// Action name to its index in `roots` and `built`.
    private var actionIndex = SchemaNameTable<Int>([])
    private var enums: [SchemaEnum?] = []
    private var nodes: [SchemaNode?] = []
    private var built: [ActionRules?] = []

    var actionNames: [String] { actionIndex.allKeys }

    /// Indexes the lines: one pass over the text, no node parsed yet.
    init(text: String) {
        bytes = Array(text.utf8)
        var start = 0
        let n = bytes.count
        var names: [(String, Int)] = []
        while start < n {
            var end = start
            while end < n && bytes[end] != 0x0A { end += 1 }
            // Lines are indented in the Swift literal, but a multi-line
            // literal strips that indentation; skip any leading spaces anyway.
            var s = start
            while s < end && bytes[s] == 0x20 { s += 1 }
            if end - s >= 2 {
                let body = (s + 2)..<end
                switch bytes[s] {
                case UInt8(ascii: "E"): enumLines.append(body)
                case UInt8(ascii: "N"): nodeLines.append(body)
                case UInt8(ascii: "A"):
                    let f = fields(body)
                    if f.count == 3 {
                        names.append((name(f[0]), roots.count))
                        roots.append((id(f[1]) ?? -1, id(f[2]) ?? -1))
                    } else {
                        assertionFailure("malformed action line in the schema rules")
                    }
                default: break
                }
            }
            start = end + 1
        }
        actionIndex = SchemaNameTable(names)
        built = Array(repeating: nil, count: roots.count)
        enums = Array(repeating: nil, count: enumLines.count)
        nodes = Array(repeating: nil, count: nodeLines.count)
    }

    func rules(action: String) -> ActionRules? {
        guard let a = actionIndex[action] else { return nil }
        if let r = built[a] { return r }
        let (q, s) = roots[a]
        let r = ActionRules(request: q >= 0 ? node(q) : nil, response: s >= 0 ? node(s) : nil)
        built[a] = r
        return r
    }

    // MARK: Parsing lines

    private func fields(_ r: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = r.lowerBound
        while i < r.upperBound {
            while i < r.upperBound && bytes[i] == 0x20 { i += 1 }
            let s = i
            while i < r.upperBound && bytes[i] != 0x20 { i += 1 }
            if i > s { out.append(s..<i) }
        }
        return out
    }

    /// A name or enumeration value, undoing the generator's percent-encoding.
    private func name(_ r: Range<Int>) -> String {
        let slice = bytes[r]
        guard slice.contains(UInt8(ascii: "%")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        var i = r.lowerBound
        while i < r.upperBound {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < r.upperBound,
               let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    private func id(_ r: Range<Int>) -> Int? { Int(String(decoding: bytes[r], as: UTF8.self)) }
    private func number(_ r: Range<Int>) -> Double? { Double(String(decoding: bytes[r], as: UTF8.self)) }

    private func enumeration(_ k: Int) -> SchemaEnum? {
        guard k >= 0 && k < enums.count else { assertionFailure("bad enumeration id \(k)"); return nil }
        if let e = enums[k] { return e }
        let r = enumLines[k]
        var values: [String] = []
        var s = r.lowerBound
        for i in r.lowerBound...r.upperBound where i == r.upperBound || bytes[i] == UInt8(ascii: "|") {
            values.append(name(s..<i))
            s = i + 1
        }
        let e = SchemaEnum(values)
        enums[k] = e
        return e
    }

    /// Node `k`, parsing it (and its children, which have smaller ids) on first use.
    private func node(_ k: Int) -> SchemaNode? {
        guard k >= 0 && k < nodes.count else { assertionFailure("bad node id \(k)"); return nil }
        if let n = nodes[k] { return n }
        let f = fields(nodeLines[k])
        guard let first = f.first else { assertionFailure("empty node line \(k)"); return nil }
        var types: SchemaTypes = []
        for c in bytes[first] {
            switch c {
            case UInt8(ascii: "s"): types.insert(.string)
            case UInt8(ascii: "i"): types.insert(.integer)
            case UInt8(ascii: "n"): types.insert(.number)
            case UInt8(ascii: "b"): types.insert(.boolean)
            case UInt8(ascii: "o"): types.insert(.object)
            case UInt8(ascii: "a"): types.insert(.array)
            case UInt8(ascii: "z"): types.insert(.null)
            case UInt8(ascii: "*"): types = .any
            default: assertionFailure("bad type letter in node \(k)")
            }
        }
        var maxLength: Int?, enumeration: SchemaEnum?, dateTime = false
        var minimum: Double?, maximum: Double?, closed = false
        var members: [(String, SchemaNode.Member)] = []
        var required: [String] = []
        var items: SchemaNode?, minItems: Int?, maxItems: Int?
        for t in f.dropFirst() {
            let tag = bytes[t.lowerBound]
            let rest = (t.lowerBound + 1)..<t.upperBound
            switch tag {
            case UInt8(ascii: "L"): maxLength = id(rest)
            case UInt8(ascii: "E"): enumeration = id(rest).flatMap { self.enumeration($0) }
            case UInt8(ascii: "D"): dateTime = true
            case UInt8(ascii: "m"): minimum = number(rest)
            case UInt8(ascii: "M"): maximum = number(rest)
            case UInt8(ascii: "C"): closed = true
            case UInt8(ascii: "I"): items = id(rest).flatMap { node($0) }
            case UInt8(ascii: "k"): minItems = id(rest)
            case UInt8(ascii: "K"): maxItems = id(rest)
            case UInt8(ascii: "!"), UInt8(ascii: "."):
                let eq = rest.firstIndex { bytes[$0] == UInt8(ascii: "=") } ?? rest.upperBound
                let memberName = name(rest.lowerBound..<eq)
                let child = eq < rest.upperBound ? id((eq + 1)..<rest.upperBound).flatMap { node($0) } : nil
                var bit = -1
                if tag == UInt8(ascii: "!") && required.count < 64 {
                    bit = required.count
                    required.append(memberName)
                }
                members.append((memberName, SchemaNode.Member(node: child, requiredBit: bit)))
            default:
                assertionFailure("unknown token in node \(k)")
            }
        }
        let n = SchemaNode(types: types, maxLength: maxLength, enumeration: enumeration, dateTime: dateTime,
                           minimum: minimum, maximum: maximum, closed: closed, members: SchemaNameTable(members),
                           required: required,
                           items: items, minItems: minItems, maxItems: maxItems)
        nodes[k] = n
        return n
    }
}
