import Analysis
import Frames
import Queries
import Store

/// One EVSE as the regimes see it: a 1.6 connector (`evse` nil), or a 2.x
/// EVSE (`connector` is its only connector, or nil when it has several).
public struct EVSEKey: Hashable, Sendable, Comparable {
    public var chargePoint: String
    public var evse: Int?
    public var connector: Int?
    public init(chargePoint: String, evse: Int?, connector: Int?) {
        self.chargePoint = chargePoint
        self.evse = evse
        self.connector = connector
    }
    /// The number OCPI and the EVSE map call it by: the 1.6 connector or the 2.x EVSE.
    public var number: Int { evse ?? connector ?? 0 }
    public static func < (a: EVSEKey, b: EVSEKey) -> Bool {
        (a.chargePoint, a.evse ?? -1, a.connector ?? -1) < (b.chargePoint, b.evse ?? -1, b.connector ?? -1)
    }
}

/// A stretch of one status of one EVSE.
public struct StatusSegment: Sendable, Equatable {
    public var span: Span
    public var status: OCPIStatus
    /// What the charger said, in OCPP's words: `Faulted (GroundFailure)`,
    /// `charge point Unavailable`, `offline (silent)`, `no data`, `no report`.
    public var reported: String
    /// The message that began it, when one did.
    public var message: Int64?
}

public struct EVSETimeline: Sendable {
    public var key: EVSEKey
    public var segments: [StatusSegment]
}

