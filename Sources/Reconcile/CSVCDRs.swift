import Analysis
import Foundation
import Frames

/// Which CSV column holds which CDR field (`--map charge_point=station,token=uid`).
///
/// Fields not named fall back to common column names (compared without
/// case, spaces, dashes or underscores), so an export with a header like
/// `Charge Point,Connector,Token,Start,End,kWh` needs no map at all.
public struct ColumnMap: Sendable, Equatable {
    /// The fields a CSV row can fill.
    public enum Field: String, CaseIterable, Sendable {
        case id, chargePoint = "charge_point", connector, evseId = "evse_id", token, start, end
        case energyKWh = "energy_kwh", energyWh = "energy_wh", cost, currency
    }

    public var explicit: [Field: String] = [:]

    public init(_ explicit: [Field: String] = [:]) { self.explicit = explicit }

    /// Parses `field=column[,field=column…]`; several `--map` options may be given.
    public init(parsing specs: [String]) throws(CDRReader.InputError) {
        for spec in specs {
            for pair in spec.split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, !kv[1].isEmpty else {
                    throw .init("--map takes field=column pairs (e.g. --map charge_point=station,energy_kwh=kwh), not \"\(pair)\"")
                }
                guard let f = Field(rawValue: kv[0].lowercased()) else {
                    throw .init("--map: unknown field \"\(kv[0])\"; fields are \(Field.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                explicit[f] = kv[1]
            }
        }
        if explicit[.energyKWh] != nil && explicit[.energyWh] != nil {
            throw .init("--map: name energy_kwh or energy_wh, not both")
        }
    }

    /// Column names tried, in order, when a field is not mapped.
    static let defaults: [Field: [String]] = [
        .id: ["id", "cdr_id", "cdr", "session_id", "record_id"],
        .chargePoint: ["charge_point", "charge_point_id", "chargepoint", "charge_box_id", "chargebox_id", "chargebox",
                       "station", "station_id", "charger", "charger_id", "identity", "cp"],
        .connector: ["connector", "connector_id", "port", "port_id", "outlet"],
        .evseId: ["evse_id", "evse", "evse_uid"],
        .token: ["token", "token_uid", "uid", "id_tag", "idtag", "id_token", "rfid", "auth_id", "card", "card_id"],
        .start: ["start", "start_time", "start_date_time", "started_at", "start_datetime", "session_start", "begin"],
        .end: ["end", "end_time", "end_date_time", "stop", "stop_time", "stop_date_time", "stopped_at", "end_datetime",
               "session_end"],
        .energyKWh: ["energy_kwh", "kwh", "total_energy", "total_energy_kwh", "energy"],
        .energyWh: ["energy_wh", "wh", "total_energy_wh"],
        .cost: ["cost", "total_cost", "amount", "price", "total_cost_excl_vat"],
        .currency: ["currency"],
    ]

    static func normalized(_ s: String) -> String {
        s.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" && $0 != "." }
    }

    /// The index of each field's column in `header`. An explicit mapping
    /// whose column is not there is an error: better to stop than to
    /// reconcile with a field silently missing.
    func resolve(_ header: [String]) throws(CDRReader.InputError) -> [Field: Int] {
        let names = header.map(Self.normalized)
        var out: [Field: Int] = [:]
        for f in Field.allCases {
            if let col = explicit[f] {
                guard let i = names.firstIndex(of: Self.normalized(col)) else {
                    throw .init("--map \(f.rawValue)=\(col): no column \"\(col)\" in the header (\(header.joined(separator: ", ")))")
                }
                out[f] = i
            }
        }
        for f in Field.allCases where explicit[f] == nil {
            // A mapped energy column in one unit rules out a default in the other.
            if f == .energyKWh && explicit[.energyWh] != nil { continue }
            if f == .energyWh && (explicit[.energyKWh] != nil || out[.energyKWh] != nil) { continue }
            if let i = (Self.defaults[f] ?? []).lazy.compactMap({ names.firstIndex(of: Self.normalized($0)) }).first,
               !out.values.contains(i) {
                out[f] = i
            }
        }
        return out
    }
}

/// CDRs from CSV: a header, then one record per line (`,` `;` or tab
/// separated, RFC 4180 quotes; decimal commas accepted in `;` files).
enum CSVCDRs {
    static func parse(_ text: String, columns: ColumnMap) throws(CDRReader.InputError) -> CDRReader.Result {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        guard let headerIndex = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }) else {
            throw .init("the CDR file is empty")
        }
        let headerLine = lines[headerIndex]
        let delimiter: Character = headerLine.contains(",") ? "," : headerLine.contains(";") ? ";" : headerLine.contains("\t") ? "\t" : ","
        let header = split(headerLine, delimiter)
        let col = try columns.resolve(header)
        guard col[.start] != nil else {
            throw .init("CSV: no start time column in the header (\(header.joined(separator: ", "))); name it with --map start=COLUMN")
        }
        guard col[.energyKWh] != nil || col[.energyWh] != nil else {
            throw .init("CSV: no energy column in the header (\(header.joined(separator: ", "))); name it with --map energy_kwh=COLUMN or energy_wh=COLUMN")
        }
        guard col[.chargePoint] != nil || col[.evseId] != nil || col[.token] != nil else {
            throw .init("CSV: no charge point, EVSE or token column to match on; name one with --map charge_point=COLUMN, evse_id=COLUMN or token=COLUMN")
        }

