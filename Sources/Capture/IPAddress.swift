/// An IPv4 or IPv6 address in 16 bytes (IPv4 as v4-mapped), cheap to hash.
public struct IPAddress: Hashable, Sendable, Comparable {
    public var high: UInt64
    public var low: UInt64
    public var isV4: Bool { high == 0 && (low >> 32) == 0xFFFF }

    public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    init(v4 p: UnsafeRawBufferPointer, at i: Int) {
        high = 0
        low = 0xFFFF_0000_0000 | UInt64(be32(p, i))
    }

    init(v6 p: UnsafeRawBufferPointer, at i: Int) {
        var h: UInt64 = 0, l: UInt64 = 0
        for k in 0..<8 { h = h << 8 | UInt64(p[i + k]) }
        for k in 8..<16 { l = l << 8 | UInt64(p[i + k]) }
        high = h
        low = l
    }

    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    /// Dotted quad for IPv4; RFC 5952 text (zero runs compressed) for IPv6.
    public var text: String {
        if isV4 {
            let v = UInt32(truncatingIfNeeded: low)
            return "\(v >> 24).\(v >> 16 & 0xFF).\(v >> 8 & 0xFF).\(v & 0xFF)"
        }
        var groups = [UInt16]()
        for k in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(k))) }
        for k in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(k))) }
        // Longest run of zero groups (at least two) becomes "::".
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else { i += 1 }
        }
        func hex(_ r: Range<Int>) -> String { r.map { String(groups[$0], radix: 16) }.joined(separator: ":") }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLen)..<8)
    }
}

/// One end of a TCP connection.
public struct Endpoint: Hashable, Sendable {
    public var address: IPAddress
    public var port: UInt16
    public var text: String { address.isV4 ? "\(address.text):\(port)" : "[\(address.text)]:\(port)" }
}

/// Both ends of a TCP connection, ordered so that either direction's packets
/// find the same key.
struct FlowKey: Hashable {
    var a: Endpoint
    var b: Endpoint
    init(_ x: Endpoint, _ y: Endpoint) {
        if x.address < y.address || (x.address == y.address && x.port < y.port) { a = x; b = y } else { a = y; b = x }
    }

    /// The six fields folded into one word, from a seed drawn once per
    /// process (so that no capture can be built to make flows collide).
    /// Equality still compares every field.
    var fold: UInt64 {
        var h = (a.address.high ^ FlowKey.seed) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ a.address.low) &* 0xFF51_AFD7_ED55_8CCD
        h = (h ^ b.address.high) &* 0xC4CE_B9FE_1A85_EC53
        h = (h ^ b.address.low) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(a.port) << 16 | UInt64(b.port)
        h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    private static let seed = UInt64.random(in: .min ... .max)

    func hash(into hasher: inout Hasher) { hasher.combine(fold) }
}

