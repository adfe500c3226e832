// Plain-text tables for the terminal and for the README (Markdown pipes).

import Foundation

struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Columns after the first are right-aligned (numbers).
    var markdown = true

    init(_ header: [String]) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String {
            var cells: [String] = []
            for i in 0..<header.count {
                let c = i < r.count ? r[i] : ""
                let pad = String(repeating: " ", count: widths[i] - c.count)
                cells.append(i == 0 ? c + pad : pad + c)
            }
            return "| " + cells.joined(separator: " | ") + " |"
        }
        var out = line(header) + "\n"
        out += "|" + widths.enumerated().map { i, w in i == 0 ? String(repeating: "-", count: w + 2) : String(repeating: "-", count: w + 1) + ":" }.joined(separator: "|") + "|\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }
}

func fmt(_ v: Double, _ decimals: Int = 1) -> String {
    guard v.isFinite else { return "–" }
    return String(format: "%.\(decimals)f", v)
}

/// 683169 → "683,169"
func grouped(_ v: Double) -> String {
    guard v.isFinite else { return "–" }
    let n = Int(v.rounded())
    let digits = Array(String(abs(n)))
    var out = ""
    for (i, d) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(d)
    }
    return n < 0 ? "-" + out : out
}
