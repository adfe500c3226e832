import Foundation
import Frames

/// A JSON text parsed into one flat list of its values (a tape), over a copy
/// of its bytes; `JSONView` reads a value of it.
///
/// Why not `JSONValue` for the history's payloads: a tree holds every
/// member, item and string in allocations of its own, made by the thread
/// that reads the stored messages and freed by the one that derives the
/// history. Parsing the history's payloads into trees was about 9,700
/// instructions a payload (callgrind, 10 MB benchmark ingest: 237 M of the
/// reader thread's 550 M), and freeing them another 38 M on the busier
/// thread. A tape is three allocations, whatever the payload, and strings
/// and numbers are made only when a tracker asks for them, as few are.
///
/// The grammar, depth limit and readings (`string`, `int`, `double`) are
/// those of `JSONValue`, so a payload reads the same either way (tests
/// compare the two on every kind of value).
public final class JSONTape: @unchecked Sendable {
    /// One value: scalars cover their text; containers are followed by
    /// their contents (an object's as key, value, key, value, …).
    struct Node {
        var kind: Kind
        /// For strings: no escapes and only ASCII, so the text between the
        /// quotes is the string (nearly every key and value); set at parsing
        /// so that key lookups compare bytes and nothing else.
        var plain: Bool
        /// Byte range of the value's text (a string's with its quotes).
        var start: Int32
        var end: Int32
        /// Index of the node after this value and its contents.
        var after: Int32
    }

    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    // Raw storage, immutable once parsed (hence Sendable): the lookups run
    // for every member of every payload the history reads, and Swift arrays
    // behind a class cost a bounds check and a retain each.
    let nodes: UnsafeMutablePointer<Node>
    let nodeCount: Int
    let bytes: UnsafeMutablePointer<UInt8>
    let byteCount: Int

