#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small byte-level searches used by the formats, so that no line becomes a
/// `String` or meets a regular expression on the hot path.
enum ByteSearch {
    /// Whether two byte ranges hold the same bytes (memcmp, not a loop of
    /// generic element comparisons).
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }

    /// `b[r]` as an array, copied in one memcpy. Why this form: `Array(b[r])`
    /// of a raw buffer's slice copied byte by byte, about two instructions
    /// a byte, and every message of a log is copied once (callgrind, 10 MB
    /// benchmark log: 4.7% of the reading thread); and
    /// `Array(unsafeUninitializedCapacity:)` allocates through the standard
    /// library's unspecialised entry, which looks up the array's generic
    /// metadata every time (about 640 instructions an allocation, 34.8 M of
    /// that thread's 388 M). An array of a whole raw buffer is made by code
    /// specialised here, in about 220.
    static func copy(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> [UInt8] {
        guard !r.isEmpty else { return [] }
        precondition(r.lowerBound >= 0 && r.upperBound <= b.count)
        return Array(UnsafeRawBufferPointer(rebasing: b[r]))
    }

    /// The first occurrence of `needle` in `b[from..<to]`.
    static func find(_ needle: [UInt8], in b: UnsafeRawBufferPointer, from: Int = 0, to: Int? = nil) -> Int? {
        let end = to ?? b.count
        guard let first = needle.first, end - from >= needle.count, let base = b.baseAddress else { return nil }
        var i = from
        let last = end - needle.count
        while i <= last {
            guard let p = memchr(base + i, Int32(first), last - i + 1) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(p))
            if needle.count == 1 { return at }
            var ok = true
            for k in 1..<needle.count where b[at + k] != needle[k] { ok = false; break }
            if ok { return at }
            i = at + 1
        }
        return nil
    }

    /// Like `find`, ASCII letters compared without case (`needle` in lower case).
    static func findCaseless(_ needle: [UInt8], in b: UnsafeRawBufferPointer, from: Int = 0, to: Int? = nil) -> Int? {
        let end = to ?? b.count
        guard !needle.isEmpty, end - from >= needle.count else { return nil }
        var i = from
        while i <= end - needle.count {
            var ok = true
            for k in 0..<needle.count where lower(b[i + k]) != needle[k] { ok = false; break }
            if ok { return i }
            i += 1
        }
        return nil
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c }

    /// Where an OCPP-J array starts in `b[from...]`: a `[` followed (after
    /// optional spaces) by a message type digit 2–6 and a comma.
    static func ocppArrayStart(_ b: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        var i = from
        while let at = find([0x5B], in: b, from: i) {
            var j = at + 1
            while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
            if j < b.count, b[j] >= 0x32, b[j] <= 0x36 {
                var k = j + 1
                while k < b.count, b[k] == 0x20 || b[k] == 0x09 { k += 1 }
                if k < b.count, b[k] == 0x2C { return at }
            }
            i = at + 1
        }
        return nil
    }

    /// Whether a line can only be the inside of a pretty-printed JSON value
    /// (and not the start of a new log line): it starts, after indentation,
    /// with a bracket, brace, quote, comma, digit or JSON literal — and not
    /// with a timestamp or a `[word` log prefix.
    static func looksLikeJSONContinuation(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        guard i < b.count else { return true }
        switch b[i] {
        case 0x5D, 0x7D, 0x7B, 0x22, 0x2C, 0x2D: return true
        case 0x5B:
            var j = i + 1
            while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
            guard j < b.count else { return true }
            let c = b[j]
            return c == 0x5B || c == 0x7B || c == 0x22 || c == 0x5D || (c >= 0x30 && c <= 0x39) || c == 0x2D
                || c == 0x74 || c == 0x66 || c == 0x6E
        case 0x30...0x39:
            // A number inside an array, but not a timestamp or a date.
            var j = i
            while j < b.count, b[j] >= 0x30, b[j] <= 0x39 { j += 1 }
            if j < b.count, b[j] == 0x2D || b[j] == 0x2F || b[j] == 0x3A { return false }
            return j - i < 10 || j == b.count || b[j] == 0x2C || b[j] == 0x2E
        case 0x74, 0x66, 0x6E:
            return b.count - i <= 6 && (b[i...].starts(with: Array("true".utf8)) || b[i...].starts(with: Array("false".utf8))
                                         || b[i...].starts(with: Array("null".utf8)))
        default: return false
        }
    }

    static func trimmed(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 { hi -= 1 }
        return lo..<hi
    }
}
