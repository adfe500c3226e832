import Frames

/// A user's `--time-format`, strftime style, compiled once and matched on bytes.
///
/// Directives: `%Y` year, `%y` two-digit year (2000+), `%m` month, `%d`/`%e`
/// day, `%H` hour, `%M` minute, `%S` second, `%f` fraction (any number of
/// digits), `%z` zone (`Z`, `+hh:mm`, `+hhmm`), `%b` month name (Jan…),
/// `%s` epoch seconds, `%F` = `%Y-%m-%d`, `%T` = `%H:%M:%S`, `%%` a percent
/// sign. Any other character must match itself; a space matches one or more
/// spaces. Fields left out default to 1970-01-01 00:00:00, the year to
/// `--year`.
public struct TimeFormat: Sendable {
    enum Piece: Sendable, Equatable {
        case literal(UInt8)
        case space
        case year4, year2, month, day, hour, minute, second, fraction, zone, monthName, epoch
    }
    let pieces: [Piece]
    public let text: String

    public init?(_ format: String) {
        text = format
        var out: [Piece] = []
        var it = Array(format.utf8).makeIterator()
        while let c = it.next() {
            if c == 0x25 {
                guard let d = it.next() else { return nil }
                switch d {
                case UInt8(ascii: "Y"): out.append(.year4)
                case UInt8(ascii: "y"): out.append(.year2)
                case UInt8(ascii: "m"): out.append(.month)
                case UInt8(ascii: "d"), UInt8(ascii: "e"): out.append(.day)
                case UInt8(ascii: "H"): out.append(.hour)
                case UInt8(ascii: "M"): out.append(.minute)
                case UInt8(ascii: "S"): out.append(.second)
                case UInt8(ascii: "f"): out.append(.fraction)
                case UInt8(ascii: "z"), UInt8(ascii: "Z"): out.append(.zone)
                case UInt8(ascii: "b"), UInt8(ascii: "h"): out.append(.monthName)
                case UInt8(ascii: "s"): out.append(.epoch)
                case UInt8(ascii: "F"): out += [.year4, .literal(0x2D), .month, .literal(0x2D), .day]
                case UInt8(ascii: "T"): out += [.hour, .literal(0x3A), .minute, .literal(0x3A), .second]
                case 0x25: out.append(.literal(0x25))
                default: return nil
                }
            } else if c == 0x20 {
                out.append(.space)
            } else {
                out.append(.literal(c))
            }
        }
        guard !out.isEmpty else { return nil }
        pieces = out
    }

    /// Matches the format at `start`; returns the time and the index after it.
    public func parse(_ b: UnsafeRawBufferPointer, at start: Int, zone: TimeZoneRule, year defaultYear: Int) -> (Timestamp, Int)? {
        var i = start
        var y = defaultYear, mo = 1, d = 1, h = 0, mi = 0, s = 0
        var frac: Int64 = 0
        var offset: Int?
        var epoch: Int64?
        func number(_ maxDigits: Int) -> Int? {
            var v = 0, n = 0
            while i < b.count, n < maxDigits, b[i] >= 0x30, b[i] <= 0x39 { v = v * 10 + Int(b[i] - 0x30); i += 1; n += 1 }
            return n > 0 ? v : nil
        }
        for p in pieces {
            switch p {
            case .literal(let c):
                guard i < b.count, b[i] == c else { return nil }
                i += 1
            case .space:
                guard i < b.count, b[i] == 0x20 else { return nil }
                while i < b.count, b[i] == 0x20 { i += 1 }
            case .year4: guard let v = number(4) else { return nil }; y = v
            case .year2: guard let v = number(2) else { return nil }; y = 2000 + v
            case .month: guard let v = number(2), (1...12).contains(v) else { return nil }; mo = v
            case .day:
                while i < b.count, b[i] == 0x20 { i += 1 }
                guard let v = number(2), (1...31).contains(v) else { return nil }; d = v
            case .hour: guard let v = number(2), v < 24 else { return nil }; h = v
            case .minute: guard let v = number(2), v < 60 else { return nil }; mi = v
            case .second: guard let v = number(2), v <= 60 else { return nil }; s = v
            case .fraction:
                var scale: Int64 = 100_000
                var any = false
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { frac += Int64(b[i] - 0x30) * scale; scale /= 10; i += 1; any = true }
                guard any else { return nil }
            case .zone:
                guard i < b.count else { return nil }
                if b[i] == 0x5A { offset = 0; i += 1; continue }
                guard b[i] == 0x2B || b[i] == 0x2D else { return nil }
                let sign = b[i] == 0x2D ? -1 : 1
                i += 1
                guard let oh = LogTimeParser.digits(b, i, 2) else { return nil }
                i += 2
                if i < b.count, b[i] == 0x3A { i += 1 }
                var om = 0
                if let m = LogTimeParser.digits(b, i, 2) { om = m; i += 2 }
                offset = sign * (oh * 3600 + om * 60)
            case .monthName:
                guard let m = LogTimeParser.month(b, at: i) else { return nil }
                mo = m
                i += 3
                while i < b.count, LogTimeParser.isAlnum(b[i]), b[i] > 0x39 { i += 1 }   // "April"
            case .epoch:
                var v: Int64 = 0, n = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39, n < 19 { v = v * 10 + Int64(b[i] - 0x30); i += 1; n += 1 }
                guard n > 0 else { return nil }
                epoch = v
            }
        }
        if let epoch { return (Timestamp(microseconds: epoch * 1_000_000 + frac), i) }
        let local = Int64(Timestamp.days(year: y, month: mo, day: d)) * 86_400 + Int64(h * 3600 + mi * 60 + s)
        let o = offset ?? zone.offset(atLocal: local)
        return (Timestamp(microseconds: (local - Int64(o)) * 1_000_000 + frac), i)
    }
}
