import Frames

/// Finds and reads the timestamps that log lines start with, on bytes.
///
/// Forms read: ISO 8601 / RFC 3339 with `T` or a space, with or without a
/// zone, fractions after a dot or a comma (`2023-04-15 12:31:39,123` is
/// Python's and log4j's default); `2023/04/15 12:31:39` (Go's log package);
/// syslog's `Apr 15 12:31:39` without a year; epoch seconds (10 digits,
/// optional fraction), milliseconds (13), microseconds (16).
/// Times without a zone take the configured zone; syslog times take the
/// configured year.
public struct LogTimeParser: Sendable {
    public var zone: TimeZoneRule
    public var year: Int

    public init(zone: TimeZoneRule = .utc, year: Int) {
        self.zone = zone
        self.year = year
    }

    /// A timestamp starting exactly at `i`; returns it and the index after it.
    /// Epoch numbers are only taken where asked (`allowEpoch`): inside a
    /// line, ten digits are more often an id than a time.
    public func parse(_ b: UnsafeRawBufferPointer, at i: Int, allowEpoch: Bool = true) -> (Timestamp, Int)? {
        guard i < b.count else { return nil }
        let c = b[i]
        if c >= 0x30 && c <= 0x39 {
            if let r = parseDate(b, at: i) { return r }
            return allowEpoch ? parseEpoch(b, at: i) : nil
        }
        if c >= 0x41 && c <= 0x5A { return parseSyslog(b, at: i) }
        return nil
    }

    /// The first timestamp that starts a token within the first `within`
    /// bytes of the line (after a `[`, a space, a quote…), and where it ends.
    public func find(_ b: UnsafeRawBufferPointer, from: Int = 0, within: Int = 96) -> (Timestamp, start: Int, end: Int)? {
        let limit = min(b.count, from + within)
        var i = from
        var previous: UInt8 = 0x20
        while i < limit {
            let c = b[i]
            let tokenStart = !(LogTimeParser.isAlnum(previous) || previous == 0x2E || previous == 0x3A || previous == 0x2D || previous == 0x2F)
            if tokenStart, (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A), let (t, e) = parse(b, at: i, allowEpoch: i == from || (i == from + 1 && b[from] == 0x5B)) {
                // A number that is part of something else (an id, a version) is no time.
                if e >= b.count || !LogTimeParser.isAlnum(b[e]) { return (t, i, e) }
            }
            previous = c
            i += 1
        }
        return nil
    }