/// Builds each EVSE's OCPI status over time from the history: the status
/// reports (mapped by `queries/regime-ocpi-status.sql`), the charge point's
/// connectivity (`uptime-connectivity`) and the data's coverage
/// (`uptime-coverage`).
///
/// Precedence, per instant: no data or unknown connectivity → UNKNOWN;
/// offline → `offlineAs` (OUTOFORDER unless a regime reads OCPI's UNKNOWN);
/// 1.6 connector 0 (2.x EVSE 0) INOPERATIVE or OUTOFORDER → that, for every EVSE;
/// else the EVSE's connectors combined (`OCPIStatus.evsePrecedence`).
public enum StatusTimeline {
    public static func load(store: Store, chargePoint: String?, window: Span?, offlineAs: OCPIStatus = .outOfOrder) throws -> [EVSETimeline] {
        let params: [String: SQLValue] = ["cp": chargePoint.map { .text($0) } ?? .null]
        func run(_ name: String, _ body: (Row) throws -> Void) throws {
            guard let q = QueryCatalog.named(name) else { throw QueryError("built-in query \(name) is missing") }
            try store.rows(q.sql, params, body)
        }
        var coverage: [String: [Span]] = [:]
        try run("uptime-coverage") { r in
            if let a = r.int("from_us"), let b = r.int("to_us") { coverage[r.text("charge_point") ?? "", default: []].append(Span(a, b)) }
        }
        var known: [String: [Span]] = [:]
        var offline: [String: [(Span, String, Int64?)]] = [:]
        try run("uptime-connectivity") { r in
            guard let cp = r.text("charge_point"), let a = r.int("from_us"), let b = r.int("to_us") else { return }
            known[cp, default: []].append(Span(a, b))
            if r.int("online") == 0 { offline[cp, default: []].append((Span(a, b), "offline (\(r.text("began") ?? "?"))", r.int("from_message"))) }
        }
        var reports: [ConnectorKey: [Report]] = [:]
        try run("regime-ocpi-status") { r in
            guard let cp = r.text("charge_point"), let a = r.int("from_us"), let b = r.int("to_us") else { return }
            var said = r.text("status") ?? "?"
            if let e = r.text("error_code"), !e.isEmpty, e != "NoError" { said += " (\(e))" }
            let key = ConnectorKey(cp: cp, evse: r.int("evse").map(Int.init), connector: Int(r.int("connector") ?? 0))
            reports[key, default: []].append(Report(span: Span(a, b), status: OCPIStatus(rawValue: r.text("ocpi_status") ?? "") ?? .unknown,
                                                    reported: said, message: r.int("message_id")))
        }

        // The EVSEs: 1.6 connectors > 0, 2.x EVSEs > 0 with their connectors;
        // 1.6 connector 0 and 2.x EVSE 0 are the whole charge point.
        var members: [EVSEKey: [ConnectorKey]] = [:]
        var station: [String: [Report]] = [:]
        for (k, list) in reports {
            if k.evse == 0 || (k.evse == nil && k.connector == 0) {
                station[k.cp, default: []] += list
            } else if let e = k.evse {
                members[EVSEKey(chargePoint: k.cp, evse: e, connector: nil), default: []].append(k)
            } else if k.connector > 0 {
                members[EVSEKey(chargePoint: k.cp, evse: nil, connector: k.connector), default: []].append(k)
            }
        }
        var out: [EVSETimeline] = []
        for (key, conns) in members.sorted(by: { $0.key < $1.key }) {
            var key = key
            if key.evse != nil { key.connector = conns.count == 1 ? conns[0].connector : nil }
            let cp = key.chargePoint
            let cover = IntervalSet(coverage[cp] ?? []).intersection(IntervalSet(known[cp] ?? []))
            let whole = (station[cp] ?? []).sorted { $0.span < $1.span }
            let sources = conns.map { (reports[$0] ?? []).sorted { $0.span < $1.span } }
            let off = (offline[cp] ?? []).sorted { $0.0 < $1.0 }
            guard let lo = window?.from ?? cover.spans.first?.from, let hi = window?.to ?? cover.spans.last?.to, hi > lo else { continue }
            var cuts: Set<Int64> = [lo, hi]
            for s in cover.spans { cuts.insert(s.from); cuts.insert(s.to) }
            for o in off { cuts.insert(o.0.from); cuts.insert(o.0.to) }
            for r in whole + sources.flatMap({ $0 }) { cuts.insert(r.span.from); cuts.insert(r.span.to) }
            let points = cuts.filter { $0 >= lo && $0 <= hi }.sorted()
            var segments: [StatusSegment] = []
            // The instants only move forward: coverage and offline spans (each
            // sorted, none overlapping) are followed with a cursor, not searched.
            var ci = 0, oi = 0
            for (a, b) in zip(points, points.dropFirst()) where b > a {
                while ci < cover.spans.count && cover.spans[ci].to <= a { ci += 1 }
                while oi < off.count && off[oi].0.to <= a { oi += 1 }
                let covered = ci < cover.spans.count && cover.spans[ci].from <= a
                let offline = oi < off.count && off[oi].0.from <= a ? (off[oi].1, off[oi].2) : nil
                let seg = state(at: a, covered: covered, offline: offline, whole: whole, connectors: sources, offlineAs: offlineAs)
                if var last = segments.last, last.status == seg.status, last.reported == seg.reported, last.span.to == a {
                    last.span.to = b
                    segments[segments.count - 1] = last
                } else {
                    segments.append(StatusSegment(span: Span(a, b), status: seg.status, reported: seg.reported, message: seg.message))
                }
            }
            out.append(EVSETimeline(key: key, segments: segments))
        }
        return out
    }

    struct ConnectorKey: Hashable { var cp: String; var evse: Int?; var connector: Int }
    struct Report { var span: Span; var status: OCPIStatus; var reported: String; var message: Int64? }

    /// Binary search: the report whose span holds `t`.
    static func report(at t: Int64, in list: [Report]) -> Report? {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].span.from <= t { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, list[lo - 1].span.to > t else { return nil }
        return list[lo - 1]
    }

    static func state(at t: Int64, covered: Bool, offline: (String, Int64?)?, whole: [Report], connectors: [[Report]],
                      offlineAs: OCPIStatus) -> (status: OCPIStatus, reported: String, message: Int64?) {
        guard covered else { return (.unknown, "no data", nil) }
        if let o = offline { return (offlineAs, o.0, o.1) }
        if let w = report(at: t, in: whole), w.status == .inoperative || w.status == .outOfOrder {
            return (w.status, "charge point " + w.reported, w.message)
        }
        let now = connectors.compactMap { report(at: t, in: $0) }
        guard let best = now.max(by: { $0.status.evsePrecedence < $1.status.evsePrecedence }) else { return (.unknown, "no report", nil) }
        return (best.status, best.reported, best.message)
    }
}
