// A seeded, portable pseudo-random generator.
//
// Samples and test captures must be byte-identical across runs, machines and
// Swift versions, so Synth never uses SystemRandomNumberGenerator and never
// relies on the standard library's `random(in:using:)` algorithms (which are
// free to change). xoshiro256** seeded through SplitMix64 is small, fast and
// fully specified; the range helpers below are ours too.

public struct SynthRandom: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        s0 = SynthRandom.splitMix(&sm); s1 = SynthRandom.splitMix(&sm)
        s2 = SynthRandom.splitMix(&sm); s3 = SynthRandom.splitMix(&sm)
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// xoshiro256**.
    public mutating func next() -> UInt64 {
        let result = SynthRandom.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = SynthRandom.rotl(s3, 45)
        return result
    }

    /// A generator for a sub-stream (one per charge point), so adding a
    /// message to one charge point does not shift every other one's choices.
    public mutating func fork(_ salt: UInt64) -> SynthRandom {
        SynthRandom(seed: next() ^ (salt &* 0x9E37_79B9_7F4A_7C15))
    }

    /// Uniform in 0..<n (multiply-shift; the bias for small n is negligible).
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(truncatingIfNeeded: UInt64(n).multipliedFullWidth(by: next()).high)
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    public mutating func int64(_ range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(range.upperBound - range.lowerBound) &+ 1
        if span == 0 { return Int64(bitPattern: next()) }
        return range.lowerBound + Int64(span.multipliedFullWidth(by: next()).high)
    }

    /// Uniform in [0, 1).
    public mutating func double() -> Double { Double(next() >> 11) * 0x1p-53 }

    public mutating func chance(_ p: Double) -> Bool { double() < p }

    /// Exponentially distributed with the given mean (for waiting times).
    public mutating func exponential(mean: Double) -> Double {
        var u = double()
        if u < 1e-12 { u = 1e-12 }
        return -mean * naturalLog(u)
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    public mutating func bytes(_ n: Int) -> [UInt8] {
        var out = [UInt8](); out.reserveCapacity(n)
        while out.count < n {
            var v = next()
            for _ in 0..<8 where out.count < n { out.append(UInt8(truncatingIfNeeded: v)); v >>= 8 }
        }
        return out
    }

    /// A version-4-shaped UUID string (OCPP-J unique ids, 2.x transaction ids).
    public mutating func uuid() -> String {
        let a = next(), b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i))) }
        for i in 0..<8 { bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i))) }
        bytes[6] = (bytes[6] & 0x0f) | 0x40
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        var out = [UInt8](); out.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hexDigits[Int(byte >> 4)]); out.append(hexDigits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Natural logarithm without Foundation (Synth stays Foundation-free so its
/// hot path has no bridging cost). Accurate to ~1e-15 relative, plenty for
/// waiting times.
func naturalLog(_ x: Double) -> Double {
    precondition(x > 0)
    // x = m * 2^e with m in [1, 2); ln x = e ln 2 + ln m, ln m by atanh series.
    let e = x.exponent
    let m = x.significand
    let t = (m - 1) / (m + 1)
    let t2 = t * t
    var term = t, sum = 0.0, k = 1.0
    for _ in 0..<30 {
        sum += term / k
        term *= t2; k += 2
        if term < 1e-18 { break }
    }
    return Double(e) * 0.693_147_180_559_945_3 + 2 * sum
}

let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
