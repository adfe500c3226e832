import Analysis
import Foundation
import Frames
import Queries
import Store

/// Reads the numbers of every section from the store, through the
/// documented queries (`report-*`, `uptime-*`, `anomaly-*`) and the Store's
/// history questions; nothing here writes, and derived tables are preferred
/// over message payloads.
public struct ReportGatherer {
    public let store: Store
    /// Rows of the charge point's event table at most; the rest is counted.
    public var maxEvents = 400
    /// Findings per anomaly kind, and in all, in the "top findings" table.
    public var topPerKind = 5
    public var topTotal = 30
    /// Windows excluded from outage time (`--exclusions`, as for `ocppscope uptime`).
    public var exclusions: [Exclusion] = []

    public init(store: Store) { self.store = store }

    /// The report's period: the given ends, else the span the data covers
    /// (the sources holding the charge point's connections, as uptime
    /// counts them, and its messages). nil when there is no data and no
    /// period was given.
    public func scope(from: Int64?, to: Int64?, chargePoint: String?) throws -> ReportScope? {
        if let from, let to { return ReportScope(from: from, to: to, chargePoint: chargePoint) }
        let t = try totals(chargePoint: chargePoint, from: nil, to: nil)
        var lo = t.first, hi = t.last.map { $0 + 1 }
        try store.rows(query("uptime-coverage"), ["cp": chargePoint.map { .text($0) } ?? .null]) { r in
            if let a = r.int("from_us") { lo = min(lo ?? a, a) }
            if let b = r.int("to_us") { hi = max(hi ?? b, b) }
        }
        guard let first = from ?? lo, let last = to ?? hi else { return nil }
        return ReportScope(from: first, to: max(last, first + 1), chargePoint: chargePoint)
    }

    /// The identities of the charge points in the database, for telling a
    /// user who named one that is not there which ones are.
    public func chargePointIdentities() throws -> [String] {
        var ids: [String] = []
        try store.chargers(HistoryFilter()) { r in if let id = r.text("identity") { ids.append(id) } }
        return ids
    }

    /// Everything the page shows for `scope`.
    public func gather(_ scope: ReportScope, database: String, generatedAt: String) throws -> ReportData {
        var data = ReportData(scope: scope, database: database, generatedAt: generatedAt)
        let sessions = try sessions(scope)
        data.fleet = try fleet(scope, sessions: sessions)
        data.uptime = try uptime(scope)
        var energy = EnergySection()
        (energy.bucketSize, energy.buckets) = EnergyBuckets.make(sessions, window: scope.span)
        energy.sessions = sessions
        data.energy = energy
        data.anomalies = try anomalies(scope)
        if let cp = scope.chargePoint {
            data.chargePoint = try chargePointSection(cp, scope: scope, strips: data.uptime.strips, sessions: sessions)
        }
        return data
    }

    // MARK: shared by the sections

    func params(_ scope: ReportScope) -> [String: SQLValue] {
        ["cp": scope.chargePoint.map { .text($0) } ?? .null, "from_us": .int(scope.from), "to_us": .int(scope.to)]
    }

    func query(_ name: String) throws -> String {
        guard let q = QueryCatalog.named(name) else { throw QueryError("built-in query \(name) is missing") }
        return q.sql
    }

    func totals(chargePoint: String?, from: Int64?, to: Int64?) throws -> (messages: Int, first: Int64?, last: Int64?) {
        var out: (Int, Int64?, Int64?) = (0, nil, nil)
        let p: [String: SQLValue] = ["cp": chargePoint.map { .text($0) } ?? .null,
                                     "from_us": from.map { .int($0) } ?? .null, "to_us": to.map { .int($0) } ?? .null]
        try store.rows(query("report-totals"), p) { r in out = (Int(r.int("messages") ?? 0), r.int("first_us"), r.int("last_us")) }
        return out
    }

    /// Sessions that started in the period (charger clock, else observed), in start order.
    func sessions(_ scope: ReportScope) throws -> [SessionRow] {
        try sessions(HistoryFilter(chargePoint: scope.chargePoint, since: Timestamp(microseconds: scope.from),
                                   until: Timestamp(microseconds: scope.to)))
    }

    func sessions(_ filter: HistoryFilter) throws -> [SessionRow] {
        var out: [SessionRow] = []
        try store.transactions(filter) { r in
            let evse = r.int("evse"), connector = r.int("connector")
            let port = (evse.map { "\($0)/" } ?? "") + (connector.map(String.init) ?? "?")
            out.append(SessionRow(chargePoint: r.text("charge_point") ?? "", sessionNo: Int(r.int("session_no") ?? 0), port: port,
                                  transactionId: r.text("transaction_id"),
                                  started: r.int("started_us") ?? r.int("started_observed_us"),
                                  stopped: r.int("stopped_us") ?? r.int("stopped_observed_us"),
                                  energyWh: r.double("energy_wh"), energySource: r.text("energy_source") ?? "none",
                                  stopReason: r.text("stop_reason"), flags: Self.flags(r.text("flags"))))
        }
        return out
    }

