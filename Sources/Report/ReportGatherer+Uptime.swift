import Analysis
import Foundation
import Frames
import Queries
import Store

/// Section 2: the uptime bars (the uptime command's own arithmetic), the
/// status strips of the connectors, and the outages.
extension ReportGatherer {
    func uptime(_ scope: ReportScope) throws -> UptimeSection {
        var u = UptimeSection()
        let rows = try UptimeData.uptime(store: store, chargePoint: scope.chargePoint, from: scope.from, to: scope.to, kind: .all,
                                         exclusions: exclusions)
        for p in rows {
            u.bars.append(Self.bar(p))
            for o in p.outages {
                u.outages.append(OutageRow(chargePoint: p.chargePoint, port: p.port ?? Self.portLabel(evse: p.evse, connector: p.connector),
                                           span: o.span, cause: o.cause, excludedMinutes: Double(o.excludedMicros) / 60_000_000,
                                           exclusionReasons: o.exclusionReasons))
            }
        }
        u.outages.sort { $0.span.from != $1.span.from ? $0.span.from < $1.span.from : $0.chargePoint < $1.chargePoint }
        u.strips = try strips(scope)
        return u
    }

    /// The shares of one port's bar, from its uptime row.
    public static func bar(_ p: PortUptime) -> UptimeBar {
        let period = Double(max(1, p.periodMicros))
        func pct(_ us: Int64) -> Double { Double(us) / period * 100 }
        let counted = p.outageMicros - p.excludedMicros
        let up = p.periodMicros - p.outageMicros - p.unknownMicros
        return UptimeBar(chargePoint: p.chargePoint, port: p.port ?? portLabel(evse: p.evse, connector: p.connector),
                         uptimePercent: p.uptimePercent, uptimeOfKnownPercent: p.uptimePercentOfKnown,
                         upPercent: pct(max(0, up)), outagePercent: pct(max(0, counted)), excludedPercent: pct(p.excludedMicros),
                         unknownPercent: pct(p.unknownMicros), outageMinutes: Double(p.outageMicros) / 60_000_000,
                         outageCount: p.outages.count)
    }

    /// One strip per connector, from the same queries as uptime.
    func strips(_ scope: ReportScope) throws -> [StatusStrip] {
        let p: [String: SQLValue] = ["cp": scope.chargePoint.map { .text($0) } ?? .null]
        struct Key: Hashable { var cp: String; var evse: Int?; var connector: Int }
        var ports: [Key] = []
        try store.rows(query("uptime-ports"), p) { r in
            ports.append(Key(cp: r.text("charge_point") ?? "", evse: r.int("evse").map(Int.init), connector: Int(r.int("connector") ?? 0)))
        }
        var reported: [Key: [StatusStrips.Reported]] = [:]
        try store.rows(query("uptime-status"), p) { r in
            guard let cp = r.text("charge_point"), let a = r.int("from_us") else { return }
            let key = Key(cp: cp, evse: r.int("evse").map(Int.init), connector: Int(r.int("connector") ?? 0))
            reported[key, default: []].append(StatusStrips.Reported(span: Span(a, r.int("to_us") ?? scope.to), status: r.text("status") ?? "?",
                                                                   errorCode: r.text("error_code")))
        }
        let offline = try offlineSpans(chargePoint: scope.chargePoint)
        return ports.map { k in
            StatusStrips.strip(label: "\(k.cp) · \(Self.portLabel(evse: k.evse, connector: k.connector))", window: scope.span,
                               own: reported[k] ?? [],
                               wholeChargePoint: k.evse == nil ? reported[Key(cp: k.cp, evse: nil, connector: 0)] ?? [] : [],
                               offline: offline.offline[k.cp] ?? [])
        }
    }

    func offlineSpans(chargePoint: String?) throws -> (offline: [String: [StatusStrips.Offline]], online: [String: [Span]]) {
        var off: [String: [StatusStrips.Offline]] = [:]
        var on: [String: [Span]] = [:]
        try store.rows(query("uptime-connectivity"), ["cp": chargePoint.map { .text($0) } ?? .null]) { r in
            guard let cp = r.text("charge_point"), let a = r.int("from_us"), let b = r.int("to_us") else { return }
            if r.int("online") == 0 {
                off[cp, default: []].append(StatusStrips.Offline(span: Span(a, b), began: r.text("began") ?? "?"))
            } else {
                on[cp, default: []].append(Span(a, b))
            }
        }
        return (off, on)
    }
}
