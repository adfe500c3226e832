/// Eight bytes at a time: masks that flag, in their high bit, the bytes of
/// a little-endian word that matter to a scanner, so that a loop over text
/// looks at one word per step and jumps to the first byte that matters
/// (`trailingZeroBitCount >> 3`).
///
/// Every mask flags its bytes exactly up to its first flagged byte; a borrow
/// may flag bytes above that one, never below. So the lowest flag of several
/// masks OR-ed together is always the first byte that matches any of them.
public enum ByteWord {
    public static let ones: UInt64 = 0x0101_0101_0101_0101
    public static let highs: UInt64 = 0x8080_8080_8080_8080

    @inlinable @inline(__always)
    public static func load(_ b: UnsafeRawBufferPointer, _ i: Int) -> UInt64 {
        UInt64(littleEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }

    /// The bytes of `v` that are zero.
    @inlinable @inline(__always)
    public static func zeroBytes(_ v: UInt64) -> UInt64 {
        (v &- ones) & ~v & highs
    }

    /// The bytes of `w` equal to `c`.
    @inlinable @inline(__always)
    public static func bytes(_ w: UInt64, equalTo c: UInt8) -> UInt64 {
        zeroBytes(w ^ (UInt64(c) &* ones))
    }

    /// The bytes of `v` that are zero, every one exact (no borrow crosses
    /// bytes): for masks used whole, not only for their lowest flag.
    @inlinable @inline(__always)
    public static func zeroBytesExact(_ v: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((v & low) &+ low) | v | low)
    }

    /// The bytes of `w` equal to `c`, every one exact.
    @inlinable @inline(__always)
    public static func bytesExact(_ w: UInt64, equalTo c: UInt8) -> UInt64 {
        zeroBytesExact(w ^ (UInt64(c) &* ones))
    }

    /// The bytes of `w` below `c` (which must be at most 0x80).
    @inlinable @inline(__always)
    public static func bytes(_ w: UInt64, below c: UInt8) -> UInt64 {
        (w &- UInt64(c) &* ones) & ~w & highs
    }
}

extension ByteWord {
    /// Two seeded word-at-a-time multiply-xorshift hashes of bytes and their
    /// count, in one pass, from independent seeds and constants. Not
    /// cryptographic: for tables keyed by text (repeated messages, unique
    /// ids) whose seeds are drawn anew in every process, so that no input
    /// can aim at a collision it cannot see. Each step is a bijection of each
    /// state, so inputs of one length that differ in one word never collide.
    @inlinable
    public static func hashPair(_ b: UnsafeRawBufferPointer, seeds: (UInt64, UInt64)) -> (UInt64, UInt64) {
        var x = seeds.0 ^ (UInt64(b.count) &* 0x9E37_79B9_7F4A_7C15)
        var y = seeds.1 ^ UInt64(b.count)
        var i = 0
        while i + 8 <= b.count {
            let w = load(b, i)
            x = mix(x, w, 0xFF51_AFD7_ED55_8CCD, 32)
            y = mix(y, w, 0xC4CE_B9FE_1A85_EC53, 29)
            i += 8
        }
        let tail = tailWord(b, from: i)
        return (mix(x, tail, 0xC4CE_B9FE_1A85_EC53, 29), mix(y, tail, 0xFF51_AFD7_ED55_8CCD, 32))
    }

    /// One seeded hash: the first of `hashPair`, computed alone (through
    /// `hashPair` both were, 330 instructions for a 36-byte id).
    @inlinable
    public static func hash(_ b: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var x = seed ^ (UInt64(b.count) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        while i + 8 <= b.count {
            x = mix(x, load(b, i), 0xFF51_AFD7_ED55_8CCD, 32)
            i += 8
        }
        return mix(x, tailWord(b, from: i), 0xC4CE_B9FE_1A85_EC53, 29)
    }

    /// One step of the hashes: a bijection of the state for a given word.
    @inlinable @inline(__always)
    static func mix(_ state: UInt64, _ word: UInt64, _ factor: UInt64, _ shift: UInt64) -> UInt64 {
        let v = (state ^ word) &* factor
        return v ^ (v >> shift)
    }

    /// The bytes from `i` to the end (fewer than eight), little-endian.
    @inlinable @inline(__always)
    static func tailWord(_ b: UnsafeRawBufferPointer, from i: Int) -> UInt64 {
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        var i = i
        while i < b.count {
            tail |= UInt64(b[i]) << shift
            shift += 8
            i += 1
        }
        return tail
    }
}
