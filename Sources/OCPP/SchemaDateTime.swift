/// The `date-time` format of the OCPP schemas: RFC 3339 section 5.6,
///
///     2025-03-03T07:00:12Z   2025-03-03T07:00:12.345+01:00
///
/// checked by hand over the UTF-8 bytes. Why not a regular expression or a
/// date formatter: this runs for every timestamp of every message at ingest,
/// and both cost microseconds where a byte walk costs nanoseconds.
///
/// As RFC 3339 says: `T` and `Z` may be lower case; the seconds may be 60
/// (a leap second); a fraction has at least one digit; the day must exist
/// in its month (29 February only in leap years); the offset is `Z` or
/// `±hh:mm`. What chargers get wrong and this rejects: no offset at all
/// (`2025-03-03T07:00:12`, local time of unknown zone), a space for `T`,
/// `+0100` without the colon, and a missing seconds field.
enum SchemaDateTime {
    static func isValid(_ s: String) -> Bool {
        if let r = s.utf8.withContiguousStorageIfAvailable({ isValid($0) }) { return r }
        return Array(s.utf8).withUnsafeBufferPointer { isValid($0) }
    }

    static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        guard n >= 20 else { return false }
        // A digit's value, or a negative number large enough that any sum
        // with a non-digit in it is negative: the year's is up to 9999, so
        // -1000 let a non-digit in its last place through (`202X-…`).
        func digit(_ i: Int) -> Int {
            let c = Int(b[i]) &- 48
            return c >= 0 && c <= 9 ? c : -100_000
        }
        func two(_ i: Int) -> Int { digit(i) * 10 + digit(i + 1) }

        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        guard year >= 0, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        let month = two(5), day = two(8)
        guard month >= 1 && month <= 12, day >= 1, day <= daysIn(month: month, year: year) else { return false }
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") else { return false }
        let hour = two(11), minute = two(14), second = two(17)
        guard hour >= 0 && hour <= 23, b[13] == UInt8(ascii: ":"), minute >= 0 && minute <= 59,
              b[16] == UInt8(ascii: ":"), second >= 0 && second <= 60 else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < n && b[i] >= UInt8(ascii: "0") && b[i] <= UInt8(ascii: "9") { i += 1 }
            guard i > start, i < n else { return false }
        }
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            return i + 1 == n
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard n - i == 6 else { return false }
            let oh = two(i + 1), om = two(i + 4)
            return oh >= 0 && oh <= 23 && b[i + 3] == UInt8(ascii: ":") && om >= 0 && om <= 59
        default:
            return false
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
