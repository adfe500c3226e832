import Foundation
import Frames

/// Escaping and formatting for the page. Every text that comes from the
/// data (identities such as `CP 0003-Süd`, vendors, error descriptions,
/// anomaly details) reaches the page only through `escape`, in element text
/// and in double-quoted attributes alike, so charger data can never become
/// markup.
public enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as character references; control
    /// characters (which XML-parsed SVG refuses) as U+FFFD.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0x7F || (0xFFFE...0xFFFF).contains(u.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// `2025-03-03 06:00` (UTC; the page says so once).
    public static func minute(_ us: Int64?) -> String {
        guard let us else { return "–" }
        let iso = Timestamp(microseconds: us).iso8601
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// `2025-03-03 06:00:12`.
    public static func second(_ us: Int64?) -> String {
        guard let us else { return "–" }
        let iso = Timestamp(microseconds: us).iso8601
        return String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    /// A number with a fixed count of decimals and `,` between thousands
    /// (by hand: Foundation's formatters differ between platforms).
    public static func number(_ v: Double, decimals: Int = 0) -> String {
        guard v.isFinite else { return "–" }
        let fixed = String(format: "%.\(max(0, decimals))f", v)
        let negative = fixed.hasPrefix("-")
        let body = negative ? String(fixed.dropFirst()) : fixed
        let parts = body.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        grouped = whole + grouped
        let sign = negative && fixed.contains(where: { $0 != "0" && $0 != "." && $0 != "-" }) ? "-" : ""
        return sign + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    public static func number(_ v: Int) -> String { number(Double(v)) }

    /// A duration in minutes, hours or days for reading.
    public static func duration(minutes m: Double) -> String {
        if m <= 0 { return "0" }
        if m < 1 { return String(format: "%.0f s", m * 60) }
        if m < 120 { return String(format: "%.1f min", m) }
        if m < 48 * 60 { return String(format: "%.1f h", m / 60) }
        return String(format: "%.1f d", m / 1440)
    }

    /// A coordinate for SVG: at most two decimals, no exponent.
    static func c(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() { return String(Int64(r)) }
        return String(format: "%.2f", r)
    }
}
