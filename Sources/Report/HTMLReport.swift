import Analysis
import Foundation

/// The page: one self-contained HTML document (inline CSS and SVG; no
/// script, no font, image or style sheet to fetch) that reads at laptop
/// width and prints to PDF. A pure function of `ReportData`.
public enum HTMLReport {
    /// Rows of the session table at most (the energy chart counts every session).
    public static let sessionRows = 500

    public static func render(_ d: ReportData) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<meta name=\"generator\" content=\"ocppscope report html\">\n"
        h += "<title>\(HTML.escape(title(d)))</title>\n<style>\n\(css)</style>\n</head>\n<body>\n<main>\n"
        h += header(d)
        if d.isEmpty {
            h += "<p class=\"notice\" id=\"no-data\">No OCPP data in this period\(d.scope.chargePoint.map { " for charge point " + HTML.escape($0) } ?? ""): "
                + "the database holds no messages or sessions between \(HTML.minute(d.scope.from)) and "
                + "\(HTML.minute(d.scope.to)) UTC. Check the period (<code>--from</code>, <code>--to</code>) and the charge point, "
                + "or ingest the captures and logs of that time.</p>\n"
        }
        h += fleet(d)
        h += uptime(d)
        h += energy(d)
        h += anomalies(d)
        if let cp = d.chargePoint { h += chargePoint(cp, d) }
        h += "<footer>Made by <code>ocppscope report html</code> from <code>\(HTML.escape(d.database))</code> at "
            + "\(HTML.escape(d.generatedAt)). Uptime follows the NEVI rule of 23 CFR 680.116(b) as <code>ocppscope uptime</code> "
            + "computes it; every number here can be reproduced with the commands named in each section.</footer>\n"
        return h + "</main>\n</body>\n</html>\n"
    }

    static func title(_ d: ReportData) -> String {
        "OCPP report" + (d.scope.chargePoint.map { " — \($0)" } ?? " — fleet") + ", \(HTML.minute(d.scope.from)) – \(HTML.minute(d.scope.to)) UTC"
    }

    static func header(_ d: ReportData) -> String {
        var h = "<header>\n<h1>\(HTML.escape(d.scope.chargePoint.map { "Charge point \($0)" } ?? "Charging fleet report"))</h1>\n"
        h += "<p class=\"period\">Period <strong>\(HTML.minute(d.scope.from))</strong> to <strong>\(HTML.minute(d.scope.to))</strong> UTC "
            + "(\(HTML.duration(minutes: Double(d.scope.span.length) / 60_000_000))). All times are UTC.</p>\n"
        h += "<nav><a href=\"#fleet\">1 Fleet</a> <a href=\"#uptime\">2 Uptime</a> <a href=\"#energy\">3 Energy</a> "
            + "<a href=\"#anomalies\">4 Anomalies</a>" + (d.chargePoint != nil ? " <a href=\"#charge-point\">5 Charge point</a>" : "") + "</nav>\n"
        return h + "</header>\n"
    }

    static func kwh(_ wh: Double?) -> String { wh.map { HTML.number($0 / 1000, decimals: 2) } ?? "–" }

    /// A table; cells arrive escaped (some hold markup of our own: badges).
    /// `numeric` columns align right, `nowrap` ones (times) never break.
    static func table(_ columns: [String], _ rows: [[String]], numeric: Set<Int> = [], nowrap: Set<Int> = [], cls: String = "") -> String {
        func attr(_ i: Int) -> String {
            let c = (numeric.contains(i) ? ["num"] : []) + (nowrap.contains(i) ? ["nowrap"] : [])
            return c.isEmpty ? "" : " class=\"\(c.joined(separator: " "))\""
        }
        var t = "<table\(cls.isEmpty ? "" : " class=\"\(cls)\"")><thead><tr>"
        for (i, c) in columns.enumerated() { t += "<th\(attr(i))>\(HTML.escape(c))</th>" }
        t += "</tr></thead><tbody>\n"
        for r in rows {
            t += "<tr>" + r.enumerated().map { "<td\(attr($0.offset))>\($0.element)</td>" }.joined() + "</tr>\n"
        }
        return t + "</tbody></table>\n"
    }

    /// Pieces of at most `n`, in order.
    static func chunks<T>(_ items: [T], _ n: Int) -> [[T]] {
        stride(from: 0, to: items.count, by: n).map { Array(items[$0..<min($0 + n, items.count)]) }
    }

    /// The stop time: only the time of day when it is the start's day.
    static func stopTime(_ start: Int64?, _ stop: Int64?) -> String {
        let a = HTML.second(start), b = HTML.second(stop)
        return stop != nil && a.prefix(10) == b.prefix(10) ? String(b.dropFirst(11)) : b
    }

    static func tile(_ value: String, _ label: String) -> String {
        "<div class=\"tile\"><div class=\"value\">\(HTML.escape(value))</div><div class=\"label\">\(HTML.escape(label))</div></div>"
    }

    static func empty(_ what: String) -> String { "<p class=\"empty\">\(HTML.escape(what))</p>\n" }

    // MARK: 1

    static func fleet(_ d: ReportData) -> String {
        let f = d.fleet
        var h = "<section id=\"fleet\">\n<h2>1 Fleet overview</h2>\n<div class=\"tiles\">"
        h += tile(HTML.number(f.chargePoints.count), "charge points")
        h += tile(HTML.number(f.messages), "OCPP messages")
        h += tile(HTML.number(f.sessions), "charging sessions")
        h += tile(kwh(f.energyWh), "kWh delivered")
        h += tile(f.completeness.decodedPercent.map { HTML.number($0, decimals: 1) + " %" } ?? "–", "of TCP bytes decoded")
        h += tile(HTML.number(f.decodeIssuesByLayer.reduce(0) { $0 + $1.count }), "decode issues")
        h += "</div>\n"
        guard !f.chargePoints.isEmpty else { return h + empty("No charge point was seen in this period.") + "</section>\n" }
        // One charge point: its row in the table says it all.
        if f.chargePoints.count > 1 {
            h += "<div class=\"grid3\">"
            for (caption, counts) in [("By OCPP version", f.byVersion), ("By vendor", f.byVendor), ("By model and firmware", f.byFirmware)] {
                h += "<figure><figcaption>\(caption)</figcaption>"
                    + SVGCharts.horizontalBars(counts, title: "Charge points " + caption.lowercased(), unit: "charge points", width: 360, labelColumn: 150)
                    + "</figure>"
            }
            h += "</div>\n"
        }
        h += "<h3>Charge points</h3>\n"
        h += table(["charge point", "vendor", "model", "firmware", "OCPP", "sessions", "kWh"],
                   f.chargePoints.map { [HTML.escape($0.identity), HTML.escape($0.vendor ?? "–"), HTML.escape($0.model ?? "–"),
                                         HTML.escape($0.firmware ?? "–"), HTML.escape($0.ocppVersion ?? "–"), HTML.number($0.sessions), kwh($0.energyWh)] },
                   numeric: [5, 6])
        h += "<h3>How complete the data is</h3>\n"
        let c = f.completeness
        h += "<p>\(HTML.number(c.connections)) WebSocket connection\(c.connections == 1 ? "" : "s") in the period, \(HTML.number(c.handshakesSeen)) seen from their handshake; "
            + "\(HTML.number(Double(c.bytesDecoded), decimals: 0)) of \(HTML.number(Double(c.bytesSeen), decimals: 0)) TCP bytes decoded"
            + (c.decodedPercent.map { " (\(HTML.number($0, decimals: 1)) %)" } ?? "")
            + "; \(HTML.number(c.holes)) hole\(c.holes == 1 ? "" : "s") (\(HTML.number(Double(c.holeBytes), decimals: 0)) bytes never captured). "
            + "Anything that could not be decoded is a decode issue, by layer:</p>\n"
        if f.decodeIssuesByLayer.isEmpty {
            h += empty("No decode issues: every message in the period was decoded.")
        } else {
            h += "<div class=\"grid2\"><figure>" + SVGCharts.horizontalBars(f.decodeIssuesByLayer, title: "Decode issues by layer", unit: "issues", colour: "#f29e2e", width: 480, labelColumn: 110) + "</figure>"
            h += table(["layer", "issues", "reasons seen most"], f.decodeIssuesByLayer.map { [HTML.escape($0.label), HTML.number($0.count), HTML.escape($0.note ?? "")] },
                       numeric: [1]) + "</div>\n"
        }
        h += "<p class=\"how\">Reproduce: <code>ocppscope chargers</code>, <code>ocppscope query report-decode-issues</code>.</p>\n"
        return h + "</section>\n"
    }

    // MARK: 2

    static func legend(_ states: [StripState]) -> String {
        "<p class=\"legend\">" + states.map { "<span>\(SVGCharts.swatch(SVGCharts.colour($0))) \(HTML.escape($0.title))</span>" }.joined(separator: " ") + "</p>"
    }

    static func uptime(_ d: ReportData) -> String {
        let u = d.uptime
        var h = "<section id=\"uptime\">\n<h2>2 Uptime</h2>\n"
        guard !u.bars.isEmpty else { return h + empty("No port reported a status in this period, so no uptime can be given.") + "</section>\n" }
        guard u.bars.contains(where: { $0.unknownPercent < 100 }) else {
            return h + empty("No data covers this period for the \(u.bars.count) known port\(u.bars.count == 1 ? "" : "s"): by the NEVI rule "
                             + "all their minutes are unknown, which counts as not up.") + "</section>\n"
        }
        let below = u.bars.filter { !$0.meetsThreshold }
        h += "<p>\(u.bars.count) port\(u.bars.count == 1 ? "" : "s"); <strong>\(below.count) below 97 %</strong>. A port is down while its charge point is offline "
            + "or while it (or, for OCPP 1.6, connector 0) is Faulted or Unavailable; minutes without data count as unknown, not as up "
            + "(23 CFR 680.116(b)).</p>\n"
        // Long fleets in pieces, each with its axes, so that no chart is cut by a page.
        // Each piece carries its legend, so that a printed page explains itself.
        let barLegend = "<p class=\"legend\"><span>\(SVGCharts.swatch("#2e9d5b")) up (port at or above 97 %)</span> "
            + "<span>\(SVGCharts.swatch("#8fc9a6")) up (port below 97 %)</span> <span>\(SVGCharts.swatch("#d7263d")) outage</span> "
            + "<span>\(SVGCharts.swatch("#b39ddb")) excluded outage</span> <span>\(SVGCharts.swatch("#d4d4d4")) unknown</span></p>"
        for part in chunks(u.bars, 30) { h += "<figure>" + SVGCharts.uptimeBars(part) + barLegend + "</figure>\n" }
        h += table(["charge point", "port", "uptime %", "uptime of known %", "outage", "outages"],
                   u.bars.map { [HTML.escape($0.chargePoint), HTML.escape($0.port), $0.uptimePercent.map { HTML.number($0, decimals: 3) } ?? "–",
                                 $0.uptimeOfKnownPercent.map { HTML.number($0, decimals: 3) } ?? "–", HTML.duration(minutes: $0.outageMinutes),
                                 HTML.number($0.outageCount)] }, numeric: [2, 3, 4, 5], cls: "compact")
        h += "<h3>Status per connector</h3>\n"
        for part in chunks(u.strips, 30) {
            h += "<figure>" + legend(StripState.allCases)
                + SVGCharts.strips(part, window: d.scope.span, title: "Status of each connector over the period") + "</figure>\n"
        }
        h += "<h3>Outages</h3>\n"
        if u.outages.isEmpty {
            h += empty("No outage in this period.")
        } else {
            let anyExcluded = u.outages.contains { $0.excludedMinutes > 0 }
            h += table(["charge point", "port", "from (UTC)", "to (UTC)", "duration", "cause"] + (anyExcluded ? ["excluded"] : []),
                       u.outages.map { o in
                           [HTML.escape(o.chargePoint), HTML.escape(o.port), HTML.second(o.span.from), HTML.second(o.span.to),
                            HTML.duration(minutes: o.minutes), HTML.escape(o.cause)]
                               + (anyExcluded ? [o.excludedMinutes > 0 ? HTML.duration(minutes: o.excludedMinutes) + " (" + HTML.escape(o.exclusionReasons.joined(separator: "; ")) + ")" : ""] : [])
                       }, numeric: [4], nowrap: [2, 3])
        }
        h += "<p class=\"how\">Reproduce: <code>ocppscope uptime --from … --to … --explain</code>.</p>\n"
        return h + "</section>\n"
    }

    // MARK: 3

    /// How a session's energy was derived, in words a manager reads; the
    /// column's own name (as `ocppscope transactions` prints it) in the tooltip.
    static func energySource(_ s: String) -> String {
        let words: String
        switch s {
        case "meter_stop_minus_start": words = "stop − start"
        case "register_samples": words = "register rises"
        case "last_sample_estimated": words = "last sample (estimate)"
        case "none": words = "none"
        default: words = s.replacingOccurrences(of: "_", with: " ")
        }
        return "<span title=\"\(HTML.escape(s))\">\(HTML.escape(words))</span>"
    }

    static func badge(_ flag: String) -> String {
        let serious: Set<String> = ["missing_stop", "missing_start", "meter_reset", "register_backwards", "stop_below_start",
                                    "implausible_power", "transaction_id_reused", "start_rejected", "no_meter_data"]
        return "<span class=\"flag\(serious.contains(flag) ? " serious" : "")\">\(HTML.escape(flag))</span>"
    }

    static func energy(_ d: ReportData) -> String {
        let e = d.energy
        var h = "<section id=\"energy\">\n<h2>3 Energy</h2>\n"
        guard !e.sessions.isEmpty else { return h + empty("No charging session started in this period.") + "</section>\n" }
        h += "<p>\(HTML.number(e.sessions.count)) session\(e.sessions.count == 1 ? "" : "s") delivered <strong>\(kwh(e.totalWh)) kWh</strong>; "
            + "\(e.sessions.filter { !$0.flags.isEmpty }.count) carry flags to look at.</p>\n"
        var caption = "Energy per \(e.bucketSize.rawValue)"
        if let first = e.buckets.first, let last = e.buckets.last, first.span.from < d.scope.from || last.span.to > d.scope.to {
            caption += " (the first and last \(e.bucketSize.rawValue)s are partly outside the period)"
        }
        h += "<figure><figcaption>\(caption)</figcaption>" + SVGCharts.energyColumns(e.buckets, size: e.bucketSize) + "</figure>\n"
        h += "<h3>Sessions</h3>\n"
        let (shown, omitted) = ReportGatherer.sessionsToList(e.sessions, limit: sessionRows)
        h += table(["charge point", "port", "session", "transaction", "start (charger clock)", "stop", "kWh", "energy from", "stop reason", "flags"],
                   shown.map { [HTML.escape($0.chargePoint), HTML.escape($0.port), "#" + HTML.number($0.sessionNo),
                                "<span class=\"id\">" + HTML.escape($0.transactionId ?? "–") + "</span>",
                                HTML.second($0.started), stopTime($0.started, $0.stopped), kwh($0.energyWh), energySource($0.energySource),
                                HTML.escape($0.stopReason ?? "–"), $0.flags.map(badge).joined(separator: " ")] },
                   numeric: [6], nowrap: [0, 1, 2, 4, 5], cls: "sessions")
        if omitted > 0 {
            h += "<p class=\"how\">\(HTML.number(omitted)) more sessions are left out here (the table keeps those with flags first); "
                + "<code>ocppscope transactions</code> lists them all.</p>\n"
        }
        h += "<p class=\"how\">Reproduce: <code>ocppscope transactions --since … --until …</code>.</p>\n"
        return h + "</section>\n"
    }

    // MARK: 4

    static func anomalies(_ d: ReportData) -> String {
        let a = d.anomalies
        var h = "<section id=\"anomalies\">\n<h2>4 Anomalies</h2>\n"
        let found = a.counts.filter { $0.count > 0 }
        let none = a.counts.filter { $0.count == 0 }.map(\.label)
        if found.isEmpty {
            h += "<p>No finding in this period. Kinds looked for: \(HTML.escape(none.joined(separator: ", "))).</p>\n"
        } else {
            h += "<p>\(HTML.number(a.total)) finding\(a.total == 1 ? "" : "s") of \(found.count) kind\(found.count == 1 ? "" : "s")"
                + (none.isEmpty ? "." : "; none of: \(HTML.escape(none.joined(separator: ", "))).") + "</p>\n"
        }
        guard !found.isEmpty else { return h + "</section>\n" }
        h += "<figure>" + SVGCharts.horizontalBars(found, title: "Anomaly findings per kind", unit: "findings", colour: "#d7263d") + "</figure>\n"
        h += "<h3>Top findings</h3>\n<p class=\"how\">The longest of each kind, kinds with the most findings first.</p>\n"
        h += table(["kind", "charge point", "connector", "from (UTC)", "to (UTC)", "detail"],
                   a.top.map { [HTML.escape($0.kind), HTML.escape($0.chargePoint ?? "–"), $0.connector.map(String.init) ?? "–",
                                HTML.second($0.from), HTML.second($0.to), HTML.escape($0.detail ?? "")] }, nowrap: [0, 3, 4])
        h += "<p class=\"how\">Reproduce: <code>ocppscope anomalies</code> (thresholds: <code>ocppscope query --show anomaly-KIND</code>).</p>\n"
        return h + "</section>\n"
    }

    // MARK: 5

    static func chargePoint(_ c: ChargePointSection, _ d: ReportData) -> String {
        var h = "<section id=\"charge-point\">\n<h2>5 Charge point \(HTML.escape(d.scope.chargePoint ?? ""))</h2>\n"
        if let i = c.info {
            h += "<p>\(HTML.escape([i.vendor, i.model].compactMap { $0 }.joined(separator: " "))), firmware \(HTML.escape(i.firmware ?? "unknown")), "
                + "OCPP \(HTML.escape(i.ocppVersion ?? "unknown")); \(HTML.number(i.sessions)) session\(i.sessions == 1 ? "" : "s"), \(kwh(i.energyWh)) kWh in the period.</p>\n"
        } else {
            h += empty("This charge point is not in the database.")
        }
        h += "<h3>Timeline</h3>\n"
        h += "<figure><p class=\"legend\"><span>\(SVGCharts.swatch(SVGCharts.colour(.available))) online / Available</span> "
            + "<span>\(SVGCharts.swatch(SVGCharts.colour(.charging))) charging, in use / a session</span> "
            + "<span>\(SVGCharts.swatch(SVGCharts.colour(.faulted))) Faulted</span> <span>\(SVGCharts.swatch(SVGCharts.colour(.unavailable))) Unavailable</span> "
            + "<span>\(SVGCharts.swatch(SVGCharts.colour(.offline))) offline</span> <span>\(SVGCharts.swatch(SVGCharts.colour(.unknown))) unknown</span></p>"
            + SVGCharts.strips(c.lanes, window: d.scope.span, title: "Timeline: connection, status of each connector, sessions") + "</figure>\n"
        h += "<h3>Events</h3>\n"
        if c.events.isEmpty {
            h += empty("No connection, status change, session, boot or error in this period.")
        } else {
            h += table(["time (UTC)", "event", "detail"], c.events.map { [HTML.second($0.time), HTML.escape($0.kind), HTML.escape($0.detail)] },
                       nowrap: [0, 1], cls: "events")
            if c.eventsOmitted > 0 {
                h += "<p class=\"how\">\(c.eventsOmitted) more events are left out here; <code>ocppscope timeline --charge-point … --since … --until …</code> lists every message.</p>\n"
            }
        }
        h += "<p class=\"how\">Reproduce: <code>ocppscope timeline --charge-point ID --since … --until …</code>. The sessions are in section 3.</p>\n"
        return h + "</section>\n"
    }
}
