import Analysis
import Compliance
import Foundation
import Frames
import Queries
import Reconcile
import Store
import Testing

/// Five days of one 1.6 rapid charger on which the regimes disagree, in
/// minutes after Monday 2026-03-02T00:00Z (London is on UTC until 29 March):
///
/// -    0  boot (heartbeat interval 3600 s), connectors 0 and 1 Available
/// -  100  Faulted (GroundFailure) until 125: 25 min; excluded as "software update"
/// -  195  Preparing, 200 Charging, 240 Finishing (BLOCKED), 260 Available
/// -  600  Unavailable until 5400: 80 h, excluded as "planned maintenance"
/// - 6000  connection reset, back at 6030: 30 min offline, excluded as "vandalism"
/// - 7200  end of the data
struct RegimeFleet {
    let s: StoreScenario

    init() throws {
        s = try StoreScenario()
        let a = s.connect("CP1", at: 0)
        bootSlow(a, at: 0)
        s.status(a, connector: 0, "Available", at: 0)
        s.status(a, connector: 1, "Available", at: 0)
        s.heartbeats(a, from: 60, to: 5999, every: 60)
        s.status(a, connector: 1, "Faulted", error: "GroundFailure", at: 100)
        s.status(a, connector: 1, "Available", at: 125)
        s.status(a, connector: 1, "Preparing", at: 195)
        s.status(a, connector: 1, "Charging", at: 200)
        s.status(a, connector: 1, "Finishing", at: 240)
        s.status(a, connector: 1, "Available", at: 260)
        s.status(a, connector: 1, "Unavailable", at: 600)
        s.status(a, connector: 1, "Available", at: 5400)
        s.close(a, at: 6000)
        let b = s.connect("CP1", at: 6030)
        bootSlow(b, at: 6030)
        s.status(b, connector: 1, "Available", at: 6030)
        s.heartbeats(b, from: 6090, to: 7200, every: 60)
        try s.finish(covering: 0, 7200)
    }

