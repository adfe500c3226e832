import Foundation
import Queries
import Store

/// The power of each EVSE, for UK PCPR's "rapid charge point" (50 kW or
/// above, reg. 2). In this order: the charger's own rated power (2.x device
/// model, `queries/regime-port-power.sql`); the power map (`--power-map`
/// CSV `charge_point,connector,max_kw`, else the `max_kw` of the stored port
/// map); the highest power it was seen to deliver — a lower bound, so it
/// proves a port rapid but can only suggest that it is not.
public struct PortPower: Sendable {
    public struct Rating: Sendable, Equatable {
        public var kw: Double?
        /// `rated (NotifyReport)`, `power map`, `observed peak`, `unknown`.
        public var source: String
        public func isRapid(threshold: Double) -> Bool? {
            guard let kw else { return nil }
            if kw >= threshold { return true }
            return false
        }
    }

    private var rated: [EVSEKey: Double] = [:]
    private var peak: [EVSEKey: Double] = [:]
    private var mapped: [String: Double] = [:]

    public init() {}

    public static func load(store: Store, chargePoint: String?, powerMap: [(String, Int, Double)]) throws -> PortPower {
        var p = PortPower()
        guard let q = QueryCatalog.named("regime-port-power") else { throw QueryError("built-in query regime-port-power is missing") }
        try store.rows(q.sql, ["cp": chargePoint.map { .text($0) } ?? .null]) { r in
            let cp = r.text("charge_point") ?? ""
            let evse = r.int("evse").map(Int.init)
            let key = EVSEKey(chargePoint: cp, evse: evse, connector: evse == nil ? r.int("connector").map(Int.init) : nil)
            if let k = r.double("rated_kw") { p.rated[key] = max(p.rated[key] ?? 0, k) }
            if let k = r.double("peak_kw") { p.peak[key] = max(p.peak[key] ?? 0, k) }
        }
        for e in try store.portMap() { if let kw = e.maxKW { p.mapped["\(e.chargePoint)\u{1F}\(e.connector)"] = kw } }
        for (cp, n, kw) in powerMap { p.mapped["\(cp)\u{1F}\(n)"] = kw }
        return p
    }

    /// Keys compare by charge point and EVSE number (2.x keys carry no connector here).
    public func rating(_ key: EVSEKey) -> Rating {
        let k = EVSEKey(chargePoint: key.chargePoint, evse: key.evse, connector: key.evse == nil ? key.connector : nil)
        if let kw = rated[k] { return Rating(kw: kw, source: "rated (NotifyReport)") }
        if let kw = mapped["\(key.chargePoint)\u{1F}\(key.number)"] { return Rating(kw: kw, source: "power map") }
        if let kw = peak[k] { return Rating(kw: kw, source: "observed peak") }
        return Rating(kw: nil, source: "unknown")
    }

    /// Reads `--power-map`: `charge_point,connector,max_kw` (header optional;
    /// connector: the 1.6 connector or the 2.x EVSE).
    public static func parseMap(_ text: String) throws -> [(String, Int, Double)] {
        var out: [(String, Int, Double)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if f.first?.lowercased() == "charge_point" { continue }
            guard f.count >= 3, let n = Int(f[1]), let kw = Double(f[2]), kw >= 0 else {
                throw PowerMapError(description: "power map line \(i + 1): expected charge_point,connector,max_kw")
            }
            out.append((f[0], n, kw))
        }
        return out
    }

    public struct PowerMapError: Error, CustomStringConvertible { public var description: String }
}