    static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }

    @inline(__always) static func digits(_ b: UnsafeRawBufferPointer, _ i: Int, _ n: Int) -> Int? {
        guard i + n <= b.count else { return nil }
        var v = 0
        for k in i..<(i + n) {
            let c = b[k]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    /// `YYYY-MM-DD[T ]HH:MM[:SS][.frac][zone]` and `YYYY/MM/DD HH:MM:SS`.
    func parseDate(_ b: UnsafeRawBufferPointer, at start: Int) -> (Timestamp, Int)? {
        var i = start
        guard let y = LogTimeParser.digits(b, i, 4), i + 10 <= b.count else { return nil }
        let sep = b[i + 4]
        guard sep == 0x2D || sep == 0x2F, b[i + 7] == sep,
              let mo = LogTimeParser.digits(b, i + 5, 2), let d = LogTimeParser.digits(b, i + 8, 2),
              (1...12).contains(mo), (1...31).contains(d), y >= 1970 else { return nil }
        i += 10
        guard i + 6 <= b.count, b[i] == 0x54 || b[i] == 0x20 || b[i] == 0x74 || b[i] == 0x5F,
              let h = LogTimeParser.digits(b, i + 1, 2), b[i + 3] == 0x3A, let mi = LogTimeParser.digits(b, i + 4, 2),
              h < 24, mi < 60 else { return nil }
        i += 6
        var s = 0
        if i + 3 <= b.count, b[i] == 0x3A, let ss = LogTimeParser.digits(b, i + 1, 2), ss <= 60 { s = ss; i += 3 }
        var frac: Int64 = 0
        if i + 1 < b.count, b[i] == 0x2E || b[i] == 0x2C, b[i + 1] >= 0x30, b[i + 1] <= 0x39 {
            i += 1
            var scale: Int64 = 100_000
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                frac += Int64(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        let local = Int64(Timestamp.days(year: y, month: mo, day: d)) * 86_400 + Int64(h * 3600 + mi * 60 + s)
        var offset: Int?
        if i < b.count {
            let z = b[i]
            if z == 0x5A || z == 0x7A {            // Z
                offset = 0; i += 1
            } else if z == 0x2B || z == 0x2D, let oh = LogTimeParser.digits(b, i + 1, 2) {   // +hh[:mm]
                var j = i + 3
                if j < b.count, b[j] == 0x3A { j += 1 }
                var om = 0
                if let m = LogTimeParser.digits(b, j, 2) { om = m; j += 2 }
                if oh <= 18 {
                    offset = (z == 0x2D ? -1 : 1) * (oh * 3600 + om * 60)
                    i = j
                }
            } else if z == 0x20, i + 4 <= b.count, b[i + 1] == 0x55, b[i + 2] == 0x54, b[i + 3] == 0x43 {   // " UTC"
                offset = 0; i += 4
            }
        }
        let o = offset ?? zone.offset(atLocal: local)
        return (Timestamp(microseconds: (local - Int64(o)) * 1_000_000 + frac), i)
    }

    /// Epoch seconds (10 digits, optional fraction), milliseconds (13) or microseconds (16).
    func parseEpoch(_ b: UnsafeRawBufferPointer, at start: Int) -> (Timestamp, Int)? {
        var i = start
        var v: Int64 = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i - start < 20 {
            // A run of digits longer than a time (the fuzzer's 20 nines) is
            // no epoch: it must not overflow.
            let (times10, o1) = v.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int64(b[i] - 0x30))
            if o1 || o2 { return nil }
            v = next
            i += 1
        }
        switch i - start {
        case 10:
            var frac: Int64 = 0
            if i + 1 < b.count, b[i] == 0x2E, b[i + 1] >= 0x30, b[i + 1] <= 0x39 {
                i += 1
                var scale: Int64 = 100_000
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                    frac += Int64(b[i] - 0x30) * scale
                    scale /= 10
                    i += 1
                }
            }
            return (Timestamp(microseconds: v * 1_000_000 + frac), i)
        case 13: return (Timestamp(microseconds: v * 1000), i)
        case 16: return (Timestamp(microseconds: v), i)
        case 19: return (Timestamp(microseconds: v / 1000), i)
        default: return nil
        }
    }

    /// The epoch number in a JSON field: seconds, milliseconds or
    /// microseconds, told apart by magnitude.
    public static func epoch(_ value: Double) -> Timestamp? {
        guard value.isFinite, value > 0 else { return nil }
        if value < 1e11 { return Timestamp(roundingMicroseconds: value * 1_000_000) }
        if value < 1e14 { return Timestamp(roundingMicroseconds: value * 1000) }
        if value < 1e17 { return Timestamp(roundingMicroseconds: value) }
        // Nanoseconds, up to the year 5138; a larger number (the fuzzer's
        // 1e300 trapped Int64's conversion) is no time at all.
        if value < 1e20 { return Timestamp(roundingMicroseconds: value / 1000) }
        return nil
    }

    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }

    /// `Apr 15 12:31:39[.frac]` (syslog, RFC 3164): no year, no zone.
    func parseSyslog(_ b: UnsafeRawBufferPointer, at start: Int) -> (Timestamp, Int)? {
        guard start + 15 <= b.count, let mo = LogTimeParser.month(b, at: start), b[start + 3] == 0x20 else { return nil }
        var i = start + 4
        var d = 0
        if b[i] == 0x20 { i += 1; guard let x = LogTimeParser.digits(b, i, 1) else { return nil }; d = x; i += 1 }
        else if let x = LogTimeParser.digits(b, i, 2) { d = x; i += 2 }
        else if let x = LogTimeParser.digits(b, i, 1) { d = x; i += 1 }
        else { return nil }
        guard i + 9 <= b.count, b[i] == 0x20, let h = LogTimeParser.digits(b, i + 1, 2), b[i + 3] == 0x3A,
              let mi = LogTimeParser.digits(b, i + 4, 2), b[i + 6] == 0x3A, let s = LogTimeParser.digits(b, i + 7, 2),
              (1...31).contains(d), h < 24, mi < 60, s <= 60 else { return nil }
        i += 9
        var frac: Int64 = 0
        if i + 1 < b.count, b[i] == 0x2E, b[i + 1] >= 0x30, b[i + 1] <= 0x39 {
            i += 1
            var scale: Int64 = 100_000
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { frac += Int64(b[i] - 0x30) * scale; scale /= 10; i += 1 }
        }
        let local = Int64(Timestamp.days(year: year, month: mo, day: d)) * 86_400 + Int64(h * 3600 + mi * 60 + s)
        let o = zone.offset(atLocal: local)
        return (Timestamp(microseconds: (local - Int64(o)) * 1_000_000 + frac), i)
    }

    static func month(_ b: UnsafeRawBufferPointer, at i: Int) -> Int? {
        guard i + 3 <= b.count else { return nil }
        for (k, m) in months.enumerated() where b[i] == m[0] && (b[i + 1] | 0x20) == m[1] && (b[i + 2] | 0x20) == m[2] {
            return k + 1
        }
        return nil
    }
}
