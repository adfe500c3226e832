import Frames
import Queries
import Store

/// Loads what uptime needs from the store, through the documented queries
/// `uptime-ports`, `uptime-coverage`, `uptime-connectivity` and
/// `uptime-status` (the policy of what counts as down lives there).
public enum UptimeData {
    public static func ports(store: Store, chargePoint: String?) throws -> [PortHistory] {
        let params: [String: SQLValue] = ["cp": chargePoint.map { .text($0) } ?? .null]
        func run(_ name: String, _ body: (Row) throws -> Void) throws {
            guard let q = QueryCatalog.named(name) else { throw QueryError("built-in query \(name) is missing") }
            try store.rows(q.sql, params, body)
        }
        var ports: [(String, Int?, Int)] = []
        try run("uptime-ports") { r in ports.append((r.text("charge_point") ?? "", r.int("evse").map(Int.init), Int(r.int("connector") ?? 0))) }

        var coverage: [String: [Span]] = [:]
        try run("uptime-coverage") { r in
            if let a = r.int("from_us"), let b = r.int("to_us") { coverage[r.text("charge_point") ?? "", default: []].append(Span(a, b)) }
        }
        var connectivityKnown: [String: [Span]] = [:]
        var offline: [String: [DownSpan]] = [:]
        try run("uptime-connectivity") { r in
            guard let cp = r.text("charge_point"), let a = r.int("from_us"), let b = r.int("to_us") else { return }
            connectivityKnown[cp, default: []].append(Span(a, b))
            if r.int("online") == 0 {
                offline[cp, default: []].append(DownSpan(span: Span(a, b), cause: "offline (\(r.text("began") ?? "?"))",
                                                         startMessage: r.int("from_message"), endMessage: r.int("to_message"), rank: 2))
            }
        }
        struct PortKey: Hashable { var cp: String; var evse: Int?; var connector: Int }
        var statusKnown: [PortKey: [Span]] = [:]
        var statusDown: [PortKey: [DownSpan]] = [:]
        /// 2.x EVSE 0 is the charging station as a whole, as 1.6 connector 0 is.
        var stationDown: [String: [DownSpan]] = [:]
        try run("uptime-status") { r in
            guard let cp = r.text("charge_point"), let a = r.int("from_us") else { return }
            let b = r.int("to_us") ?? a
            let key = PortKey(cp: cp, evse: r.int("evse").map(Int.init), connector: Int(r.int("connector") ?? 0))
            let state = r.text("state") ?? "unknown"
            if state != "unknown" { statusKnown[key, default: []].append(Span(a, b)) }
            if state == "down" {
                var cause = r.text("status") ?? "down"
                if let e = r.text("error_code"), !e.isEmpty, e != "NoError" { cause += " (\(e))" }
                if key.evse == nil && key.connector == 0 || key.evse == 0 { cause = "charge point " + cause }
                let d = DownSpan(span: Span(a, b), cause: cause, startMessage: r.int("message_id"), endMessage: r.int("end_message_id"), rank: 1)
                if key.evse == 0 { stationDown[cp, default: []].append(d) } else { statusDown[key, default: []].append(d) }
            }
        }
        let histories = ports.map { (cp, evse, connector) in
            let key = PortKey(cp: cp, evse: evse, connector: connector)
            let whole = PortKey(cp: cp, evse: nil, connector: 0)
            var down = (offline[cp] ?? []) + (statusDown[key] ?? [])
            // 1.6 connector 0 and 2.x EVSE 0 stand for the whole charge point.
            let station = evse == nil ? statusDown[whole] ?? [] : stationDown[cp] ?? []
            down += station
            let offlineSet = IntervalSet((offline[cp] ?? []).map(\.span))
            let wholeDown = IntervalSet(station.map(\.span))
            let known = IntervalSet(connectivityKnown[cp] ?? [])
                .intersection(IntervalSet(statusKnown[key] ?? []).union(offlineSet).union(wholeDown))
            return PortHistory(chargePoint: cp, evse: evse, connector: connector, coverage: IntervalSet(coverage[cp] ?? []),
                               known: known, down: down)
        }
        return grouped(histories, map: try store.portMap())
    }

    /// Ports of several connectors, by the port map: such a port is down only
    /// while all of its connectors are down (a CCS and a NACS cable on one
    /// dispenser: one faulted cable leaves the port up). The charge point's
    /// offline spans apply as they are; status outages are the intersection
    /// of the connectors' own, named by all their causes. The state is known
    /// while every connector's is, or while any connector is known up.
    /// Connectors the map does not name stay ports of their own.
    public static func grouped(_ ports: [PortHistory], map: [PortMapEntry]) -> [PortHistory] {
        guard !map.isEmpty else { return ports }
        var label: [String: String] = [:]
        for e in map { label["\(e.chargePoint)\u{1F}\(e.connector)"] = e.port }
        var order: [String] = []
        var members: [String: [PortHistory]] = [:]
        for (i, p) in ports.enumerated() {
            let name = label["\(p.chargePoint)\u{1F}\(p.evse ?? p.connector)"]
            let key = name.map { "\(p.chargePoint)\u{1F}\($0)" } ?? "#\(i)"
            if members[key] == nil { order.append(key) }
            var q = p
            q.port = name
            members[key, default: []].append(q)
        }
        return order.map { merge(members[$0]!) }
    }

    private static func merge(_ ms: [PortHistory]) -> PortHistory {
        guard ms.count > 1, let first = ms.first else { return ms[0] }
        let offline = first.down.filter { $0.rank >= 2 }
        let statusDown = ms.map { IntervalSet($0.down.filter { $0.rank < 2 }.map(\.span)) }
        let allDown = statusDown.dropFirst().reduce(statusDown[0]) { $0.intersection($1) }
        var down = offline
        for d in first.down where d.rank < 2 {
            for span in IntervalSet([d.span]).intersection(allDown).spans {
                var causes: [String] = []
                for m in ms {
                    for o in m.down where o.rank < 2 && o.span.from <= span.from && o.span.to > span.from && !causes.contains(o.cause) {
                        causes.append(o.cause)
                    }
                }
                down.append(DownSpan(span: span, cause: "all connectors: " + causes.joined(separator: "; "),
                                     startMessage: d.startMessage, endMessage: d.endMessage, rank: d.rank))
            }
        }
        let allKnown = ms.dropFirst().reduce(ms[0].known) { $0.intersection($1.known) }
        let anyUp = zip(ms, statusDown).reduce(IntervalSet()) { $0.union($1.0.known.subtracting($1.1)) }
        return PortHistory(chargePoint: first.chargePoint, evse: first.evse, connector: first.connector,
                           coverage: ms.reduce(IntervalSet()) { $0.union($1.coverage) }, known: allKnown.union(anyUp), down: down,
                           port: first.port, connectors: ms.map(\.connector))
    }

    /// Uptime of every port in every period of `kind` within [from, to)
    /// (by default the span the data covers).
    public static func uptime(store: Store, chargePoint: String?, from: Int64?, to: Int64?, kind: PeriodKind,
                              exclusions: [Exclusion]) throws -> [PortUptime] {
        let ports = try ports(store: store, chargePoint: chargePoint)
        let all = ports.reduce(IntervalSet()) { $0.union($1.coverage) }
        guard let lo = from ?? all.spans.first?.from, let hi = to ?? all.spans.last?.to else { return [] }
        var out: [PortUptime] = []
        for period in kind.periods(from: lo, to: hi) {
            for p in ports { out.append(UptimeCalculator.compute(p, period: period, exclusions: exclusions)) }
        }
        return out
    }
}
