// Byte-order helpers and the Internet checksum.
//
// Every header Synth writes is assembled by appending integers to a byte
// array. Network headers are big-endian; pcap/pcapng headers are written in
// little-endian (the byte order of the machines that write most captures), so
// both directions are needed. Kept tiny and inlinable: this is the hot path of
// the 1 GB benchmark corpus.

extension Array where Element == UInt8 {
    @inlinable mutating func appendBE16(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v >> 8)); append(UInt8(truncatingIfNeeded: v))
    }
    @inlinable mutating func appendBE32(_ v: UInt32) {
        append(UInt8(truncatingIfNeeded: v >> 24)); append(UInt8(truncatingIfNeeded: v >> 16))
        append(UInt8(truncatingIfNeeded: v >> 8)); append(UInt8(truncatingIfNeeded: v))
    }
    @inlinable mutating func appendBE64(_ v: UInt64) {
        appendBE32(UInt32(truncatingIfNeeded: v >> 32)); appendBE32(UInt32(truncatingIfNeeded: v))
    }
    @inlinable mutating func appendLE16(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v)); append(UInt8(truncatingIfNeeded: v >> 8))
    }
    @inlinable mutating func appendLE32(_ v: UInt32) {
        append(UInt8(truncatingIfNeeded: v)); append(UInt8(truncatingIfNeeded: v >> 8))
        append(UInt8(truncatingIfNeeded: v >> 16)); append(UInt8(truncatingIfNeeded: v >> 24))
    }
    @inlinable mutating func appendLE64(_ v: UInt64) {
        appendLE32(UInt32(truncatingIfNeeded: v)); appendLE32(UInt32(truncatingIfNeeded: v >> 32))
    }
    @inlinable mutating func setBE16(_ v: UInt16, at i: Int) {
        self[i] = UInt8(truncatingIfNeeded: v >> 8); self[i + 1] = UInt8(truncatingIfNeeded: v)
    }
}

/// RFC 1071 one's-complement checksum, used by IPv4 headers and TCP.
///
/// Written as "partial sum, then fold" so the TCP pseudo-header and the
/// segment can be summed separately without copying them together.
public enum InternetChecksum {
    /// Sums big-endian 16-bit words of `bytes[range]` onto `initial`.
    /// An odd trailing byte is padded with zero, as RFC 793 says; only the last
    /// range of a checksum may have odd length.
    @inlinable
    public static func partialSum(_ bytes: [UInt8], _ range: Range<Int>, initial: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBufferPointer { p in
            var s = initial
            var i = range.lowerBound
            let end = range.upperBound
            while i + 1 < end {
                s &+= UInt64(p[i]) << 8 | UInt64(p[i + 1])
                i += 2
            }
            if i < end { s &+= UInt64(p[i]) << 8 }
            return s
        }
    }

    /// Folds the carries and takes the one's complement: the value to store.
    @inlinable
    public static func finish(_ sum: UInt64) -> UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xffff) &+ (s >> 16) }
        return ~UInt16(truncatingIfNeeded: s)
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt16 {
        finish(partialSum(bytes, 0..<bytes.count))
    }
}

/// Errors Synth reports (file output, impossible parameters).
public struct SynthError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
