import CByteScan
import Frames

/// Walks the members of one JSON object on a line, without building it.
///
/// Why not the OCPP target's scanner: LogStream sits left of OCPP in the
/// pipeline and imports nothing to its right. A log line's object only needs
/// its member names and the byte ranges of their values; the OCPP-J message
/// inside is validated by the message decoder, and a line that is not JSON
/// simply is not a JSON-lines record.
enum FlatJSON {
    /// Calls `body(nameRange, valueRange)` for each member (name without
    /// quotes, value as written). Returns false when the line is not an object.
    static func members(_ b: UnsafeRawBufferPointer, _ body: (Range<Int>, Range<Int>) -> Void) -> Bool {
        var i = 0
        skipSpace(b, &i)
        guard i < b.count, b[i] == 0x7B else { return false }
        i += 1
        while true {
            skipSpace(b, &i)
            guard i < b.count else { return false }
            if b[i] == 0x7D { return true }
            guard b[i] == 0x22, let nameEnd = stringEnd(b, i) else { return false }
            let name = (i + 1)..<(nameEnd - 1)
            i = nameEnd
            skipSpace(b, &i)
            guard i < b.count, b[i] == 0x3A else { return false }
            i += 1
            skipSpace(b, &i)
            let vStart = i
            guard let vEnd = valueEnd(b, i) else { return false }
            body(name, vStart..<vEnd)
            i = vEnd
            skipSpace(b, &i)
            guard i < b.count else { return false }
            if b[i] == 0x2C { i += 1; continue }
            if b[i] == 0x7D { return true }
            return false
        }
    }

    @inline(__always) static func skipSpace(_ b: UnsafeRawBufferPointer, _ i: inout Int) {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    /// The index after the closing quote of the string starting at `i`.
    static func stringEnd(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var i = start + 1
        while true {
            i = nextQuoteOrBackslash(b, from: i)
            guard i < b.count else { return nil }
            if b[i] == 0x22 { return i + 1 }
            i += 2
        }
    }

    /// The index after the value starting at `i` (strings, nested arrays and
    /// objects by bracket depth, scalars up to the next delimiter).
    static func valueEnd(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        guard start < b.count else { return nil }
        switch b[start] {
        case 0x22: return stringEnd(b, start)
        case 0x5B, 0x7B:
            return nestedEnd(b, start)
        default:
            var i = start
            while i < b.count, b[i] != 0x2C, b[i] != 0x7D, b[i] != 0x5D, b[i] != 0x20 { i += 1 }
            return i > start ? i : nil
        }
    }

    // MARK: A word at a time
    //
    // Why: finding the end of the OCPP-J array inside each line was a tenth
    // of a JSON-lines log's decoding instructions, one byte and one switch at
    // a time. These look at eight bytes per step (sixteen for arrays and
    // objects, in C: `nestedEnd`) for the bytes that matter
    // and return the first one's index (or an index at or past the end when
    // there is none), so the loops above see exactly the bytes they saw
    // before, in the same order.

    /// The index after the array or object starting at `start`: brackets
    /// counted outside strings, a backslash in a string escaping the next
    /// byte. Sixteen bytes a step in C with SSE2 (CByteScan), where a step
    /// holds no backslash: the quotes' running parity says which bytes lie
    /// inside strings, and only the brackets outside are counted. Why: a log
    /// line's OCPP-J array was walked string by string, the largest cost of
    /// reading a JSON-lines log (callgrind, 40 MB benchmark log: 392 M of
    /// the reading thread's 1.81 G instructions); eight bytes a step in
    /// Swift, it was still a tenth of that thread (perf, 250 MB benchmark
    /// log), and Swift's SIMD16 comparisons compiled to a loop over lanes.
    static func nestedEnd(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        guard let base = b.baseAddress, start < b.count else { return nil }
        let end = ocs_nested_end(base.assumingMemoryBound(to: UInt8.self), b.count, start)
        return end < 0 ? nil : end
    }

    /// The first index from `from` holding `"` or `\`.
    static func nextQuoteOrBackslash(_ b: UnsafeRawBufferPointer, from: Int) -> Int {
        var i = from
        let n = b.count
        while i + 8 <= n {
            let w = ByteWord.load(b, i)
            let m = ByteWord.bytes(w, equalTo: 0x22) | ByteWord.bytes(w, equalTo: 0x5C)
            if m != 0 { return i + m.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n {
            let c = b[i]
            if c == 0x22 || c == 0x5C { return i }
            i += 1
        }
        return i
    }

    /// Whether a quoted string holds escapes.
    static func hasEscape(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        ByteSearch.find([0x5C], in: b, from: r.lowerBound, to: r.upperBound) != nil
    }

    /// The bytes of a JSON string's contents (quotes excluded from `r`), escapes undone.
    static func unescape(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        var i = r.lowerBound
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= r.upperBound else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = b[k]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x37)
                case 0x61...0x66: d = UInt32(c - 0x57)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
        while i < r.upperBound {
            let c = b[i]
            guard c == 0x5C, i + 1 < r.upperBound else { out.append(c); i += 1; continue }
            let e = b[i + 1]
            i += 2
            switch e {
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x75:
                guard var scalar = hex4(i) else { out.append(0x75); continue }
                i += 4
                if scalar >= 0xD800, scalar < 0xDC00, i + 6 <= r.upperBound, b[i] == 0x5C, b[i + 1] == 0x75,
                   let low = hex4(i + 2), low >= 0xDC00, low < 0xE000 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(u).utf8))
            default: out.append(e)
            }
        }
        return out
    }

    /// A lower-cased hash of a member name, to look names up without allocating.
    static func nameKey(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for i in r {
            var c = b[i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c == 0x5F || c == 0x2D { continue }   // charge_point = chargePoint = charge-point
            h = (h ^ UInt64(c)) &* 0x100000001b3
        }
        return h
    }

    static func nameKey(_ s: String) -> UInt64 {
        Array(s.utf8).withUnsafeBytes { nameKey($0, 0..<$0.count) }
    }
}
