import Foundation
import OCPP

/// A value in a row of command output.
enum Cell {
    case text(String?)
    case int(Int64?)
    case number(Double?, decimals: Int)
    /// Already JSON (an array or object); printed as text in tables and CSV.
    case json(String)

    var plain: String {
        switch self {
        case .text(let s): return s ?? ""
        case .int(let i): return i.map(String.init) ?? ""
        case .number(let d, let decimals): return d.map { String(format: "%.\(decimals)f", $0) } ?? ""
        case .json(let j): return j
        }
    }

    var jsonText: String {
        switch self {
        case .text(let s):
            guard let s else { return "null" }
            var o = ""
            JSONValue.writeString(s, into: &o)
            return o
        case .int(let i): return i.map(String.init) ?? "null"
        case .number(let d, let decimals):
            guard let d, d.isFinite else { return "null" }
            // Whole numbers print without a fraction; past 2^53 they are no
            // longer exact integers (and past Int64, `Int64(d)` traps).
            return decimals == 0 && d == d.rounded() && abs(d) < 9e15 ? String(Int64(d)) : String(format: "%.\(decimals)f", d)
        case .json(let j): return j
        }
    }
}

/// Prints rows as an aligned table, CSV with a header, or JSON lines.
///
/// Tables are buffered to align columns; CSV and JSON stream row by row.
final class RowPrinter {
    let columns: [String]
    let format: OutputFormat
    private let out = StandardOutput()
    private var buffered: [[String]] = []

    init(columns: [String], format: OutputFormat) {
        self.columns = columns
        self.format = format
        if format == .csv { out.write(columns.map(csvField).joined(separator: ",") + "\n") }
    }

    func row(_ cells: [Cell]) {
        switch format {
        case .json:
            var o = "{"
            for (i, (name, cell)) in zip(columns, cells).enumerated() {
                if i > 0 { o += "," }
                o += "\"\(name)\":" + cell.jsonText
            }
            out.write(o + "}\n")
        case .csv:
            out.write(cells.map { csvField($0.plain) }.joined(separator: ",") + "\n")
        case .table, .text:
            buffered.append(cells.map(\.plain))
        }
    }

    func finish() {
        if format == .table || format == .text {
            var widths = columns.map(\.count)
            for r in buffered { for (i, c) in r.enumerated() { widths[i] = min(60, max(widths[i], c.count)) } }
            func line(_ r: [String]) -> String {
                r.enumerated().map { i, c in
                    let s = c.count > widths[i] ? String(c.prefix(widths[i] - 1)) + "…" : c
                    return s.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
            }
            out.write(line(columns))
            out.write(line(widths.map { String(repeating: "-", count: $0) }))
            for r in buffered { out.write(line(r)) }
            if buffered.isEmpty { out.write("(no rows)\n") }
        }
        out.flush()
    }
}
