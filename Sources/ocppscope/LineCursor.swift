import Frames

/// Writes a line into room made for it beforehand
/// (`StandardOutput.writeLine(atMost:)`), without a capacity check per piece.
///
/// Why: `decode` prints a line per message in some ten pieces, and each
/// `append(contentsOf:)` to an `[UInt8]` went through the array's generic
/// path, about 90 instructions before the copy (callgrind, `decode` of the
/// 40 MB benchmark corpus: 110 M of its OCPP-J thread's 1.28 G).
struct LineCursor {
    private let start: UnsafeMutablePointer<UInt8>
    private var p: UnsafeMutablePointer<UInt8>
    private let limit: UnsafeMutablePointer<UInt8>

    init(start: UnsafeMutablePointer<UInt8>, limit: UnsafeMutablePointer<UInt8>) {
        self.start = start
        p = start
        self.limit = limit
    }

    var written: Int { p - start }

    /// Writing past the bound the line was given is a programming error,
    /// caught here rather than written over memory.
    @inline(__always) mutating func put(_ byte: UInt8) {
        precondition(p < limit, "line longer than its bound")
        p.pointee = byte
        p += 1
    }

    @inline(__always) mutating func put(_ bytes: UnsafeRawBufferPointer) {
        precondition(limit - p >= bytes.count, "line longer than its bound")
        guard let src = bytes.baseAddress else { return }
        UnsafeMutableRawPointer(p).copyMemory(from: src, byteCount: bytes.count)
        p += bytes.count
    }

    @inline(__always) mutating func put(_ s: StaticString) {
        put(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A time as `Timestamp.iso8601` writes it, through the line's writer.
    @inline(__always) mutating func put(_ t: Timestamp, with times: inout ISO8601Writer) {
        precondition(limit - p >= ISO8601Writer.maxBytes, "line longer than its bound")
        p += times.write(t, into: UnsafeMutableRawPointer(p))
    }

    /// A String's UTF-8 from its contiguous storage in one copy (read in
    /// place: `withUTF8` on a copy cost a retain and a release per piece).
    @inline(__always) mutating func put(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ put(UnsafeRawBufferPointer($0)) }) { return done }
        var copy = s
        copy.withUTF8 { put(UnsafeRawBufferPointer($0)) }
    }
}
