import Analysis
import Foundation
import Frames
import Queries
import Store

/// Section 5: one charge point's timeline lanes and notable events.
extension ReportGatherer {
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
