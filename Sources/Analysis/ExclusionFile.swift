import Foundation
import Frames

/// Reads the exclusions CSV of `uptime --exclusions`:
/// `charge_point,connector,from,to,reason` with a header; connector `*` (or
/// empty) for the whole charge point; times ISO 8601 (UTC without a zone).
public enum ExclusionFile {
    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var problem: String
        public var description: String { "exclusions line \(line): \(problem)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> [Exclusion] {
        var out: [Exclusion] = []
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = CSVLine.fields(line)
            if i == 0 && f.first?.lowercased() == "charge_point" { continue }
            guard f.count >= 4 else { throw ParseError(line: i + 1, problem: "expected charge_point,connector,from,to,reason") }
            guard let from = Timestamp(iso8601: f[2]), let to = Timestamp(iso8601: f[3]), to > from else {
                throw ParseError(line: i + 1, problem: "from/to must be ISO 8601 times with from before to")
            }
            let connector: Int?
            if f[1] == "*" || f[1].isEmpty { connector = nil } else if let c = Int(f[1]) { connector = c } else {
                throw ParseError(line: i + 1, problem: "connector must be a number or *")
            }
            out.append(Exclusion(chargePoint: f[0], connector: connector, span: Span(from.microseconds, to.microseconds),
                                 reason: f.count > 4 ? f[4] : ""))
        }
        return out
    }
}

/// Splits one CSV line (RFC 4180 quoting).
public enum CSVLine {
    public static func fields(_ line: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        var chars = Array(line)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { cur.append("\""); i += 1 } else { quoted = false }
                } else { cur.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                out.append(cur.trimmingCharacters(in: .whitespaces))
                cur = ""
            } else {
                cur.append(c)
            }
            i += 1
        }
        out.append(cur.trimmingCharacters(in: .whitespaces))
        chars.removeAll()
        return out
    }
}
