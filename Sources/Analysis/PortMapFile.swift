import Foundation
import Store

/// Reads the port map of `ocppscope ports --load`: a CSV with a header
/// naming at least `charge_point`, `connector` and `port`, and optionally
/// `location` and `max_kw`, in any order. One row per connector; for 2.x
/// charge points `connector` names the EVSE. Connectors that share a port
/// (a CCS and a NACS cable on one dispenser) are one port for attempts,
/// reliability and uptime: down only while all of them are down.
public enum PortMapFile {
    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var problem: String
        public var description: String { "port map line \(line): \(problem)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> [PortMapEntry] {
        var out: [PortMapEntry] = []
        var columns: [String: Int]?
        var seen = Set<String>()
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = CSVLine.fields(line)
            guard let cols = columns else {
                let names = f.map { $0.lowercased() }
                guard let cp = names.firstIndex(of: "charge_point"), let c = names.firstIndex(of: "connector"),
                      let p = names.firstIndex(of: "port") else {
                    throw ParseError(line: i + 1, problem: "the header must name charge_point, connector and port (optionally location, max_kw)")
                }
                var m = ["charge_point": cp, "connector": c, "port": p]
                if let l = names.firstIndex(of: "location") { m["location"] = l }
                if let k = names.firstIndex(of: "max_kw") { m["max_kw"] = k }
                columns = m
                continue
            }
            func field(_ name: String) -> String? {
                guard let j = cols[name], j < f.count, !f[j].isEmpty else { return nil }
                return f[j]
            }
            guard let cp = field("charge_point"), let port = field("port") else {
                throw ParseError(line: i + 1, problem: "charge_point and port must not be empty")
            }
            guard let text = field("connector"), let connector = Int(text), connector >= 0 else {
                throw ParseError(line: i + 1, problem: "connector must be a number (for 2.x, the EVSE id)")
            }
            var maxKW: Double?
            if let k = field("max_kw") {
                guard let v = Double(k), v >= 0 else { throw ParseError(line: i + 1, problem: "max_kw must be a number") }
                maxKW = v
            }
            guard seen.insert("\(cp)\u{1F}\(connector)").inserted else {
                throw ParseError(line: i + 1, problem: "\(cp) connector \(connector) is mapped twice")
            }
            out.append(PortMapEntry(chargePoint: cp, connector: connector, port: port, location: field("location"), maxKW: maxKW))
        }
        if columns == nil { throw ParseError(line: 1, problem: "empty file: expected a header charge_point,connector,port") }
        return out
    }
}
