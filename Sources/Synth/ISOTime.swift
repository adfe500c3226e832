// UTC timestamps as OCPP writes them (RFC 3339, `Z`), without Foundation.
//
// Formatting happens for almost every message of a multi-gigabyte corpus, so
// it is a few integer divisions (Howard Hinnant's civil-from-days algorithm)
// instead of a DateFormatter.

public enum ISOTime {
    public enum Fraction: Sendable { case none, millis, micros }

    /// Days since 1970-01-01 for a proleptic Gregorian date.
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Microseconds since the epoch for a UTC date and time.
    public static func micros(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64 {
        (daysFromCivil(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1_000_000
    }

    public static func string(micros: Int64, fraction: Fraction = .none) -> String {
        var secs = micros / 1_000_000
        var frac = micros % 1_000_000
        if frac < 0 { frac += 1_000_000; secs -= 1 }
        var days = secs / 86_400
        var rem = secs % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        // Fixed-width digits written straight into a 27-byte buffer: no
        // intermediate arrays (this runs for nearly every message).
        let len = fraction == .none ? 20 : fraction == .millis ? 24 : 27
        return String(unsafeUninitializedCapacity: len) { b in
            @inline(__always) func put(_ v: Int64, _ width: Int, _ at: Int) {
                var x = v
                var i = at + width - 1
                while i >= at { b[i] = UInt8(48 + x % 10); x /= 10; i -= 1 }
            }
            put(y, 4, 0); b[4] = 45; put(m, 2, 5); b[7] = 45; put(d, 2, 8); b[10] = 84
            put(rem / 3600, 2, 11); b[13] = 58; put(rem / 60 % 60, 2, 14); b[16] = 58; put(rem % 60, 2, 17)
            switch fraction {
            case .none: b[19] = 90
            case .millis: b[19] = 46; put(frac / 1000, 3, 20); b[23] = 90
            case .micros: b[19] = 46; put(frac, 6, 20); b[26] = 90
            }
            return len
        }
    }
}
