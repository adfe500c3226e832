import Frames

/// A validating, non-allocating JSON scanner over bytes (RFC 8259).
///
/// Why not Foundation's JSONSerialization: the envelope of every OCPP-J
/// message is read on the hot path of `decode` and `ingest`, and building a
/// dictionary per message costs more than the whole rest of the decoding.
/// The scanner checks that the text is JSON and returns byte ranges; only
/// the few strings the envelope needs are decoded into `String`.
public struct JSONScanner {
    public enum Failure: Error, Equatable {
        case invalid(String, at: Int)
        case tooDeep(at: Int)
    }

    /// Why a limit: deeply nested arrays make recursive parsers overflow the
    /// stack; no OCPP payload nests more than a handful of levels.
    public static let maxDepth = 64

    public let bytes: UnsafeRawBufferPointer
    public var index: Int

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.index = 0
    }

    public var atEnd: Bool { index >= bytes.count }

    public mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    public func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    public mutating func expect(_ c: UInt8, _ what: String) throws(Failure) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == c else { throw .invalid("expected \(what)", at: index) }
        index += 1
    }

    /// Skips one value, checking it; returns its byte range.
    ///
    /// A valid value (nearly every payload) is checked by `JSONSkip`, one
    /// loop with its position in a local; anything it does not accept is
    /// read again by `checkedValue`, which says exactly what is wrong and
    /// where. Why: the recursive descent, a call per value, member and
    /// string, was a third of `decode`'s OCPP-J thread.
    public mutating func value(depth: Int = 0) throws(Failure) -> Range<Int> {
        skipWhitespace()
        if let end = JSONSkip.value(bytes, from: index, depthLimit: JSONScanner.maxDepth - depth) {
            let start = index
            index = end
            return start..<end
        }
        return try checkedValue(depth: depth)
    }

    /// `value` by recursive descent, with the exact error.
    mutating func checkedValue(depth: Int = 0) throws(Failure) -> Range<Int> {
        skipWhitespace()
        let start = index
        guard index < bytes.count else { throw .invalid("unexpected end", at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < JSONScanner.maxDepth else { throw .tooDeep(at: index) }
            index += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { index += 1; return start..<index }
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw .invalid("expected a member name", at: index) }
                _ = try stringRange()
                try expect(UInt8(ascii: ":"), "':'")
                _ = try checkedValue(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw .invalid("unexpected end in object", at: index) }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return start..<index }
                throw .invalid("expected ',' or '}'", at: index)
            }
        case UInt8(ascii: "["):
            guard depth < JSONScanner.maxDepth else { throw .tooDeep(at: index) }
            index += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { index += 1; return start..<index }
            while true {
                _ = try checkedValue(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw .invalid("unexpected end in array", at: index) }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return start..<index }
                throw .invalid("expected ',' or ']'", at: index)
            }
        case UInt8(ascii: "\""):
            return try stringRange()
        case UInt8(ascii: "t"): try literal("true"); return start..<index
        case UInt8(ascii: "f"): try literal("false"); return start..<index
        case UInt8(ascii: "n"): try literal("null"); return start..<index
        default:
            try number()
            return start..<index
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count else { throw .invalid("unexpected end", at: index) }
        for k in 0..<n where bytes[index + k] != word.utf8Start[k] {
            throw .invalid("invalid literal", at: index)
        }
        index += n
    }

    /// Checks a number and leaves `index` after it.
    public mutating func number() throws(Failure) {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), first >= 48, first <= 57 else { throw .invalid("invalid value", at: start) }
        if first == 48 { index += 1 } else { digits() }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let d = peek(), d >= 48, d <= 57 else { throw .invalid("invalid number", at: start) }
            digits()
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            index += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { index += 1 }
            guard let d = peek(), d >= 48, d <= 57 else { throw .invalid("invalid number", at: start) }
            digits()
        }
    }

    private mutating func digits() {
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
    }

    /// The range (quotes included) of a plain string starting here, no
    /// escape and only ASCII, so that its bytes are its value, and the
    /// index moved past it; nil, the index where it was, for any other
    /// string, valid or not (read those with `stringRange`).
    public mutating func plainStringRange() -> Range<Int>? {
        let start = index
        guard start < bytes.count, let base = bytes.baseAddress, base.load(fromByteOffset: start, as: UInt8.self) == 0x22,
              let end = JSONSkip.plainStringEnd(base, bytes.count, start) else { return nil }
        index = end
        return start..<end
    }

    /// Checks a string and returns its range (quotes included).
    ///
    /// A valid string is found by `JSONSkip.stringEnd`, eight bytes at a
    /// time with its position in a local (string contents were the
    /// scanner's largest cost); an invalid one is read again byte by byte
    /// here, to say what is wrong and where.
    public mutating func stringRange() throws(Failure) -> Range<Int> {
        let start = index
        let n = bytes.count
        guard start < n, let base = bytes.baseAddress, base.load(fromByteOffset: start, as: UInt8.self) == 0x22 else {
            throw .invalid("expected a string", at: start)
        }
        if let end = JSONSkip.stringEnd(base, n, start) {
            index = end
            return start..<end
        }
        var i = start + 1
        while i < n {
            let c = base.load(fromByteOffset: i, as: UInt8.self)
            index = i
            // (A quote cannot come first here: stringEnd would have ended there.)
            if c == 0x22 {
                index = i + 1
                return start..<index
            }
            if c == 0x5C {
                guard i + 1 < n else { break }
                switch base.load(fromByteOffset: i + 1, as: UInt8.self) {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= n else { throw .invalid("short \\u escape", at: i) }
                    for k in 2..<6 where JSONScanner.hex(base.load(fromByteOffset: i + k, as: UInt8.self)) == nil {
                        throw .invalid("bad \\u escape", at: i)
                    }
                    i += 6
                default:
                    throw .invalid("bad escape", at: i)
                }
                continue
            }
            if c < 0x20 { throw .invalid("control character in string", at: i) }
            i += 1
        }
        index = i
        throw .invalid("unterminated string", at: start)
    }

    /// Decodes a string value (with its quotes) into a Swift string.
    public mutating func string() throws(Failure) -> String {
        skipWhitespace()
        let r = try stringRange()
        return JSONScanner.decodeString(UnsafeRawBufferPointer(rebasing: bytes[r]))
    }

    static func hex(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: return UInt32(c - 48)
        case 65...70: return UInt32(c - 55)
        case 97...102: return UInt32(c - 87)
        default: return nil
        }
    }

    /// The contents of a checked JSON string literal (quotes included).
    public static func decodeString(_ lit: UnsafeRawBufferPointer) -> String {
        let inner = UnsafeRawBufferPointer(rebasing: lit[1..<(lit.count - 1)])
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        var out = [UInt8]()
        out.reserveCapacity(inner.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for k in 0..<4 { v = v << 4 | (hex(inner[at + k]) ?? 0) }
            return v
        }
        while i < inner.count {
            let c = inner[i]
            guard c == UInt8(ascii: "\\"), i + 1 < inner.count else { out.append(c); i += 1; continue }
            let e = inner[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "u"):
                guard i + 4 <= inner.count else { break }
                var scalar = hex4(i)
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00, i + 6 <= inner.count, inner[i] == UInt8(ascii: "\\"), inner[i + 1] == UInt8(ascii: "u") {
                    let low = hex4(i + 2)
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
