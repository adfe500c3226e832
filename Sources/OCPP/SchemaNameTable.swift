import Foundation

/// A small immutable map from strings, looked up by UTF-8 length first and
/// then by comparison.
///
/// Why not `Dictionary` or `Set`: hashing a `String` (SipHash, seeded per
/// process) costs more than the rest of checking a small payload. The
/// member names of one object, the values of one enumeration and the
/// actions of one version rarely share a length, so a lookup here is an
/// O(1) length read and one or two comparisons — and a name of a length
/// the table does not have (most wrong values) costs no comparison at all.
struct SchemaNameTable<Value: Sendable>: Sendable {
    /// Entries sorted by UTF-8 length (stable: same-length entries keep their order).
    private let keys: [String]
    private let values: [Value]
    /// `starts[n]..<starts[n + 1]` are the entries of length n.
    private let starts: [Int32]
    /// The keys' UTF-8, one after the other, for lookups by bytes; key i
    /// begins at `offsets[i]`.
    private let utf8: [UInt8]
    private let offsets: [Int]
    /// Each key's first eight bytes as a word (zeros past its end): a
    /// candidate of the right length is then one comparison, and its bytes
    /// are compared only on a match. Why: comparing byte by byte, the
    /// lookups of member names were 9% of the OCPP thread (perf, 250 MB
    /// benchmark ingest).
    private let prefixes: [UInt64]

    init(_ entries: [(String, Value)]) {
        let sorted = entries.enumerated()
            .sorted { ($0.element.0.utf8.count, $0.offset) < ($1.element.0.utf8.count, $1.offset) }
            .map(\.element)
        keys = sorted.map(\.0)
        values = sorted.map(\.1)
        let longest = keys.last?.utf8.count ?? -1
        var starts = [Int32](repeating: 0, count: longest + 2)
        var i = 0
        for n in 0...(longest + 1) {
            starts[n] = Int32(i)
            while i < keys.count && keys[i].utf8.count == n { i += 1 }
        }
        self.starts = starts
        var utf8: [UInt8] = [], offsets: [Int] = []
        for k in keys {
            offsets.append(utf8.count)
            utf8.append(contentsOf: k.utf8)
        }
        self.utf8 = utf8
        self.offsets = offsets
        prefixes = keys.map { k in Array(k.utf8).withUnsafeBytes { SchemaNameTable.prefix($0) } }
    }

    /// The first eight bytes of `b` as a little-endian word, zeros past its end.
    @inline(__always)
    private static func prefix(_ b: UnsafeRawBufferPointer) -> UInt64 {
        if b.count >= 8 { return UInt64(littleEndian: b.loadUnaligned(as: UInt64.self)) }
        var w: UInt64 = 0
        for k in 0..<b.count { w |= UInt64(b[k]) << (8 * UInt64(k)) }
        return w
    }

    var count: Int { keys.count }
    var allKeys: [String] { keys }

    subscript(_ s: String) -> Value? {
        let n = s.utf8.count
        guard n + 1 < starts.count else { return nil }
        var i = Int(starts[n])
        let end = Int(starts[n + 1])
        while i < end {
            if keys[i] == s { return values[i] }
            i += 1
        }
        return nil
    }

    func contains(_ s: String) -> Bool { self[s] != nil }

    /// The value of the key whose UTF-8 is `bytes` (the validator reads
    /// member names and enumeration values where they lie in the payload).
    subscript(bytes bytes: UnsafeRawBufferPointer) -> Value? {
        let n = bytes.count
        guard n + 1 < starts.count, let base = bytes.baseAddress else { return n == 0 ? self[""] : nil }
        var i = Int(starts[n])
        let end = Int(starts[n + 1])
        let first = SchemaNameTable.prefix(bytes)
        while i < end {
            if prefixes[i] == first {
                if n <= 8 { return values[i] }
                let matches = utf8.withUnsafeBytes { all in memcmp(all.baseAddress! + offsets[i] + 8, base + 8, n - 8) == 0 }
                if matches { return values[i] }
            }
            i += 1
        }
        return nil
    }
}