    /// Parses a whole JSON text (copied).
    public convenience init(parsing raw: UnsafeRawBufferPointer) throws(JSONScanner.Failure) {
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(raw.count, 1))
        if let base = raw.baseAddress { bytes.initialize(from: base.assumingMemoryBound(to: UInt8.self), count: raw.count) }
        try self.init(owning: bytes, count: raw.count)
    }

    public convenience init(parsing text: String) throws(JSONScanner.Failure) {
        let utf8 = text.utf8
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(utf8.count, 1))
        _ = UnsafeMutableBufferPointer(start: bytes, count: utf8.count).initialize(from: utf8)
        try self.init(owning: bytes, count: utf8.count)
    }

    /// Parses `count` bytes at `bytes`, which the tape owns from now on
    /// (and frees, if they are not JSON).
    private init(owning bytes: UnsafeMutablePointer<UInt8>, count: Int) throws(JSONScanner.Failure) {
        var builder = Builder(capacity: count / 6 + 2)
        var s = JSONScanner(UnsafeRawBufferPointer(start: bytes, count: count))
        do throws(JSONScanner.Failure) {
            try builder.value(&s, depth: 0)
            s.skipWhitespace()
            guard s.atEnd else { throw .invalid("trailing characters", at: s.index) }
        } catch {
            builder.nodes.deallocate()
            bytes.deallocate()
            throw error
        }
        self.bytes = bytes
        byteCount = count
        nodes = builder.nodes
        nodeCount = builder.count
    }

    deinit {
        nodes.deallocate()
        bytes.deallocate()
    }

    /// The whole text's value.
    public var root: JSONView { JSONView(tape: self, index: 0) }

    /// The nodes as they are parsed, in storage that grows by doubling.
    private struct Builder {
        var nodes: UnsafeMutablePointer<Node>
        var capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            nodes = .allocate(capacity: capacity)
        }

        mutating func append(_ n: Node) {
            if count == capacity {
                let bigger = UnsafeMutablePointer<Node>.allocate(capacity: capacity * 2)
                bigger.moveInitialize(from: nodes, count: count)
                nodes.deallocate()
                nodes = bigger
                capacity *= 2
            }
            (nodes + count).initialize(to: n)
            count += 1
        }

        mutating func string(_ s: inout JSONScanner) throws(JSONScanner.Failure) {
            if let r = s.plainStringRange() {
                append(Node(kind: .string, plain: true, start: Int32(r.lowerBound), end: Int32(r.upperBound), after: Int32(count + 1)))
                return
            }
            let r = try s.stringRange()
            append(Node(kind: .string, plain: false, start: Int32(r.lowerBound), end: Int32(r.upperBound), after: Int32(count + 1)))
        }

        mutating func value(_ s: inout JSONScanner, depth: Int) throws(JSONScanner.Failure) {
            s.skipWhitespace()
            guard let c = s.peek() else { throw .invalid("unexpected end", at: s.index) }
            let start = s.index
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < JSONScanner.maxDepth else { throw .tooDeep(at: s.index) }
                let isObject = c == UInt8(ascii: "{")
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                let me = count
                append(Node(kind: isObject ? .object : .array, plain: false, start: Int32(start), end: 0, after: 0))
                s.index += 1
                s.skipWhitespace()
                if s.peek() != close {
                    while true {
                        if isObject {
                            s.skipWhitespace()
                            try string(&s)
                            try s.expect(UInt8(ascii: ":"), "':'")
                        }
                        try value(&s, depth: depth + 1)
                        s.skipWhitespace()
                        if s.peek() == UInt8(ascii: ",") { s.index += 1; continue }
                        if s.peek() == close { break }
                        throw .invalid(isObject ? "expected ',' or '}'" : "expected ',' or ']'", at: s.index)
                    }
                }
                s.index += 1
                nodes[me].end = Int32(s.index)
                nodes[me].after = Int32(count)
            case UInt8(ascii: "\""):
                try string(&s)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let r = try s.value(depth: depth)
                let kind: Kind = c == UInt8(ascii: "t") ? .true : c == UInt8(ascii: "f") ? .false : .null
                append(Node(kind: kind, plain: false, start: Int32(r.lowerBound), end: Int32(r.upperBound), after: Int32(count + 1)))
            default:
                try s.number()
                append(Node(kind: .number, plain: false, start: Int32(start), end: Int32(s.index), after: Int32(count + 1)))
            }
        }
    }

    /// Whether the key at node `k` is `want`: its bytes when plain, as
    /// nearly every key, else its decoded text (which is also what invalid
    /// UTF-8 reads as, repaired as a String repairs it).
    @inline(__always) func keyMatches(_ k: Int, _ want: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = nodes[k]
        let count = Int(n.end - n.start) - 2
        if n.plain {
            guard count == want.count else { return false }
            return count == 0 || memcmp(bytes + Int(n.start) + 1, want.baseAddress!, count) == 0
        }
        return Array(decodedString(n).utf8).elementsEqual(want)
    }

    func text(_ n: Node) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes + Int(n.start), count: Int(n.end - n.start)), as: UTF8.self)
    }

    func decodedString(_ n: Node) -> String {
        if n.plain {
            return String(decoding: UnsafeBufferPointer(start: bytes + Int(n.start) + 1, count: Int(n.end - n.start) - 2), as: UTF8.self)
        }
        return JSONScanner.decodeString(UnsafeRawBufferPointer(start: bytes + Int(n.start), count: Int(n.end - n.start)))
    }

    static let nullTape = try! JSONTape(parsing: "null")
}

/// A value of a `JSONTape`, read as a `JSONValue` is read.
public struct JSONView: Sendable {
    let tape: JSONTape
    let index: Int

    init(tape: JSONTape, index: Int) {
        self.tape = tape
        self.index = index
    }

    /// JSON `null`, for payloads not parsed (or not JSON).
    public static let null = JSONTape.nullTape.root

    /// The same value as a tape (tests, and callers that hold a tree).
    public init(_ value: JSONValue) {
        self = (try? JSONTape(parsing: value.serialized))?.root ?? .null
    }

    private var node: JSONTape.Node { tape.nodes[index] }

    public var isNull: Bool { node.kind == .null }

