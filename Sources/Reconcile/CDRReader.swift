import Analysis
import Foundation
import Frames
import OCPP

/// Reads charge detail records in the forms billing systems hand them out,
/// told apart by content, not by file name:
///
/// - a JSON array of OCPI CDR objects (`[{…},{…}]`);
/// - the OCPI response envelope of `GET /cdrs` (`{"data":[…],"status_code":1000,…}`);
/// - one CDR object per line (JSON lines, as a message queue dumps them), or one object;
/// - CSV with a header, its columns named by a `ColumnMap`.
///
/// A record that cannot be used (no start time, no energy, not an object) is
/// skipped and named in `problems`: nothing is dropped silently, and one bad
/// line does not cost the rest of the file.
public enum CDRReader {
    public enum Form: String, Sendable {
        case jsonArray = "JSON array"
        case ocpiEnvelope = "OCPI response envelope"
        case jsonLines = "JSON lines"
        case csv = "CSV"
    }

    public struct Result: Sendable {
        public var form: Form
        public var records: [ChargeDetailRecord]
        /// One line per record that was skipped, saying where and why.
        public var problems: [String]
    }

    /// Why a whole input cannot be read (as opposed to one bad record).
    public struct InputError: Error, CustomStringConvertible {
        public var description: String
        public init(_ d: String) { description = d }
    }

    public static func read(path: String, columns: ColumnMap = ColumnMap()) throws -> Result {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("cannot read \(path)") }
        return try parse(String(decoding: data, as: UTF8.self), columns: columns)
    }

    public static func parse(_ input: String, columns: ColumnMap = ColumnMap()) throws -> Result {
        var text = input
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard let first = text.first(where: { !$0.isWhitespace }) else { throw InputError("the CDR file is empty") }
        switch first {
        case "[":
            let value: JSONValue
            do { value = try JSONValue.parse(text) } catch { throw InputError("not valid JSON: \(error)") }
            return objects(value.array ?? [], form: .jsonArray, origin: { "item \($0 + 1)" })
        case "{":
            if let value = try? JSONValue.parse(text) {
                if let data = value["data"] {
                    try checkStatus(value)
                    if let list = data.array { return objects(list, form: .ocpiEnvelope, origin: { "data item \($0 + 1)" }) }
                    return objects([data], form: .ocpiEnvelope, origin: { _ in "data" })
                }
                return objects([value], form: .jsonLines, origin: { _ in "line 1" })
            }
            return jsonLines(text)
        default:
            return try CSVCDRs.parse(text, columns: columns)
        }
    }

    /// OCPI status codes 1xxx are success; 2xxx and 3xxx are errors whose
    /// `data` is not a list of CDRs to trust.
    private static func checkStatus(_ envelope: JSONValue) throws {
        guard let code = envelope["status_code"]?.int else { return }
        if !(1000..<2000).contains(code) {
            let message = envelope["status_message"]?.string.map { ": \($0)" } ?? ""
            throw InputError("the OCPI response reports an error (status_code \(code)\(message))")
        }
    }

    private static func jsonLines(_ text: String) -> Result {
        var records: [ChargeDetailRecord] = []
        var problems: [String] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let at = "line \(i + 1)"
            guard let value = try? JSONValue.parse(line) else { problems.append("\(at): not a JSON object"); continue }
            switch OCPICDR.record(value, origin: at) {
            case .success(let c): records.append(c)
            case .failure(let p): problems.append("\(at): \(p.description)")
            }
        }
        return Result(form: .jsonLines, records: records, problems: problems)
    }

    private static func objects(_ list: [JSONValue], form: Form, origin: (Int) -> String) -> Result {
        var records: [ChargeDetailRecord] = []
        var problems: [String] = []
        for (i, v) in list.enumerated() {
            let at = origin(i)
            switch OCPICDR.record(v, origin: at) {
            case .success(let c): records.append(c)
            case .failure(let p): problems.append("\(at.isEmpty ? "item \(i + 1)" : at): \(p.description)")
            }
        }
        return Result(form: form, records: records, problems: problems)
    }
}

/// Reading one OCPI CDR object (2.2.1, with the 2.1.1 names accepted where
/// they differ: `stop_date_time`, `auth_id`, `location`, a plain-number
/// `total_cost`).
enum OCPICDR {
    static func record(_ v: JSONValue, origin: String) -> Swift.Result<ChargeDetailRecord, CDRReader.InputError> {
        guard case .object = v else { return .failure(.init("not a JSON object")) }
        let id = v["id"].flatMap(text) ?? origin
        guard let startText = v["start_date_time"]?.string else { return .failure(.init("CDR \(id) has no start_date_time")) }
        guard let start = Timestamp(iso8601: startText) else {
            return .failure(.init("CDR \(id): start_date_time \"\(startText)\" is not an RFC 3339 time"))
        }
        let endText = (v["end_date_time"] ?? v["stop_date_time"])?.string
        let end = endText.flatMap { Timestamp(iso8601: $0) }
        if let endText, end == nil { return .failure(.init("CDR \(id): end_date_time \"\(endText)\" is not an RFC 3339 time")) }

        var c = ChargeDetailRecord(id: id, origin: origin, start: start, end: end)
        if let token = v["cdr_token"] {
            c.token = token["uid"].flatMap(text)
            c.tokenType = token["type"]?.string
            c.contractId = token["contract_id"]?.string
        } else {
            c.token = v["auth_id"].flatMap(text)
        }
        c.authMethod = v["auth_method"]?.string
        if let loc = v["cdr_location"] {
            c.evseId = loc["evse_id"]?.string
            c.evseUid = loc["evse_uid"]?.string
            c.ocpiConnectorId = loc["connector_id"].flatMap(text)
        } else if let evse = v["location"]?["evses"]?[0] {
            c.evseId = evse["evse_id"]?.string
            c.evseUid = evse["uid"]?.string
            c.ocpiConnectorId = evse["connectors"]?[0]?["id"].flatMap(text)
        }
        // total_energy is kWh with decimals; keep Wh.
        if let kwh = v["total_energy"]?.double { c.energyWh = kwh * 1000 }
        c.totalTimeHours = v["total_time"]?.double
        if let periods = v["charging_periods"]?.array {
            var sum = 0.0
            var any = false
            for p in periods {
                for d in p["dimensions"]?.array ?? [] where d["type"]?.string == "ENERGY" {
                    if let kwh = d["volume"]?.double { sum += kwh; any = true }
                }
            }
            if any { c.periodsEnergyWh = sum * 1000 }
        }
        if c.energyWh == nil { c.energyWh = c.periodsEnergyWh }
        guard c.energyWh != nil else { return .failure(.init("CDR \(id) has no total_energy")) }
        if let cost = v["total_cost"] {
            if let n = cost.double { c.costExclVat = n } else {
                c.costExclVat = cost["excl_vat"]?.double
                c.costInclVat = cost["incl_vat"]?.double
            }
        }
        if let ec = v["total_energy_cost"] { c.energyCostExclVat = ec.double ?? ec["excl_vat"]?.double }
        c.currency = v["currency"]?.string
        if case .bool(true) = v["credit"] ?? .null { c.credit = true }
        c.creditReference = v["credit_reference_id"]?.string
        return .success(c)
    }

    /// A string, or a number written as text (connector ids and token uids
    /// arrive as either).
    static func text(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .number(let n): return n
        default: return nil
        }
    }
}
