import Frames

/// CSV logs (exports of CSMS message tables): a header line naming the
/// columns, then one message per row, the OCPP-J array as a quoted string.
///
///     time,charge_point,direction,action,message
///     2023-04-15T12:31:39.123Z,CP_1,in,Heartbeat,"[2,""a1"",""Heartbeat"",{}]"
///
/// Columns are found by name (as for JSON lines); the delimiter (`,` `;` tab)
/// by the header. Optional columns (action, type) are ignored: the message
/// says it better. A row whose message cell holds no OCPP-J array is noise.
final class CSVParser: LogLineParser {
    let format = LogFormat.csv
    private let time: LogTimeParser
    private var delimiter: UInt8 = 0x2C
    private var roles: [JSONLinesParser.Role?] = []
    private var haveHeader = false

    init(options: LogOptions) { time = options.timeParser }

    /// Whether a line is a CSV header this parser can use: a delimiter and a
    /// message column among known names.
    static func header(_ b: UnsafeRawBufferPointer) -> (UInt8, [JSONLinesParser.Role?])? {
        for d: UInt8 in [0x2C, 0x3B, 0x09] {
            let cells = split(b, delimiter: d)
            guard cells.count >= 2 else { continue }
            let roles = cells.map { r -> JSONLinesParser.Role? in
                let u = unquoted(b, r)
                return JSONLinesParser.roles[FlatJSON.nameKey(b, ByteSearch.trimmed(b, u))]
            }
            if roles.contains(where: { $0 == .message }) { return (d, roles) }
        }
        return nil
    }

    func parse(_ b: UnsafeRawBufferPointer) -> LineParse {
        if !haveHeader {
            guard let (d, r) = CSVParser.header(b) else { return .noise }
            delimiter = d
            roles = r
            haveHeader = true
            return .noise
        }
        let cells = CSVParser.split(b, delimiter: delimiter)
        var fields = LineFields()
        for (k, cell) in cells.enumerated() where k < roles.count {
            guard let role = roles[k] else { continue }
            let quoted = cell.count >= 2 && b[cell.lowerBound] == 0x22
            let inner = ByteSearch.trimmed(b, CSVParser.unquoted(b, cell))
            switch role {
            case .time:
                fields.time = time.parse(UnsafeRawBufferPointer(rebasing: b[inner]), at: 0)?.0
            case .identity:
                if !inner.isEmpty { fields.identity = inner }
            case .direction:
                fields.stated = DirectionWords.classify(b, inner) ?? .none
            case .version:
                fields.version = String(decoding: b[inner], as: UTF8.self)
            case .message:
                guard fields.message == nil else { continue }
                var text = quoted ? CSVParser.undoubled(b, inner) : Array(b[inner])
                if text.first != 0x5B {
                    guard let at = text.withUnsafeBytes({ ByteSearch.ocppArrayStart($0) }) else { continue }
                    text.removeFirst(at)
                }
                fields.message = .owned(text)
            }
        }
        // A header repeated mid-file (concatenated exports) is not a row.
        if fields.message == nil, CSVParser.header(b) != nil { return .noise }
        return fields.message == nil ? .noise : .message(fields)
    }

    /// Cell ranges of one row, honouring quotes (a delimiter inside quotes is data).
    static func split(_ b: UnsafeRawBufferPointer, delimiter: UInt8) -> [Range<Int>] {
        var cells: [Range<Int>] = []
        var i = 0, start = 0
        var inQuotes = false
        while i < b.count {
            let c = b[i]
            if c == 0x22 {
                inQuotes.toggle()
            } else if c == delimiter && !inQuotes {
                cells.append(start..<i)
                start = i + 1
            }
            i += 1
        }
        cells.append(start..<b.count)
        return cells
    }

    static func unquoted(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Range<Int> {
        let t = ByteSearch.trimmed(b, r)
        if t.count >= 2, b[t.lowerBound] == 0x22, b[t.upperBound - 1] == 0x22 { return (t.lowerBound + 1)..<(t.upperBound - 1) }
        return t
    }

    /// A quoted cell's bytes with `""` turned back into `"`.
    static func undoubled(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        var i = r.lowerBound
        while i < r.upperBound {
            out.append(b[i])
            if b[i] == 0x22, i + 1 < r.upperBound, b[i + 1] == 0x22 { i += 2 } else { i += 1 }
        }
        return out
    }
}
