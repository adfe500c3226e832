/// Writes `Timestamp.iso8601` as UTF-8, byte for byte, reusing the date,
/// hour and minute of the previous time when they are the same.
///
/// Why: `decode` prints a time per message, and messages come in time
/// order, many to the minute (the 40 MB benchmark corpus: 132,593 messages
/// in 148 minutes). Working out the calendar date and writing it digit by
/// digit was 58 M instructions of its OCPP-J thread; now that is done once
/// a minute and the seconds and fraction are written from two-digit pairs.
public struct ISO8601Writer {
    /// The minute (whole minutes since the epoch) `prefix` was written for.
    private var minute: Int64 = .min
    /// `YYYY-MM-DDTHH:MM:` of that minute.
    private var prefix: (UInt64, UInt64, UInt8) = (0, 0, 0)

    public init() {}

    /// The most `write(_:into:)` writes.
    public static let maxBytes = 27

    /// Appends the time's text to `out`.
    public mutating func append(_ t: Timestamp, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: ISO8601Writer.maxBytes, alignment: 1) { buf in
            let n = write(t, into: buf.baseAddress!)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[0..<n]))
        }
    }

    /// Writes the time's text at `buf`, which has room for `maxBytes`;
    /// returns how many bytes it wrote.
    public mutating func write(_ t: Timestamp, into buf: UnsafeMutableRawPointer) -> Int {
        var secs = t.microseconds / 1_000_000
        var frac = t.microseconds % 1_000_000
        if frac < 0 { frac += 1_000_000; secs -= 1 }
        var m = secs / 60
        var s = secs % 60
        if s < 0 { s += 60; m -= 1 }
        if m != minute {
            // The full form of the minute's first second; its first 17 bytes are the prefix.
            let text = Timestamp(microseconds: m * 60_000_000).iso8601
            var p: (UInt64, UInt64, UInt8) = (0, 0, 0)
            withUnsafeMutableBytes(of: &p) { raw in
                var k = 0
                for c in text.utf8.prefix(17) { raw[k] = c; k += 1 }
            }
            prefix = p
            minute = m
        }
        let millis = frac % 1000 == 0
        withUnsafeBytes(of: prefix) { buf.copyMemory(from: $0.baseAddress!, byteCount: 17) }
        var i = 17
        func put(_ c: Int) {
            buf.storeBytes(of: UInt8(truncatingIfNeeded: c), toByteOffset: i, as: UInt8.self)
            i += 1
        }
        func pair(_ v: Int) {
            let tens = v / 10
            put(48 + tens)
            put(48 + v - tens * 10)
        }
        pair(Int(s))
        put(46)
        if millis {
            let f = Int(frac / 1000)
            put(48 + f / 100)
            pair(f % 100)
        } else {
            let f = Int(frac)
            pair(f / 10_000)
            pair(f / 100 % 100)
            pair(f % 100)
        }
        put(90)
        return i
    }
}
