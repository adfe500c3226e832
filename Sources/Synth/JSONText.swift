// Minimal JSON text helpers. OCPP payloads are built as strings with
// interpolation (fast, and the exact bytes are under our control); only
// strings that may hold arbitrary characters go through `quoted`.

public enum JSONText {
    /// A JSON string literal for `s` (quotes, backslash and control
    /// characters escaped; everything else, including non-ASCII, as UTF-8).
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// `wh` as a kWh decimal with three places ("12.345"), exact.
    public static func kWh(_ wh: Int) -> String {
        let sign = wh < 0 ? "-" : ""
        let a = abs(wh)
        let frac = a % 1000
        let f = frac < 10 ? "00\(frac)" : frac < 100 ? "0\(frac)" : "\(frac)"
        return "\(sign)\(a / 1000).\(f)"
    }
}
