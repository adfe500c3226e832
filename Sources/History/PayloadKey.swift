import Frames

/// A hash of a JSON payload's content, from its bytes: two payloads that
/// parse to the same value have the same key, however they were written.
///
/// Why: the sessions count a message sent twice (an offline queue replayed,
/// a capture and a log of the same traffic) once, by remembering the keys
/// of the messages they took. Hashing the parsed value instead walked every
/// tree on the history's busiest thread (90 M instructions of the 10 MB
/// benchmark ingest); the key is made from the bytes by the thread that
/// reads them, where nearly every payload is already in the canonical form
/// and is hashed in one call.
///
/// The canonical form: no whitespace between tokens, and every string with
/// only `"`, `\` and control characters escaped (`\"`, `\\`, `\u00XX`) and
/// everything else as its UTF-8 bytes, so `"\/"` and `"/"`, or `"\u00e9"`
/// and `"é"`, are the same. Member order counts, as it does for the parsed
/// value's equality. A lone surrogate escape stands for U+FFFD, as the
/// parser reads it.
public enum PayloadKey {
    public static func of(_ bytes: UnsafeRawBufferPointer) -> Int {
        let h = mayNeedCanonical(bytes) ? canonical(bytes).withUnsafeBytes { ByteWord.hash($0, seed: seed) } : ByteWord.hash(bytes, seed: seed)
        return Int(truncatingIfNeeded: h)
    }

    /// Whether the bytes hold whitespace or a backslash, the only bytes the
    /// canonical form may change; a word at a time. It also says yes for the
    /// other control bytes, which `canonical` keeps as they are, so the key
    /// is the same either way. Why: the byte-at-a-time test was 1,200
    /// instructions a payload on the history's reader thread (195 M of the
    /// 50 MB benchmark ingest's 17.4 G).
    static func mayNeedCanonical(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            let w = ByteWord.load(bytes, i)
            if ByteWord.bytes(w, below: 0x21) | ByteWord.bytes(w, equalTo: 0x5C) != 0 { return true }
            i += 8
        }
        while i < n {
            if bytes[i] < 0x21 || bytes[i] == 0x5C { return true }
            i += 1
        }
        return false
    }

    /// Drawn anew in every process, as Hasher's seed is. Why not Hasher:
    /// SipHash cost 2,300 instructions a payload on the reader thread
    /// (56 M of the 10 MB benchmark ingest); the word-at-a-time hash a
    /// fraction of that, and 64 bits keep a chance collision, which would
    /// count a message as sent twice, out of reach.
    static let seed = UInt64.random(in: .min ... .max)

    public static func of(_ text: String) -> Int {
        var t = text
        return t.withUTF8 { of(UnsafeRawBufferPointer($0)) }
    }

    /// The canonical form of valid JSON text (see the type's comment).
    static func canonical(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            i += 1
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { continue }
            out.append(c)
            guard c == UInt8(ascii: "\"") else { continue }
            // A string: copy to its closing quote, decoding escapes.
            while i < n {
                let d = bytes[i]
                i += 1
                if d == UInt8(ascii: "\"") { out.append(d); break }
                guard d == UInt8(ascii: "\\"), i < n else { out.append(d); continue }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "b"): appendEscaped(0x08, &out)
                case UInt8(ascii: "f"): appendEscaped(0x0C, &out)
                case UInt8(ascii: "n"): appendEscaped(0x0A, &out)
                case UInt8(ascii: "r"): appendEscaped(0x0D, &out)
                case UInt8(ascii: "t"): appendEscaped(0x09, &out)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4(bytes, i) else { out.append(e); continue }
                    i += 4
                    if scalar >= 0xD800 && scalar < 0xDC00, i + 6 <= n, bytes[i] == UInt8(ascii: "\\"),
                       bytes[i + 1] == UInt8(ascii: "u"), let low = hex4(bytes, i + 2), low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    if u.value < 0x80 { appendEscaped(UInt8(u.value), &out) } else { out.append(contentsOf: UTF8.encode(u)!) }
                default:
                    // \" \\ \/ and anything else: the character itself, escaped if it must be.
                    appendEscaped(e, &out)
                }
            }
        }
        return out
    }

    /// A byte of a string's content in the canonical form.
    private static func appendEscaped(_ b: UInt8, _ out: inout [UInt8]) {
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
            out.append(UInt8(ascii: "\\"))
            out.append(b)
        } else if b < 0x20 {
            let digits = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                    digits[Int(b >> 4)], digits[Int(b & 15)]])
        } else {
            out.append(b)
        }
    }

    private static func hex4(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        guard at + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            let c = b[k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }
}