        var records: [ChargeDetailRecord] = []
        var problems: [String] = []
        for n in (headerIndex + 1)..<lines.count {
            let line = lines[n]
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let f = split(line, delimiter)
            func v(_ field: ColumnMap.Field) -> String? {
                guard let i = col[field], i < f.count else { return nil }
                let s = f[i].trimmingCharacters(in: .whitespaces)
                return s.isEmpty ? nil : s
            }
            let at = "line \(n + 1)"
            let id = v(.id) ?? at
            guard let startText = v(.start) else { problems.append("\(at): no start time"); continue }
            guard let start = time(startText) else { problems.append("\(at): start \"\(startText)\" is not a time"); continue }
            var end: Timestamp?
            if let e = v(.end) {
                guard let t = time(e) else { problems.append("\(at): end \"\(e)\" is not a time"); continue }
                end = t
            }
            var energyWh: Double?
            if let k = v(.energyKWh) {
                guard let x = number(k) else { problems.append("\(at): energy \"\(k)\" is not a number"); continue }
                energyWh = x * 1000
            } else if let w = v(.energyWh) {
                guard let x = number(w) else { problems.append("\(at): energy \"\(w)\" is not a number"); continue }
                energyWh = x
            }
            guard energyWh != nil else { problems.append("\(at): no energy"); continue }
            var c = ChargeDetailRecord(id: id, origin: at, start: start, end: end, energyWh: energyWh)
            c.chargePoint = v(.chargePoint)
            if let p = v(.connector) {
                guard let port = Port(p) else { problems.append("\(at): connector \"\(p)\" is not a number (or EVSE/connector)"); continue }
                c.port = port
            }
            c.evseId = v(.evseId)
            c.token = v(.token)
            c.costExclVat = v(.cost).flatMap(number)
            c.currency = v(.currency)
            records.append(c)
        }
        return CDRReader.Result(form: .csv, records: records, problems: problems)
    }

    static func split(_ line: String, _ delimiter: Character) -> [String] {
        if delimiter == "," { return CSVLine.fields(line) }
        // CSVLine splits on commas only; other delimiters the same way.
        var out: [String] = []
        var cur = ""
        var quoted = false
        var it = Array(line)[...]
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { cur.append("\""); it.removeFirst() } else { quoted = false }
                } else { cur.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == delimiter {
                out.append(cur.trimmingCharacters(in: .whitespaces))
                cur = ""
            } else {
                cur.append(c)
            }
        }
        out.append(cur.trimmingCharacters(in: .whitespaces))
        return out
    }

    /// ISO 8601 / RFC 3339 (UTC without a zone), or Unix seconds (or
    /// milliseconds, when too large to be seconds).
    static func time(_ s: String) -> Timestamp? {
        if let t = Timestamp(iso8601: s) { return t }
        if let n = Double(s), n > 0 {
            let seconds = n > 100_000_000_000 ? n / 1000 : n
            return Timestamp(roundingMicroseconds: seconds * 1_000_000)
        }
        return nil
    }

    /// `6.418`, `6,418` (a decimal comma when there is no point), `1,234.5`.
    static func number(_ s: String) -> Double? {
        var t = s.replacingOccurrences(of: " ", with: "")
        if t.contains(",") { t = t.contains(".") ? t.replacingOccurrences(of: ",", with: "") : t.replacingOccurrences(of: ",", with: ".") }
        return Double(t)
    }
}
