import Analysis
import Foundation
import Frames
@testable import Report
import Store
import Testing

/// Charger data must never become markup: identities, vendors, error
/// descriptions and anomaly details are written by whoever controls a
/// charger (or a log line). And the page must be self-contained.
@Suite("Escaping and self-containment")
struct EscapingTests {
    static let evil = [
        "<script>alert(1)</script>", "\"><svg onload=alert(2)>", "<img src=x onerror=alert(3)>", "</td></tr></table><iframe src=//x>",
        "' onmouseover='alert(4)", "&amp;<b>&lt;", "<style>body{display:none}</style>", "a\u{0}b\u{1B}c",
    ]

    /// The page's markup: every tag, with its quoted attribute values
    /// emptied. Escaped text holds no `<`, `>` or `"`, so whatever charger
    /// data did to the page would show here.
    static func markup(_ page: String) -> [String] {
        let tag = try! Regex("<[^<>]*>")
        let quoted = try! Regex("\"[^\"]*\"")
        return page.matches(of: tag).map { String(page[$0.range]).replacing(quoted, with: "\"\"").lowercased() }
    }

    /// No tag that runs code or loads anything, no event handler, links
    /// only within the page.
    static func assertInert(_ page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let tags = markup(page)
        let names = Set(tags.compactMap { $0.dropFirst().split(whereSeparator: { " />".contains($0) }).first.map(String.init) })
        let allowed: Set<String> = ["!doctype", "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "h3", "p", "nav", "a",
                                    "strong", "code", "section", "div", "figure", "figcaption", "svg", "rect", "line", "text", "table", "thead",
                                    "tbody", "tr", "th", "td", "span", "wbr", "footer"]
        #expect(names.subtracting(allowed.union(allowed.map { "/" + $0 })).isEmpty, "unexpected elements: \(names.subtracting(allowed))",
                sourceLocation: sourceLocation)
        for t in tags {
            #expect(!t.contains(" on") && !t.contains("src=") && !t.contains("javascript:"), "tag \(t)", sourceLocation: sourceLocation)
        }
        #expect(tags.filter { $0.hasPrefix("<style") }.count == 1, "one style element, ours", sourceLocation: sourceLocation)
        let lower = page.lowercased()
        #expect(!lower.contains("@import") && !lower.contains("url("), sourceLocation: sourceLocation)
        #expect(!page.contains("\u{0}") && !page.contains("\u{1B}"), sourceLocation: sourceLocation)
        for part in page.components(separatedBy: "href=\"").dropFirst() {
            #expect(part.hasPrefix("#"), "link out of the page: \(part.prefix(40))", sourceLocation: sourceLocation)
        }
    }

    /// What is wrong with the nesting of the page's elements, or nil when
    /// every element it opens is closed in order (void elements and
    /// self-closed SVG shapes aside): hostile text cannot close a cell or a table.
    static func unbalanced(_ page: String) -> String? {
        let void: Set<String> = ["!doctype", "meta", "wbr", "br"]
        var stack: [String] = []
        for t in markup(page) where !t.hasSuffix("/>") {
            let name = String(t.dropFirst().prefix { !" >".contains($0) })
            if void.contains(name) { continue }
            if name.hasPrefix("/") {
                guard stack.last == String(name.dropFirst()) else { return "\(t) closes \(stack.last ?? "nothing")" }
                stack.removeLast()
            } else {
                stack.append(name)
            }
        }
        return stack.isEmpty ? nil : "left open: \(stack)"
    }

    static func assertBalanced(_ page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let problem = unbalanced(page)
        #expect(problem == nil, "\(problem ?? "")", sourceLocation: sourceLocation)
    }

    @Test func theSamplePageIsBalanced() throws {
        let (d, _, db) = try ReportFixture.sampleReport(chargePoint: "CP0006")
        defer { ReportFixture.remove(db) }
        let page = HTMLReport.render(d)
        Self.assertBalanced(page)
        Self.assertInert(page)
        #expect(Self.unbalanced("<p><td></p>") == "</p> closes td")          // the check sees a cell closed out of order
        #expect(Self.unbalanced("<table><tr>") == "left open: [\"table\", \"tr\"]")
    }

    @Test func theMarkupCheckSeesTagsAndNotText() {
        #expect(Self.markup(#"<p title="&lt;img&gt;">&lt;img src=x&gt;<img src=x onerror=y></p>"#)
                == [#"<p title="">"#, "<img src=x onerror=y>", "</p>"])
    }

    @Test func escapeTurnsEveryMarkupCharacterIntoAReference() {
        #expect(HTML.escape(#"<a href="x" title='y'>&</a>"#) == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
        #expect(HTML.escape("CP 0003-Süd") == "CP 0003-Süd")
        #expect(HTML.escape("a\u{0}b\u{7F}") == "a\u{FFFD}b\u{FFFD}")
    }

    @Test func hostileTextInEveryFieldStaysText() {
        let t0: Int64 = 1_740_960_000_000_000
        let span = Span(t0, t0 + 3_600_000_000)
        var d = ReportData(scope: ReportScope(from: span.from, to: span.to, chargePoint: Self.evil[0]), database: Self.evil[1], generatedAt: Self.evil[2])
        for (i, e) in Self.evil.enumerated() {
            d.fleet.chargePoints.append(ChargePointInfo(identity: e, vendor: e, model: e, firmware: e, ocppVersion: e, sessions: i, energyWh: 1))
            d.fleet.byVendor.append(LabelledCount(e, i + 1, note: e))
            d.fleet.decodeIssuesByLayer.append(LabelledCount(e, i + 1, note: e))
            d.uptime.strips.append(StatusStrip(label: e, segments: [StripSegment(span: span, state: .faulted, detail: e)]))
            d.uptime.outages.append(OutageRow(chargePoint: e, port: e, span: span, cause: e, excludedMinutes: 0))
            d.energy.sessions.append(SessionRow(chargePoint: e, sessionNo: i, port: e, transactionId: e, started: t0, stopped: nil, energyWh: 10,
                                                energySource: e, stopReason: e, flags: [e]))
            d.anomalies.counts.append(LabelledCount(e, 1))
            d.anomalies.top.append(AnomalyFinding(kind: e, chargePoint: e, connector: 1, from: t0, to: t0, detail: e))
        }
        d.fleet.byVersion = d.fleet.byVendor
        d.fleet.byFirmware = d.fleet.byVendor
        d.fleet.messages = 1
        d.uptime.bars = [UptimeBar(chargePoint: Self.evil[3], port: Self.evil[4], uptimePercent: 50, uptimeOfKnownPercent: 50, upPercent: 50,
                                   outagePercent: 50, excludedPercent: 0, unknownPercent: 0, outageMinutes: 30, outageCount: 1)]
        d.energy.buckets = [EnergyBucket(span: span, energyWh: 10, sessions: 1)]
        d.anomalies.total = Self.evil.count
        var c = ChargePointSection()
        c.info = d.fleet.chargePoints[0]
        c.lanes = d.uptime.strips
        c.events = Self.evil.map { TimelineEvent(time: t0, kind: $0, detail: $0) }
        d.chargePoint = c
        let page = HTMLReport.render(d)
        Self.assertInert(page)
        Self.assertBalanced(page)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("&quot;&gt;&lt;svg onload=alert(2)&gt;"))
        #expect(page.contains("&amp;amp;&lt;b&gt;&amp;lt;"))
    }

    /// A CSMS log whose charger names itself, its vendor, its fault and its
    /// error in markup: through ingest, history and the report.
    @Test func aHostileChargerInALogCannotInjectMarkup() throws {
        let cp = #"<img src=x onerror=alert(0)>"#
        let cpJSON = #"<img src=x onerror=alert(0)>"#
        func line(_ t: String, _ dir: String, _ msg: String) -> String {
            #"{"ts":"2025-03-03T06:\#(t)Z","cp":"\#(cpJSON)","dir":"\#(dir)","msg":\#(msg)}"#
        }
        let lines = [
            line("00:00.000", "in", #"[2,"b1","BootNotification",{"chargePointVendor":"<script>alert(1)</script>","chargePointModel":"\"><svg onload=alert(2)>","firmwareVersion":"<style>body{display:none}</style>"}]"#),
            line("00:00.100", "out", #"[3,"b1",{"status":"Accepted","currentTime":"2025-03-03T06:00:00Z","interval":300}]"#),
            line("00:01.000", "in", #"[2,"s1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available"}]"#),
            line("00:01.100", "out", #"[3,"s1",{}]"#),
            line("02:00.000", "in", #"[2,"a1","StartTransaction",{"connectorId":1,"idTag":"<b>tag</b>","meterStart":1000,"timestamp":"2025-03-03T06:02:00Z"}]"#),
            line("02:00.100", "out", #"[3,"a1",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]"#),
            line("03:00.000", "out", #"[2,"d1","DataTransfer",{"vendorId":"x"}]"#),
            line("03:00.100", "in", #"[4,"d1","InternalError","<iframe src=//evil.example>",{}]"#),
            line("10:00.000", "in", #"[2,"z1","StopTransaction",{"transactionId":7,"meterStop":5000,"timestamp":"2025-03-03T06:10:00Z","reason":"<script>stop</script>"}]"#),
            line("10:00.100", "out", #"[3,"z1",{}]"#),
            line("20:00.000", "in", #"[2,"s2","StatusNotification",{"connectorId":1,"errorCode":"GroundFailure","status":"Faulted","info":"<img src=y onerror=alert(5)>","vendorErrorCode":"</td><script>x</script>"}]"#),
            line("20:00.100", "out", #"[3,"s2",{}]"#),
            line("40:00.000", "in", #"[2,"h1","Heartbeat",{}]"#),
        ]
        let log = ReportFixture.tempPath(".jsonl")
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: log) }
        let (store, db) = try ReportFixture.ingest([log])
        defer { ReportFixture.remove(db) }
        let g = ReportGatherer(store: store)
        // The whole fleet, and the hostile charge point's own section.
        for chargePoint in [nil, cp] {
            let scope = try #require(try g.scope(from: nil, to: nil, chargePoint: chargePoint))
            let d = try g.gather(scope, database: db, generatedAt: "now")
            #expect(d.fleet.chargePoints.map(\.identity) == [cp])
            #expect(d.fleet.chargePoints.first?.vendor == "<script>alert(1)</script>")
            #expect(d.energy.sessions.count == 1)
            let page = HTMLReport.render(d)
            Self.assertInert(page)
            Self.assertBalanced(page)
            #expect(page.contains("&lt;img src=x onerror=alert(0)&gt;"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            if chargePoint != nil {
                #expect(page.contains("&lt;iframe src=//evil.example&gt;"))       // the CALLERROR's description, in the events
            }
        }
    }
}
