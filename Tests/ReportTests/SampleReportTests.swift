import Analysis
import Foundation
import Frames
@testable import Report
import Store
import Testing

/// The report of the bundled sample, checked against the generator's truth
/// file and against the commands whose numbers it shows.
@Suite("Report of the sample")
struct SampleReportTests {
    static func truth() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: ReportFixture.sample("fleet-small.pcap.truth.json")))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    @Test func theFleetOverviewCountsWhatTheGeneratorSent() throws {
        let (d, _, db) = try ReportFixture.sampleReport()
        defer { ReportFixture.remove(db) }
        let truth = try Self.truth()
        let cps = truth["chargePoints"] as! [[String: Any]]
        #expect(d.fleet.chargePoints.count == cps.count)
        #expect(d.fleet.messages == (truth["messages"] as! [String: Any])["total"] as! Int)
        #expect(d.fleet.sessions == (truth["transactions"] as! [Any]).count)
        #expect(d.fleet.byVersion == ReportGatherer.tally(cps.map { $0["ocppVersion"] as! String }))
        #expect(d.fleet.byVendor.reduce(0) { $0 + $1.count } == cps.count)
        #expect(d.fleet.byFirmware.reduce(0) { $0 + $1.count } == cps.count)
        // One refused HTTP upgrade in the capture: the only decode issue.
        let refused = (truth["connections"] as! [[String: Any]]).filter { $0["refusedStatus"] is Int }.count
        #expect(d.fleet.decodeIssuesByLayer == [LabelledCount("http", refused, note: "upgrade-refused")])
        #expect(d.fleet.completeness.connections == truth["connectionCount"] as! Int)
        #expect((d.fleet.completeness.decodedPercent ?? 0) > 90)
        // The period is the capture's.
        #expect(HTML.second(d.scope.from) == "2025-03-03 06:00:00")
        #expect(d.scope.to == Timestamp(iso8601: truth["captureEnd"] as! String)!.microseconds)
    }

    @Test func sessionEnergyIsTheMetersAndTheChartAddsUpToIt() throws {
        let (d, _, db) = try ReportFixture.sampleReport()
        defer { ReportFixture.remove(db) }
        let truth = (try Self.truth()["transactions"] as! [[String: Any]])
        var checked = 0
        for s in d.energy.sessions where s.energySource == "meter_stop_minus_start" {
            let t = try #require(truth.first { $0["transactionId"] as? String == s.transactionId })
            #expect(s.energyWh == (t["energyWh"] as! NSNumber).doubleValue)
            checked += 1
        }
        #expect(checked >= 10)
        #expect(d.energy.bucketSize == .hour)                  // three hours of capture
        #expect(d.energy.buckets.count == 3)
        #expect(abs(d.energy.totalWh - d.fleet.energyWh) < 1e-6)
        #expect(d.energy.buckets.reduce(0) { $0 + $1.sessions } == d.energy.sessions.count)
        #expect(d.energy.sessions.contains { $0.flags.contains("open_at_end") })
    }

    @Test func uptimeBarsAndOutagesAreThoseOfTheUptimeCommand() throws {
        let (d, store, db) = try ReportFixture.sampleReport()
        defer { ReportFixture.remove(db) }
        let rows = try UptimeData.uptime(store: store, chargePoint: nil, from: d.scope.from, to: d.scope.to, kind: .all, exclusions: [])
        #expect(d.uptime.bars.count == rows.count)
        for (bar, row) in zip(d.uptime.bars, rows) {
            #expect(bar.uptimePercent == row.uptimePercent)
            #expect(bar.outageCount == row.outages.count)
        }
        #expect(d.uptime.outages.count == rows.reduce(0) { $0 + $1.outages.count })
        let fault = try #require(d.uptime.outages.first { $0.cause.hasPrefix("Faulted") })
        #expect(fault.chargePoint == "CP0006" && fault.port == "1/1")
        // The strips cover the period exactly, and the faulted stretch is the outage.
        for strip in d.uptime.strips {
            #expect(strip.segments.reduce(0) { $0 + $1.span.length } == d.scope.span.length, "\(strip.label)")
        }
        let strip = try #require(d.uptime.strips.first { $0.label == "CP0006 · 1/1" })
        #expect(strip.micros(of: .faulted) == fault.span.length)
        #expect(d.uptime.strips.count == d.uptime.bars.count)   // no port map: a port is a connector
    }

    @Test func excludedOutageTimeRaisesUptimeAndSaysWhy() throws {
        let (store, db) = try ReportFixture.ingest([ReportFixture.sample("fleet-small.pcap")])
        defer { ReportFixture.remove(db) }
        var g = ReportGatherer(store: store)
        let scope = try #require(try g.scope(from: nil, to: nil, chargePoint: "CP0006"))
        let before = try g.gather(scope, database: db, generatedAt: "now")
        g.exclusions = try ExclusionFile.parse("charge_point,connector,from,to,reason\nCP0006,*,2025-03-03T08:00:00Z,2025-03-03T08:40:00Z,utility <outage>\n")
        let after = try g.gather(scope, database: db, generatedAt: "now")
        let b0 = try #require(before.uptime.bars.first { $0.port == "1/1" })
        let b1 = try #require(after.uptime.bars.first { $0.port == "1/1" })
        #expect(b0.excludedPercent == 0 && b1.excludedPercent > 0)
        #expect(abs(b1.outagePercent + b1.excludedPercent - b0.outagePercent) < 1e-9)
        #expect((b1.uptimePercent ?? 0) > (b0.uptimePercent ?? 0) && b1.meetsThreshold)
        let fault = try #require(after.uptime.outages.first { $0.cause.hasPrefix("Faulted") })
        #expect(abs(fault.excludedMinutes - fault.minutes) < 1e-9 && fault.exclusionReasons == ["utility <outage>"])
        #expect(HTMLReport.render(after).contains("(utility &lt;outage&gt;)"))
    }

    @Test func anomalyCountsAreTheCataloguesFindings() throws {
        let (d, _, db) = try ReportFixture.sampleReport()
        defer { ReportFixture.remove(db) }
        #expect(d.anomalies.counts.count == 16)               // every kind, found or not
        #expect(d.anomalies.counts.reduce(0) { $0 + $1.count } == d.anomalies.total)
        #expect(d.anomalies.counts.first { $0.label == "faulted" }?.count == 1)
        #expect(d.anomalies.counts.first { $0.label == "stuck-status" }?.count == 1)
        #expect(d.anomalies.top.first?.kind == d.anomalies.counts.first?.label)
        #expect(d.anomalies.top.count == min(d.anomalies.total, 30))
    }

    @Test func aChargePointGetsItsTimelineLanesAndEvents() throws {
        let (d, _, db) = try ReportFixture.sampleReport(chargePoint: "CP0006")
        defer { ReportFixture.remove(db) }
        #expect(d.fleet.chargePoints.map(\.identity) == ["CP0006"])
        let c = try #require(d.chargePoint)
        #expect(c.info?.ocppVersion == "2.1")
        // EVSE 0 is the whole charging station, not a port: it has no lane of its own.
        #expect(c.lanes.map(\.label) == ["Connection", "Connector 1/1", "Connector 2/1", "Sessions 1/1", "Sessions 2/1"])
        #expect(c.lanes[0].micros(of: .available) > 0)
        #expect(c.lanes.suffix(2).reduce(0) { $0 + $1.segments.count } == d.energy.sessions.count)
        #expect(c.events.contains { $0.kind == "boot" })
        #expect(c.events.filter { $0.kind == "session-start" }.count == d.energy.sessions.count)
        #expect(c.events == c.events.sorted { $0.time < $1.time })
        let page = HTMLReport.render(d)
        #expect(page.contains("id=\"charge-point\""))
    }

    @Test func theTimelineShowsSessionsBegunBeforeThePeriod() throws {
        let (store, db) = try ReportFixture.ingest([ReportFixture.sample("fleet-small.pcap")])
        defer { ReportFixture.remove(db) }
        let from = Timestamp(iso8601: "2025-03-03T08:00:00Z")!.microseconds
        let scope = ReportScope(from: from, to: from + 3_600_000_000, chargePoint: "CP0006")
        let d = try ReportGatherer(store: store).gather(scope, database: db, generatedAt: "now")
        let c = try #require(d.chargePoint)
        #expect(d.energy.sessions.map(\.sessionNo) == [3, 4])          // the table: sessions started in the hour
        let lane = try #require(c.lanes.first { $0.label == "Sessions 2/1" })
        #expect(lane.segments.first?.span.from == from)               // session 2, running since 06:29, is drawn from 08:00
        #expect(lane.segments.first?.detail.hasPrefix("session 2 ") == true)
        #expect(!c.events.contains { $0.detail.hasSuffix(" []") })
    }

    @Test func thePageHoldsEverySectionLegendAndThe97PercentLine() throws {
        let (d, _, db) = try ReportFixture.sampleReport()
        defer { ReportFixture.remove(db) }
        let page = HTMLReport.render(d)
        for id in ["fleet", "uptime", "energy", "anomalies"] { #expect(page.contains("<section id=\"\(id)\">")) }
        #expect(!page.contains("id=\"charge-point\""))
        for s in StripState.allCases { #expect(page.contains(HTML.escape(s.title))) }
        #expect(page.contains(">97 %</text>"))
        #expect(page.contains("CP 0003-Süd"))
        #expect(page.contains("kWh"))
        #expect(!page.contains("id=\"no-data\""))
        #expect(page.components(separatedBy: "<svg class=\"chart\"").count - 1 >= 7)
    }

    @Test func anEmptyPeriodGivesAPageThatSaysSo() throws {
        let (store, db) = try ReportFixture.ingest([ReportFixture.sample("fleet-small.pcap")])
        defer { ReportFixture.remove(db) }
        let g = ReportGatherer(store: store)
        let jan = Timestamp(iso8601: "2024-01-01T00:00:00Z")!.microseconds
        let scope = try #require(try g.scope(from: jan, to: jan + 86_400_000_000, chargePoint: nil))
        let d = try g.gather(scope, database: db, generatedAt: "now")
        #expect(d.isEmpty)
        let page = HTMLReport.render(d)
        #expect(page.contains("id=\"no-data\""))
        #expect(page.contains("No charging session started in this period."))
        #expect(page.hasSuffix("</html>\n"))
    }

    @Test func anEmptyDatabaseHasNoPeriodOfItsOwn() throws {
        let db = ReportFixture.tempPath(".sqlite")
        defer { ReportFixture.remove(db) }
        let store = try Store(path: db)
        let g = ReportGatherer(store: store)
        #expect(try g.scope(from: nil, to: nil, chargePoint: nil) == nil)
        let d = try g.gather(ReportScope(from: 0, to: 86_400_000_000), database: db, generatedAt: "now")
        #expect(d.isEmpty && d.uptime.bars.isEmpty && d.anomalies.total == 0)
        #expect(HTMLReport.render(d).contains("id=\"no-data\""))
    }
}
