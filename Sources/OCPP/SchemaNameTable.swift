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
}