    /// A BootNotification whose answer sets a one-hour heartbeat: silence
    /// counts only after two hours.
    func bootSlow(_ conn: Int, at m: Double) {
        s.call(conn, "BootNotification", #"{"chargePointVendor":"V","chargePointModel":"M"}"#, at: m,
               answer: #"{"status":"Accepted","currentTime":"\#(StoreScenario.iso(m))","interval":3600}"#)
    }

    var exclusions: [Exclusion] {
        [excl(100, 125, "software update"), excl(600, 5400, "planned maintenance"), excl(6000, 6030, "vandalism")]
    }

    func excl(_ a: Double, _ b: Double, _ reason: String) -> Exclusion {
        Exclusion(chargePoint: "CP1", connector: nil, span: Span(StoreScenario.ts(a).microseconds, StoreScenario.ts(b).microseconds), reason: reason)
    }

    var window: Span { Span(StoreScenario.ts(0).microseconds, StoreScenario.ts(7200).microseconds) }

    func timelines(offlineAs: OCPIStatus = .outOfOrder) throws -> [EVSETimeline] {
        try StatusTimeline.load(store: s.store, chargePoint: nil, window: window, offlineAs: offlineAs)
    }
}

@Suite("Regimes: NEVI, CEC, UK PCPR and AFIR on the same history")
struct RegimeTests {
    @Test func neviExcludesEveryWindowItIsGiven() throws {
        let f = try RegimeFleet()
        let u = try #require(try UptimeData.uptime(store: f.s.store, chargePoint: nil, from: f.window.from, to: f.window.to, kind: .all,
                                                   exclusions: f.exclusions).first)
        #expect(minutes(u.outageMicros) == 25 + 4800 + 30)
        #expect(minutes(u.excludedMicros) == 25 + 4800 + 30)
        #expect(minutes(u.unknownMicros) == 0)
        #expect(u.uptimePercent == 100)
    }

    @Test func cecCapsMaintenanceAndRefusesOtherReasons() throws {
        let f = try RegimeFleet()
        let ports = try UptimeData.ports(store: f.s.store, chargePoint: nil)
        let port = try #require(ports.first)
        let allowed = CECRules.allow(f.exclusions, for: port)
        #expect(allowed.map(\.category) == [nil, .plannedMaintenance, .vandalism])
        #expect(allowed.map { minutes($0.excludedMicros) } == [0, 72 * 60, 30])
        #expect(allowed[1].note == "capped at 72 hours per port per year")
        let r = try #require(CECRules.uptime(ports: ports, periods: [f.window], exclusions: f.exclusions).first)
        #expect(minutes(r.uptime.outageMicros) == 4855)
        #expect(minutes(r.uptime.excludedMicros) == 4320 + 30)
        #expect(minutes(r.refusedMicros) == 25 + 480)
        #expect(abs(r.uptime.uptimePercent! - (7200.0 - 505) / 7200 * 100) < 1e-9)
        #expect(r.meetsStandard == false)
        // The 72 hours are one budget per port and year, spent in time order:
        // an earlier maintenance window leaves the long one 25 minutes less.
        let more = [f.excl(100, 125, "maintenance"), f.excl(600, 5400, "planned maintenance")]
        #expect(CECRules.allow(more, for: port).map { minutes($0.excludedMicros) } == [25, 72 * 60 - 25])
    }

    @Test func cecIntervalRecordsAddUpToTheSummary() throws {
        let f = try RegimeFleet()
        let port = try #require(try UptimeData.ports(store: f.s.store, chargePoint: nil).first)
        let effective = CECRules.effective(CECRules.allow(f.exclusions, for: port), for: port)
        let records = CECRules.intervals(port, window: f.window, exclusions: effective)
        #expect(records.count == 7200 / 15)
        #expect(minutes(records.map(\.outageMicros).reduce(0, +)) == 4855)
        #expect(minutes(records.map(\.excludedMicros).reduce(0, +)) == 4350)
        // 01:30–01:45 holds 5 minutes of the fault (100–105) whose reason CEC refuses.
        let r = try #require(records.first { $0.span.from == StoreScenario.ts(90).microseconds })
        #expect(minutes(r.outageMicros) == 5 && r.state == "down" && r.cause == "Faulted (GroundFailure)")
        // Inside the allowed 72 hours of maintenance: excluded; after them: down.
        #expect(records.first { $0.span.from == StoreScenario.ts(615).microseconds }?.state == "excluded")
        #expect(records.first { $0.span.from == StoreScenario.ts(5385).microseconds }?.state == "down")
        #expect(records.first { $0.span.from == StoreScenario.ts(300).microseconds }?.state == "up")
    }

    @Test func ukLeavesBlockedOutAndCountsOfflineAsOutOfOrder() throws {
        let f = try RegimeFleet()
        let power = try PortPower.load(store: f.s.store, chargePoint: nil, powerMap: [("CP1", 1, 150)])
        let (ports, network) = UKReliability.measure(try f.timelines(), window: f.window, power: power, rapidKW: 50, access: nil)
        let p = try #require(ports.first)
        #expect(p.rapid == true && p.power.source == "power map")
        #expect(minutes(p.reliableMicros) == 7200 - 25 - 20 - 4800 - 30)
        #expect(minutes(p.notReliableMicros) == 25 + 4800 + 30)
        #expect(minutes(p.ineligibleMicros) == 20)              // Finishing: BLOCKED
        #expect(abs(p.reliabilityPercent! - 2325.0 / 7180 * 100) < 1e-9)
        #expect(abs(p.literalPercent! - 2345.0 / 7200 * 100) < 1e-9)
        #expect(network.first?.rapidChargePoints == 1)
        #expect(network.first?.meetsTarget == false)

        // OCPI's own reading of offline as UNKNOWN moves the 30 minutes out of the measure.
        let (asUnknown, _) = UKReliability.measure(try f.timelines(offlineAs: .unknown), window: f.window, power: power, rapidKW: 50, access: nil)
        #expect(minutes(asUnknown[0].notReliableMicros) == 25 + 4800)
        #expect(minutes(asUnknown[0].ineligibleMicros) == 50)

        // Below the rapid threshold the charge point is not in the network.
        let slow = try PortPower.load(store: f.s.store, chargePoint: nil, powerMap: [("CP1", 1, 22)])
        #expect(UKReliability.measure(try f.timelines(), window: f.window, power: slow, rapidKW: 50, access: nil).network[0].rapidChargePoints == 0)
    }

    @Test func ukCountsOnlyAccessHours() throws {
        let f = try RegimeFleet()
        let hours = try AccessHours(parsing: "charge_point,days,open,close\nCP1,Mon-Fri,08:00,18:00\n",
                                    timeZone: TimeZone(identifier: "Europe/London")!)
        #expect(hours.open(chargePoint: "CP1", within: f.window).total == 5 * 600 * 60_000_000)
        let power = try PortPower.load(store: f.s.store, chargePoint: nil, powerMap: [("CP1", 1, 150)])
        let p = UKReliability.measure(try f.timelines(), window: f.window, power: power, rapidKW: 50, access: hours).ports[0]
        #expect(minutes(p.accessMicros) == 3000)
        #expect(minutes(p.notReliableMicros) == 480 + 600 + 600 + 600)   // Unavailable Mon 10:00 – Thu 18:00, in hours
        #expect(minutes(p.reliableMicros) == 720)
        #expect(p.reliabilityPercent == 24)
        // Summer time: 08:00 in London is 07:00 UTC in July.
        let july = Span(Timestamp(iso8601: "2026-07-06T00:00Z")!.microseconds, Timestamp(iso8601: "2026-07-07T00:00Z")!.microseconds)
        #expect(hours.open(chargePoint: "CP1", within: july).spans.first?.from == Timestamp(iso8601: "2026-07-06T07:00Z")!.microseconds)
        #expect(hours.open(chargePoint: "other", within: july).total == july.length)
    }

    @Test func afirStatusTimelineAndShares() throws {
        let f = try RegimeFleet()
        let t = try #require(try f.timelines().first)
        #expect(t.key == EVSEKey(chargePoint: "CP1", evse: nil, connector: 1))
        func at(_ m: Double) -> StatusSegment? { t.segments.first { $0.span.from <= StoreScenario.ts(m).microseconds && StoreScenario.ts(m).microseconds < $0.span.to } }
        #expect(at(110)?.status.operationalStatus == "out of order" && at(110)?.reported == "Faulted (GroundFailure)")
        #expect(at(250)?.status == .blocked && at(250)?.status.availability == "occupied")
        #expect(at(6010)?.status == .outOfOrder && at(6010)?.reported == "offline (rst)")
        #expect(at(300)?.status.availability == "available")
        let sh = AFIRStatus.shares(t, window: f.window)
        #expect(minutes(sh.outOfOrder) == 25 + 4800 + 30)
        #expect(minutes(sh.occupied) == 65)
        #expect(minutes(sh.unknown) == 0)
    }

    @Test func afirCompareFindsAFaultPublishedAsAvailable() throws {
        let f = try RegimeFleet()
        let published = [(0.0, "AVAILABLE"), (197, "CHARGING"), (261, "AVAILABLE"), (605, "OUTOFORDER"), (5400, "AVAILABLE")]
            .map { #"{"last_updated":"\#(StoreScenario.iso($0.0))","evse_id":"DE*OSC*E0001*1","status":"\#($0.1)"}"# }
            .joined(separator: "\n") + "\n" + #"{"last_updated":"2026-03-02T00:00:00Z","evse_id":"XX*UNMAPPED","status":"AVAILABLE"}"#
        let pub = try PublishedStatus.parse(published)
        #expect(pub.updates.count == 6 && pub.problems.isEmpty)
        let map = try EVSEMap(parsing: "evse_id,charge_point,connector\nDE*OSC*E0001*1,CP1,1\n")
        let r = AFIRCompare.compare(updates: pub.updates, map: map, timelines: try f.timelines())
        #expect(r.problems == ["XX*UNMAPPED: not in the EVSE map (--evse-map)"])
        #expect(r.disagreements.map { minutes($0.span.length) } == [25, 2, 1, 5, 30])
        #expect(r.disagreements.map(\.kind) == ["wrong", "late", "late", "late", "wrong"])
        #expect(r.disagreements[0].published == .available && r.disagreements[0].reportedText == "Faulted (GroundFailure)")
        #expect(r.disagreements[4].reportedText == "offline (rst)")
        let s = try #require(r.summaries.first)
        #expect(minutes(s.disagreementMicros) == 63)
        #expect(minutes(s.comparedMicros) == 7200)
        #expect(s.changes == 8 && s.missedChanges == 2)
        #expect(s.medianDelay == 30_000_000)     // delays 0, 0, 0, 60, 120, 300 s
    }

    @Test func publishedStatusReadsLocationsAndEnvelopes() throws {
        let location = #"{"data":[{"id":"LOC1","last_updated":"2026-03-02T00:00:00Z","evses":[{"uid":"E1","evse_id":"DE*OSC*E0001*1","status":"OUT_OF_ORDER","last_updated":"2026-03-02T01:00:00Z"},{"uid":"E2","status":"CHARGING"}]}],"status_code":1000}"#
        let r = try PublishedStatus.parse(location)
        #expect(r.updates.count == 1 && r.updates[0].status == .outOfOrder && r.updates[0].uid == "E1")
        #expect(r.problems == ["item 1 evse 2: no last_updated time (ISO 8601)"])
        #expect(throws: (any Error).self) { _ = try PublishedStatus.parse("  \n") }
    }

    @Test func theOCPIMappingIsTheDocumentedOne() throws {
        let s = try StoreScenario()
        let a = s.connect("CP1", at: 0)
        let statuses = ["Available", "Preparing", "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing", "Reserved", "Unavailable", "Faulted"]
        for (i, st) in statuses.enumerated() { s.status(a, connector: i + 1, st, at: 0) }
        try s.finish(covering: 0, 10)
        var got: [String: String] = [:]
        try s.store.rows(QueryCatalog.named("regime-ocpi-status")!.sql, ["cp": .null]) { r in got[r.text("status")!] = r.text("ocpi_status") }
        #expect(got == ["Available": "AVAILABLE", "Preparing": "CHARGING", "Charging": "CHARGING", "SuspendedEV": "CHARGING",
                        "SuspendedEVSE": "CHARGING", "Finishing": "BLOCKED", "Reserved": "RESERVED", "Unavailable": "INOPERATIVE",
                        "Faulted": "OUTOFORDER"])
    }

    /// Signs of life besides Heartbeat (OCPP uptime guidance): a 1.6 charger
    /// that only sends WebSocket pings, and a 2.0.1 charger that only sends
    /// SecurityEventNotification and NotifyEvent, are online, not silent.
    @Test func pingsAndEventsAreSignsOfLife() throws {
        let s = try StoreScenario()
        let a = s.connect("PING", at: 0)
        s.call(a, "BootNotification", #"{"chargePointVendor":"V","chargePointModel":"M"}"#, at: 0,
               answer: #"{"status":"Accepted","currentTime":"\#(StoreScenario.iso(0))","interval":300}"#)
        s.status(a, connector: 1, "Available", at: 0)
        var t = 5.0
        while t < 600 {
            s.decoder.keepAlive(KeepAlive(connection: a, time: StoreScenario.ts(t), direction: .chargePointToCSMS, kind: "ping"))
            t += 5
        }
        let b = s.connect("EVENTS", at: 0, version: "ocpp2.0.1")
        s.call(b, "BootNotification", #"{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"}}"#, at: 0,
               answer: #"{"status":"Accepted","currentTime":"\#(StoreScenario.iso(0))","interval":300}"#)
        s.call(b, "StatusNotification", #"{"timestamp":"\#(StoreScenario.iso(0))","connectorStatus":"Available","evseId":1,"connectorId":1}"#, at: 0)
        t = 8
        while t < 600 {
            s.call(b, t.truncatingRemainder(dividingBy: 16) == 0 ? "NotifyEvent" : "SecurityEventNotification",
                   t.truncatingRemainder(dividingBy: 16) == 0
                       ? #"{"generatedAt":"\#(StoreScenario.iso(t))","seqNo":0,"eventData":[]}"#
                       : #"{"type":"SettingSystemTime","timestamp":"\#(StoreScenario.iso(t))"}"#, at: t)
            t += 8
        }
        try s.finish(covering: 0, 600)
        let u = try s.uptime()
        #expect(minutes(try #require(u["PING/1"]).outageMicros) == 0)
        #expect(minutes(try #require(u["EVENTS/1"]).outageMicros) == 0)
        #expect(try s.store.db.scalarInt("SELECT count(*) FROM connectivity WHERE online = 0") == 0)
    }
}
