import Foundation

/// A point in time as microseconds since the Unix epoch, UTC.
///
/// Why an integer and not `Date`: captures carry micro- or nanosecond
/// timestamps, the store keeps integers (so interval arithmetic is the same in
/// SQLite and PostgreSQL), and formatting by hand is far cheaper than
/// `ISO8601DateFormatter` on the hot path of `decode`.
public struct Timestamp: Comparable, Hashable, Sendable {
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }
    public init(seconds: Int64, microseconds: Int64) { self.microseconds = seconds * 1_000_000 + microseconds }

    /// Microseconds given as a Double (an epoch number in a log line, a CDR's
    /// duration in hours scaled), rounded; nil when not finite or beyond
    /// Int64's range. Why failable: `Int64(_: Double)` traps there, and the
    /// fuzzer fed a log line whose time was 1e300.
    public init?(roundingMicroseconds value: Double) {
        let r = value.rounded()
        // 2^63 is exactly representable; anything at or past it does not fit.
        guard r.isFinite, r >= -9_223_372_036_854_775_808.0, r < 9_223_372_036_854_775_808.0 else { return nil }
        microseconds = Int64(r)
    }

    /// This time moved by `delta` microseconds; nil on overflow.
    public func adding(microseconds delta: Int64) -> Timestamp? {
        let (sum, overflow) = microseconds.addingReportingOverflow(delta)
        return overflow ? nil : Timestamp(microseconds: sum)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.microseconds < b.microseconds }

    /// `2026-03-02T06:00:00.123456Z`; fractions are printed with millisecond
    /// precision when the microseconds are a whole number of milliseconds.
    public var iso8601: String {
        // Written in place: this runs once per printed message.
        String(unsafeUninitializedCapacity: 27) { buf in writeISO8601(into: buf) }
    }

    /// Writes `iso8601` into `buf` (at least 27 bytes); returns the length.
    private func writeISO8601(into buf: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var secs = microseconds / 1_000_000
        var frac = microseconds % 1_000_000
        if frac < 0 { frac += 1_000_000; secs -= 1 }
        let days = floorDiv(secs, 86_400)
        let (y, mo, d) = Timestamp.civil(fromDays: Int(days))
        let sod = Int(secs - days * 86_400)
        let millis = frac % 1000 == 0
        var i = 0
        func put(_ v: Int, _ width: Int) {
            var v = v
            var k = width - 1
            while k >= 0 { buf[i + k] = UInt8(48 + v % 10); v /= 10; k -= 1 }
            i += width
        }
        func sep(_ c: UInt8) { buf[i] = c; i += 1 }
        put(y, 4); sep(45); put(mo, 2); sep(45); put(d, 2); sep(84)
        put(sod / 3600, 2); sep(58); put(sod / 60 % 60, 2); sep(58); put(sod % 60, 2); sep(46)
        if millis { put(Int(frac / 1000), 3) } else { put(Int(frac), 6) }
        sep(90)
        return i
    }

    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// A date to days since 1970-01-01 (the inverse of `civil(fromDays:)`).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Parses the ISO 8601 forms users type on the command line and OCPP
    /// payloads carry: `2026-03-02`, `2026-03-02T06:00`, `2026-03-02 06:00:00`,
    /// with optional fraction (dot or comma) and zone (`Z`, `+01:00`, `+0100`).
    /// A time without a zone is taken in `defaultOffsetSeconds` (UTC unless told).
    public init?(iso8601 text: String, defaultOffsetSeconds: Int = 0) {
        // Read in place: a native String is contiguous UTF-8, so nothing is
        // copied (the history parses a timestamp for nearly every payload).
        var text = text
        guard let t = text.withUTF8({ Timestamp(iso8601: $0, defaultOffsetSeconds: defaultOffsetSeconds) }) else { return nil }
        self = t
    }

    /// The same, read from UTF-8 bytes (a JSON string's text, in place).
    public init?(iso8601 b: UnsafeBufferPointer<UInt8>, defaultOffsetSeconds: Int = 0) {
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func eat(_ c: UInt8) -> Bool { if i < b.count && b[i] == c { i += 1; return true }; return false }
        guard let y = digits(4), eat(45), let mo = digits(2), eat(45), let d = digits(2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var h = 0, mi = 0, s = 0, frac: Int64 = 0
        var offset = defaultOffsetSeconds
        if i < b.count && (b[i] == 84 || b[i] == 116 || b[i] == 32) {
            i += 1
            guard let hh = digits(2), eat(58), let mm = digits(2) else { return nil }
            h = hh; mi = mm
            if eat(58) { guard let ss = digits(2) else { return nil }; s = ss }
            if i < b.count && (b[i] == 46 || b[i] == 44) {
                i += 1
                var scale: Int64 = 100_000
                var any = false
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    frac += Int64(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                    any = true
                }
                if !any { return nil }
            }
        }
        if i < b.count {
            if b[i] == 90 || b[i] == 122 { i += 1; offset = 0 }
            else if b[i] == 43 || b[i] == 45 {
                let sign = b[i] == 45 ? -1 : 1
                i += 1
                guard let oh = digits(2) else { return nil }
                _ = eat(58)
                let om = digits(2) ?? 0
                offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == b.count, h < 24, mi < 60, s <= 60 else { return nil }
        let days = Int64(Timestamp.days(year: y, month: mo, day: d))
        let secs = days * 86_400 + Int64(h * 3600 + mi * 60 + s) - Int64(offset)
        self.microseconds = secs * 1_000_000 + frac
    }
}
