import Frames

/// Finds the end of one valid JSON value (RFC 8259) in a single loop, or
/// says only that the bytes are not one: `JSONScanner.value`'s fast path.
///
/// Why a second checker: `JSONScanner` is a recursive descent that reports
/// what is wrong and where, at a function call per value, member name and
/// string, with its position kept in the scanner (so in memory); on the
/// 40 MB benchmark corpus that was about 340 M instructions of `decode`'s
/// OCPP-J thread, for payloads that are nearly always valid. Here the
/// position lives in a local, containers are a bit stack (1 for an object),
/// and strings go eight bytes at a time. It accepts exactly what the
/// scanner accepts, nesting limit included (a test holds the two side by
/// side on random and broken texts); when it answers nil the scanner reads
/// the value again for its message.
enum JSONSkip {
    /// The index just past the value starting at `start` (whitespace
    /// before it is not skipped), or nil when there is none there.
    /// `depthLimit`: how many containers may be open at once.
    static func value(_ bytes: UnsafeRawBufferPointer, from start: Int, depthLimit: Int) -> Int? {
        guard let base = bytes.baseAddress, depthLimit <= 64 else { return nil }
        let n = bytes.count
        var i = start
        var depth = 0
        /// Bit k set: the container at depth k + 1 is an object.
        var objects: UInt64 = 0
        while true {
            // A value.
            i = space(base, n, i)
            guard i < n else { return nil }
            let c = base.load(fromByteOffset: i, as: UInt8.self)
            if c == 0x22 {
                guard let e = stringEnd(base, n, i) else { return nil }
                i = e
            } else if c == 0x7B || c == 0x5B {
                guard depth < depthLimit else { return nil }
                i = space(base, n, i + 1)
                guard i < n else { return nil }
                if base.load(fromByteOffset: i, as: UInt8.self) == c &+ 2 {
                    // `{}` or `[]` (the closing bracket is two code points on).
                    i += 1
                } else {
                    depth += 1
                    if c == 0x7B {
                        objects = objects << 1 | 1
                        guard let e = name(base, n, i) else { return nil }
                        i = e
                    } else {
                        objects <<= 1
                    }
                    continue
                }
            } else if c == 0x74 || c == 0x6E {
                let word: UInt32 = c == 0x74 ? 0x6575_7274 : 0x6C6C_756E   // "true", "null"
                guard i + 4 <= n, base.loadUnaligned(fromByteOffset: i, as: UInt32.self) == UInt32(littleEndian: word) else { return nil }
                i += 4
            } else if c == 0x66 {
                // "alse" after the f.
                guard i + 5 <= n, base.loadUnaligned(fromByteOffset: i + 1, as: UInt32.self) == UInt32(littleEndian: 0x6573_6C61) else { return nil }
                i += 5
            } else {
                guard let e = numberEnd(base, n, i) else { return nil }
                i = e
            }
            // After a value: close containers until one goes on.
            while true {
                if depth == 0 { return i }
                i = space(base, n, i)
                guard i < n else { return nil }
                let c = base.load(fromByteOffset: i, as: UInt8.self)
                i += 1
                if objects & 1 == 1 {
                    if c == 0x2C {
                        guard let e = name(base, n, space(base, n, i)) else { return nil }
                        i = e
                        break
                    }
                    guard c == 0x7D else { return nil }
                } else {
                    if c == 0x2C { break }
                    guard c == 0x5D else { return nil }
                }
                objects >>= 1
                depth -= 1
            }
        }
    }

    /// The index of the first byte from `i` that is not JSON whitespace.
    @inline(__always)
    static func space(_ base: UnsafeRawPointer, _ n: Int, _ i: Int) -> Int {
        var i = i
        while i < n {
            let c = base.load(fromByteOffset: i, as: UInt8.self)
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
            i += 1
        }
        return i
    }