    /// The `flags` column: a JSON array of strings.
    static func flags(_ json: String?) -> [String] {
        guard let data = json?.data(using: .utf8), let a = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return [] }
        return a.compactMap { $0 as? String }
    }

    func fleet(_ scope: ReportScope, sessions: [SessionRow]) throws -> FleetOverview {
        var f = FleetOverview()
        var perCP: [String: (Int, Double)] = [:]
        for s in sessions {
            perCP[s.chargePoint, default: (0, 0)].0 += 1
            perCP[s.chargePoint, default: (0, 0)].1 += max(0, s.energyWh ?? 0)
        }
        let filter = HistoryFilter(chargePoint: scope.chargePoint, since: Timestamp(microseconds: scope.from),
                                   until: Timestamp(microseconds: scope.to))
        try store.chargers(filter) { r in
            let id = r.text("identity") ?? ""
            f.chargePoints.append(ChargePointInfo(identity: id, vendor: r.text("vendor"), model: r.text("model"), firmware: r.text("firmware"),
                                                  ocppVersion: r.text("ocpp_version"), sessions: perCP[id]?.0 ?? 0, energyWh: perCP[id]?.1))
        }
        f.byVersion = Self.capped(Self.tally(f.chargePoints.map { $0.ocppVersion ?? "unknown" }))
        f.byVendor = Self.capped(Self.tally(f.chargePoints.map { $0.vendor ?? "unknown" }))
        f.byFirmware = Self.capped(Self.tally(f.chargePoints.map {
            [$0.vendor, $0.model].compactMap { $0 }.joined(separator: " ") + " " + ($0.firmware ?? "firmware unknown")
        }.map { $0.trimmingCharacters(in: .whitespaces) }))
        f.messages = try totals(chargePoint: scope.chargePoint, from: scope.from, to: scope.to).messages
        f.sessions = sessions.count
        f.energyWh = sessions.reduce(0) { $0 + max(0, $1.energyWh ?? 0) }
        try store.rows(query("report-decode-issues"), params(scope)) { r in
            f.decodeIssuesByLayer.append(LabelledCount(r.text("layer") ?? "?", Int(r.int("issues") ?? 0), note: r.text("reasons")))
        }
        try store.rows(query("report-completeness"), params(scope)) { r in
            var c = DataCompleteness()
            c.connections = Int(r.int("connections") ?? 0)
            c.handshakesSeen = Int(r.int("handshakes_seen") ?? 0)
            c.bytesSeen = r.int("bytes_seen") ?? 0
            c.bytesDecoded = r.int("bytes_decoded") ?? 0
            c.holes = Int(r.int("holes") ?? 0)
            c.holeBytes = r.int("hole_bytes") ?? 0
            f.completeness = c
        }
        return f
    }

    /// Counts of each distinct label, most frequent first (then by label).
    public static func tally(_ labels: [String]) -> [LabelledCount] {
        var counts: [String: Int] = [:]
        for l in labels { counts[l, default: 0] += 1 }
        return counts.map { LabelledCount($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
    }

    /// The `limit` − 1 largest counts and one bar for the rest (`27 others`),
    /// so that a fleet of many firmware versions still gives a chart to read;
    /// the charge point table names every one.
    public static func capped(_ counts: [LabelledCount], limit: Int = 12) -> [LabelledCount] {
        guard counts.count > limit else { return counts }
        let rest = counts.dropFirst(limit - 1)
        return Array(counts.prefix(limit - 1)) + [LabelledCount("\(rest.count) others", rest.reduce(0) { $0 + $1.count })]
    }

    /// The sessions the table lists: all of them up to `limit`; beyond, the
    /// flagged ones first (those are what a reader must look at), in start
    /// order, then unflagged ones while room is left. Returns the rows and
    /// how many were left out.
    public static func sessionsToList(_ sessions: [SessionRow], limit: Int) -> ([SessionRow], Int) {
        guard sessions.count > limit else { return (sessions, 0) }
        let flagged = sessions.enumerated().filter { !$0.element.flags.isEmpty }
        let plain = sessions.enumerated().filter { $0.element.flags.isEmpty }
        let chosen = (Array(flagged.prefix(limit)) + Array(plain.prefix(max(0, limit - flagged.count)))).sorted { $0.offset < $1.offset }
        return (chosen.map(\.element), sessions.count - chosen.count)
    }

    static func portLabel(evse: Int?, connector: Int) -> String { (evse.map { "\($0)/" } ?? "") + "\(connector)" }
}
