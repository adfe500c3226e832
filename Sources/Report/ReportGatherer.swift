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
    /// Rows of the session table at most (the chart always counts all).
    public var maxSessions = 500
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

    // MARK: the sections

    private func params(_ scope: ReportScope) -> [String: SQLValue] {
        ["cp": scope.chargePoint.map { .text($0) } ?? .null, "from_us": .int(scope.from), "to_us": .int(scope.to)]
    }

    private func query(_ name: String) throws -> String {
        guard let q = QueryCatalog.named(name) else { throw QueryError("built-in query \(name) is missing") }
        return q.sql
    }

    private func totals(chargePoint: String?, from: Int64?, to: Int64?) throws -> (messages: Int, first: Int64?, last: Int64?) {
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

    private func offlineSpans(chargePoint: String?) throws -> (offline: [String: [StatusStrips.Offline]], online: [String: [Span]]) {
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

    func anomalies(_ scope: ReportScope) throws -> AnomalySection {
        var a = AnomalySection()
        var all: [AnomalyFinding] = []
        for kind in QueryCatalog.anomalyKinds {
            var n = 0
            try store.rows(query("anomaly-" + kind), ["cp": scope.chargePoint.map { .text($0) } ?? .null]) { r in
                let f = AnomalyFinding(kind: kind, chargePoint: r.text("charge_point"), connector: r.int("connector").map(Int.init),
                                       from: r.int("from_us"), to: r.int("to_us"), detail: r.text("detail"))
                guard Self.overlaps(f, scope.span) else { return }
                n += 1
                all.append(f)
            }
            a.counts.append(LabelledCount(kind, n))
        }
        a.counts.sort { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
        a.total = all.count
        a.top = Self.top(all, perKind: topPerKind, total: topTotal)
        return a
    }

    /// A finding belongs to the period when its span touches it; a finding
    /// without a time (a rate over the whole data) always does.
    static func overlaps(_ f: AnomalyFinding, _ window: Span) -> Bool {
        guard let from = f.from else { return true }
        let to = f.to ?? from
        return from < window.to && to >= window.from
    }

    /// The findings to show first: the longest of each kind (a 90-minute
    /// stuck connector before a 1-minute one), at most `perKind` of a kind,
    /// kinds with the most findings first.
    public static func top(_ findings: [AnomalyFinding], perKind: Int, total: Int) -> [AnomalyFinding] {
        var byKind: [String: [AnomalyFinding]] = [:]
        var order: [String] = []
        for f in findings {
            if byKind[f.kind] == nil { order.append(f.kind) }
            byKind[f.kind, default: []].append(f)
        }
        order.sort { (byKind[$0]!.count, $1) > (byKind[$1]!.count, $0) }
        func length(_ f: AnomalyFinding) -> Int64 { (f.to ?? f.from ?? 0) - (f.from ?? 0) }
        var out: [AnomalyFinding] = []
        for k in order {
            let sorted = byKind[k]!.enumerated().sorted { a, b in
                length(a.element) != length(b.element) ? length(a.element) > length(b.element) : a.offset < b.offset
            }.map(\.element)
            out += sorted.prefix(perKind)
        }
        return Array(out.prefix(total))
    }

    func chargePointSection(_ cp: String, scope: ReportScope, strips: [StatusStrip], sessions: [SessionRow]) throws -> ChargePointSection {
        var c = ChargePointSection()
        let filter = HistoryFilter(chargePoint: cp)
        try store.chargers(filter) { r in
            c.info = ChargePointInfo(identity: cp, vendor: r.text("vendor"), model: r.text("model"), firmware: r.text("firmware"),
                                     ocppVersion: r.text("ocpp_version"), sessions: sessions.count,
                                     energyWh: sessions.reduce(0) { $0 + max(0, $1.energyWh ?? 0) })
        }
        let conn = try offlineSpans(chargePoint: cp)
        c.lanes.append(StatusStrips.connectivityLane(window: scope.span, online: conn.online[cp] ?? [], offline: conn.offline[cp] ?? []))
        c.lanes += strips.map { StatusStrip(label: "Connector " + ($0.label.components(separatedBy: " · ").last ?? $0.label), segments: $0.segments) }
        // The lanes show every session that overlaps the period, also those
        // begun before it (the table lists those that started in it).
        var overlapping: [SessionRow] = []
        let before = HistoryFilter(chargePoint: cp, since: nil, until: Timestamp(microseconds: scope.to))
        for s in try self.sessions(before) where (s.stopped ?? Int64.max) > scope.from { overlapping.append(s) }
        c.lanes += Self.sessionLanes(overlapping, window: scope.span)
        var events: [TimelineEvent] = []
        var omitted = 0
        let f = HistoryFilter(chargePoint: cp, since: Timestamp(microseconds: scope.from), until: Timestamp(microseconds: scope.to))
        try store.timeline(f) { r in
            guard let t = r.int("time_us"), let e = Self.notable(r) else { return }
            if events.count < maxEvents { events.append(TimelineEvent(time: t, kind: e.0, detail: e.1)) } else { omitted += 1 }
        }
        c.events = events
        c.eventsOmitted = omitted
        return c
    }

    /// One sessions lane per port (sessions of two ports overlap in time),
    /// one stretch per session; open ones run to the period's end.
    public static func sessionLanes(_ sessions: [SessionRow], window: Span) -> [StatusStrip] {
        var ports: [String] = []
        for s in sessions where !ports.contains(s.port) { ports.append(s.port) }
        return ports.sorted().map { port in
            var lane = sessionLane(sessions.filter { $0.port == port }, window: window)
            lane.label = "Sessions \(port)"
            return lane
        }
    }

    /// The stretches of sessions on one lane.
    public static func sessionLane(_ sessions: [SessionRow], window: Span) -> StatusStrip {
        var segs: [StripSegment] = []
        for s in sessions {
            guard let a = s.started else { continue }
            let b = s.stopped ?? window.to
            let span = Span(max(a, window.from), min(max(b, a + 1), window.to))
            guard span.to > span.from else { continue }
            let kwh = s.energyWh.map { String(format: "%.2f kWh", $0 / 1000) } ?? "energy unknown"
            segs.append(StripSegment(span: span, state: .charging,
                                     detail: "session \(s.sessionNo) on \(s.port): \(kwh)" + (s.flags.isEmpty ? "" : " [\(s.flags.joined(separator: ", "))]")))
        }
        return StatusStrip(label: "Sessions", segments: segs)
    }

    /// The timeline rows worth a manager's reading: connections, status
    /// changes, offline periods, sessions, boots, errors and unanswered
    /// calls — not every heartbeat and meter value.
    static func notable(_ r: Row) -> (String, String)? {
        let kind = r.text("kind") ?? ""
        switch kind {
        case "connect", "disconnect", "status", "offline", "session-start":
            return (kind, r.text("detail") ?? "")
        case "session-stop":
            let d = r.text("detail") ?? ""
            return (kind, d.hasSuffix(" []") ? String(d.dropLast(3)) : d)     // no flags
        case "CALLERROR", "CALLRESULTERROR":
            let d = [r.text("action"), r.text("error_code"), r.text("error_description")].compactMap { $0 }.filter { !$0.isEmpty }
            return ("error", d.joined(separator: ": "))
        case "CALL":
            let action = r.text("action") ?? "?"
            if let a = r.text("answer"), a == "none" || a == "open" { return ("unanswered", "\(action) never answered (\(a))") }
            if action == "BootNotification" { return ("boot", "BootNotification") }
            if ["Reset", "ChangeAvailability", "UpdateFirmware", "FirmwareStatusNotification"].contains(action) {
                return ("command", action)
            }
            return nil
        default:
            return nil
        }
    }
}