    /// The index past a member name and its colon, from `i` (which must be
    /// at the name's quote), or nil.
    @inline(__always)
    static func name(_ base: UnsafeRawPointer, _ n: Int, _ i: Int) -> Int? {
        guard i < n, base.load(fromByteOffset: i, as: UInt8.self) == 0x22, let e = stringEnd(base, n, i) else { return nil }
        let colon = space(base, n, e)
        guard colon < n, base.load(fromByteOffset: colon, as: UInt8.self) == 0x3A else { return nil }
        return colon + 1
    }

    /// The index past the string whose opening quote is at `start`, or nil
    /// when it is not a valid string (an escape, a control character, no end).
    @inline(__always)
    static func stringEnd(_ base: UnsafeRawPointer, _ n: Int, _ start: Int) -> Int? {
        var i = start + 1
        while true {
            while i + 8 <= n {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let m = ByteWord.bytes(w, equalTo: 0x22) | ByteWord.bytes(w, equalTo: 0x5C) | ByteWord.bytes(w, below: 0x20)
                if m != 0 {
                    i += m.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < n else { return nil }
            let c = base.load(fromByteOffset: i, as: UInt8.self)
            if c == 0x22 { return i + 1 }
            if c == 0x5C {
                guard i + 1 < n else { return nil }
                switch base.load(fromByteOffset: i + 1, as: UInt8.self) {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    i += 2
                case 0x75:
                    guard i + 6 <= n else { return nil }
                    for k in 2..<6 where JSONScanner.hex(base.load(fromByteOffset: i + k, as: UInt8.self)) == nil { return nil }
                    i += 6
                default:
                    return nil
                }
                continue
            }
            if c < 0x20 { return nil }
            i += 1
        }
    }

    /// The index past the string whose opening quote is at `start` when it
    /// is plain: no escape and only ASCII, so that the bytes between its
    /// quotes are the string. nil for any other string, valid or not (the
    /// caller reads those with `JSONScanner.stringRange`).
    @inline(__always)
    static func plainStringEnd(_ base: UnsafeRawPointer, _ n: Int, _ start: Int) -> Int? {
        var i = start + 1
        while i + 8 <= n {
            let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let m = ByteWord.bytes(w, equalTo: 0x22) | ByteWord.bytes(w, equalTo: 0x5C) | ByteWord.bytes(w, below: 0x20)
                | (w & ByteWord.highs)
            if m != 0 {
                i += m.trailingZeroBitCount >> 3
                return base.load(fromByteOffset: i, as: UInt8.self) == 0x22 ? i + 1 : nil
            }
            i += 8
        }
        while i < n {
            let c = base.load(fromByteOffset: i, as: UInt8.self)
            if c == 0x22 { return i + 1 }
            if c == 0x5C || c < 0x20 || c >= 0x80 { return nil }
            i += 1
        }
        return nil
    }

    /// The index past the number starting at `start`, or nil when none
    /// starts there: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    @inline(__always)
    static func numberEnd(_ base: UnsafeRawPointer, _ n: Int, _ start: Int) -> Int? {
        var i = start
        @inline(__always) func digit(_ at: Int) -> Bool {
            at < n && base.load(fromByteOffset: at, as: UInt8.self) &- 0x30 < 10
        }
        @inline(__always) func at(_ k: Int, is c: UInt8) -> Bool { k < n && base.load(fromByteOffset: k, as: UInt8.self) == c }
        if at(i, is: 0x2D) { i += 1 }
        guard digit(i) else { return nil }
        if at(i, is: 0x30) { i += 1 } else { while digit(i) { i += 1 } }
        if at(i, is: 0x2E) {
            i += 1
            guard digit(i) else { return nil }
            while digit(i) { i += 1 }
        }
        if at(i, is: 0x65) || at(i, is: 0x45) {
            i += 1
            if at(i, is: 0x2B) || at(i, is: 0x2D) { i += 1 }
            guard digit(i) else { return nil }
            while digit(i) { i += 1 }
        }
        return i
    }
}