    /// The value of the first member named `key`, if this is an object.
    /// (A StaticString: the history's keys are all literals, read without
    /// a retain or a check of how the String is stored.)
    public subscript(key: StaticString) -> JSONView? {
        find(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// The value of the first member named `key` (a key made at run time).
    public func member(_ key: String) -> JSONView? {
        Array(key.utf8).withUnsafeBufferPointer { find($0) }
    }

    private func find(_ want: UnsafeBufferPointer<UInt8>) -> JSONView? {
        let n = node
        guard n.kind == .object else { return nil }
        var k = index + 1
        let end = Int(n.after)
        while k < end {
            if tape.keyMatches(k, want) { return JSONView(tape: tape, index: k + 1) }
            k = Int(tape.nodes[k + 1].after)
        }
        return nil
    }

    /// Calls `body` with each member in order, if this is an object: one
    /// walk for a reader that wants several members, where each lookup
    /// would walk them again.
    public func forEachMember(_ body: (JSONMember) -> Void) {
        let n = node
        guard n.kind == .object else { return }
        var k = index + 1
        let end = Int(n.after)
        while k < end {
            body(JSONMember(tape: tape, key: k))
            k = Int(tape.nodes[k + 1].after)
        }
    }

    /// The item at `index`, if this is an array that long.
    public subscript(index: Int) -> JSONView? {
        let n = node
        guard n.kind == .array, index >= 0 else { return nil }
        var i = self.index + 1
        let end = Int(n.after)
        var left = index
        while i < end {
            if left == 0 { return JSONView(tape: tape, index: i) }
            left -= 1
            i = Int(tape.nodes[i].after)
        }
        return nil
    }

    /// The items, if this is an array.
    public var array: [JSONView]? {
        guard node.kind == .array else { return nil }
        var out: [JSONView] = []
        forEachItem { out.append($0) }
        return out
    }

    /// Calls `body` with each item in order, if this is an array: `array`
    /// without the array (a meter value's samples are read once each).
    public func forEachItem(_ body: (JSONView) -> Void) {
        let n = node
        guard n.kind == .array else { return }
        var i = index + 1
        let end = Int(n.after)
        while i < end {
            body(JSONView(tape: tape, index: i))
            i = Int(tape.nodes[i].after)
        }
    }

    public var string: String? { node.kind == .string ? tape.decodedString(node) : nil }

    /// A string read as an ISO 8601 time (`Timestamp(iso8601:)`), from the
    /// tape's bytes when it has no escapes: no String is made for it.
    public var timestamp: Timestamp? {
        let n = node
        guard n.kind == .string else { return nil }
        if n.plain {
            return Timestamp(iso8601: UnsafeBufferPointer(start: tape.bytes + Int(n.start) + 1, count: Int(n.end - n.start) - 2))
        }
        return Timestamp(iso8601: tape.decodedString(n))
    }

    /// `string`, but when it equals one of `known` that String itself is
    /// returned (a literal: no allocation, no reference count), so that a
    /// value of a closed list read for every sample costs no String each.
    public func string(among known: [String]) -> String? {
        let n = node
        guard n.kind == .string else { return nil }
        if n.plain {
            let count = Int(n.end - n.start) - 2
            let start = tape.bytes + Int(n.start) + 1
            for k in known where k.utf8.count == count {
                let same = k.utf8.withContiguousStorageIfAvailable { count == 0 || memcmp(start, $0.baseAddress!, count) == 0 }
                if same == true { return k }
            }
        }
        return tape.decodedString(n)
    }

    /// A string's content or a number's text (identifiers OCPP sends as either).
    public var scalarText: String? {
        let n = node
        switch n.kind {
        case .string: return tape.decodedString(n)
        case .number: return tape.text(n)
        default: return nil
        }
    }

    public var bool: Bool? {
        switch node.kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }

    /// A number, or a string holding one (OCPP 1.6 sends meter values as strings).
    public var double: Double? {
        let n = node
        switch n.kind {
        case .number: return Double(tape.text(n))
        case .string:
            let t = tape.decodedString(n)
            return Double(t) ?? Double(t.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    public var int: Int? {
        let n = node
        switch n.kind {
        case .number:
            let t = tape.text(n)
            return Int(t) ?? Double(t).flatMap { $0.rounded() == $0 ? Int(exactly: $0) : nil }
        case .string: return Int(tape.decodedString(n))
        default: return nil
        }
    }

    /// The value as a tree.
    public var value: JSONValue {
        let n = node
        return (try? JSONValue.parse(UnsafeRawBufferPointer(start: tape.bytes + Int(n.start), count: Int(n.end - n.start)))) ?? .null
    }
}

/// A member of an object, as `JSONView.forEachMember` hands it over.
public struct JSONMember {
    let tape: JSONTape
    let key: Int

    public var value: JSONView { JSONView(tape: tape, index: key + 1) }

    public func isNamed(_ name: StaticString) -> Bool {
        tape.keyMatches(key, UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }
}
