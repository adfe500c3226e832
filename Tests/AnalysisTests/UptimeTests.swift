import Analysis
import Foundation
import Frames
import Ingest
import OCPP
import Queries
import Store
import Testing

/// Writes a charge point's conversation into a fresh store through the same
/// path as an ingest (MessageDecoder → SourceWriter → history), with times in
/// minutes after 2026-03-02T00:00:00Z.
final class StoreScenario {
    static let t0: Int64 = 1_772_409_600_000_000
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ocppscope-uptime-\(UUID().uuidString).sqlite").path
    let store: Store
    let writer: SourceWriter
    let decoder: MessageDecoder
    var nextConnection = 1
    var open: [Int: ConnectionInfo] = [:]
    var uid = 0

    static func ts(_ minutes: Double) -> Timestamp { Timestamp(microseconds: t0 + Int64(minutes * 60_000_000)) }
    static func iso(_ minutes: Double) -> String { ts(minutes).iso8601 }

    init() throws {
        store = try Store(path: path)
        writer = try SourceWriter(store: store, source: SourceDescription(kind: "pcap", path: "test", size: 0, digest: UUID().uuidString,
                                                                          linkType: nil, toolVersion: "test"), ingestedAt: 0)
        decoder = MessageDecoder(sink: writer)
    }

    deinit { Store.removeFiles(atPath: path) }

    @discardableResult
    func connect(_ cp: String, at m: Double?, version: String = "ocpp1.6") -> Int {
        var c = ConnectionInfo(id: nextConnection, chargePoint: cp, identitySource: m == nil ? .identityMap : .urlPath, firstFrame: 1)
        nextConnection += 1
        c.subprotocol = version
        c.handshakeSeen = m != nil
        c.openedAt = m.map(StoreScenario.ts)
        open[c.id] = c
        decoder.connectionOpened(c)
        return c.id
    }

    func close(_ id: Int, at m: Double, how: String = "rst") {
        var c = open[id]!
        c.closedAt = StoreScenario.ts(m)
        c.closedHow = how
        c.ended = true
        open[id] = c
        decoder.connectionUpdated(c)
    }

    /// A CALL from the charge point and its answer 0.001 min later.
    func call(_ conn: Int, _ action: String, _ payload: String, at m: Double, answer: String = "{}") {
        uid += 1
        decoder.frame(OCPPFrame(text: Array(#"[2,"u\#(uid)","\#(action)",\#(payload)]"#.utf8), time: StoreScenario.ts(m),
                                direction: .chargePointToCSMS, connection: conn, frame: Int64(uid)))
        decoder.frame(OCPPFrame(text: Array(#"[3,"u\#(uid)",\#(answer)]"#.utf8), time: StoreScenario.ts(m + 0.001),
                                direction: .csmsToChargePoint, connection: conn, frame: Int64(uid)))
    }

    func boot(_ conn: Int, at m: Double) {
        call(conn, "BootNotification", #"{"chargePointVendor":"V","chargePointModel":"M"}"#, at: m,
             answer: #"{"status":"Accepted","currentTime":"\#(StoreScenario.iso(m))","interval":300}"#)
    }

    func status(_ conn: Int, connector: Int, _ status: String, error: String = "NoError", at m: Double) {
        call(conn, "StatusNotification", #"{"connectorId":\#(connector),"status":"\#(status)","errorCode":"\#(error)"}"#, at: m)
    }

    func heartbeats(_ conn: Int, from a: Double, to b: Double, every: Double = 5) {
        var t = a
        while t <= b { call(conn, "Heartbeat", "{}", at: t); t += every }
    }

    /// Finishes the source covering [from, to) minutes and derives the history.
    func finish(covering from: Double, _ to: Double) throws {
        for (id, var c) in open where !c.ended {
            c.closedHow = "end-of-data"
            c.ended = true
            _ = id
            decoder.connectionUpdated(c)
        }
        _ = try writer.finish(SourceEnd(state: "complete", detail: nil, packets: 0,
                                        covers: (StoreScenario.ts(from).microseconds, StoreScenario.ts(to).microseconds)))
        try HistoryBuilder.rebuild(store: store)
    }

    func uptime(exclusions: [Exclusion] = []) throws -> [String: PortUptime] {
        let rows = try UptimeData.uptime(store: store, chargePoint: nil, from: StoreScenario.ts(0).microseconds,
                                         to: StoreScenario.ts(600).microseconds, kind: .all, exclusions: exclusions)
        return Dictionary(uniqueKeysWithValues: rows.map { ("\($0.chargePoint)/\($0.connector)", $0) })
    }
}

func minutes(_ us: Int64) -> Double { Double(us) / 60_000_000 }

@Suite("Uptime by the NEVI rule")
struct UptimeTests {
    /// One charger, ten hours: silent for 50 minutes, connector 1 Faulted 30,
    /// the whole charger Unavailable 10, the connection reset for 20 (of
    /// which 10 excluded as a utility outage).
    func fleet() throws -> StoreScenario {
        let s = try StoreScenario()
        let a = s.connect("CP1", at: 0)
        s.boot(a, at: 0)
        for c in 0...2 { s.status(a, connector: c, "Available", at: 0) }
        s.heartbeats(a, from: 5, to: 100)
        s.heartbeats(a, from: 150, to: 295)          // silent 100 → 150
        s.status(a, connector: 1, "Faulted", error: "GroundFailure", at: 200)
        s.status(a, connector: 1, "Available", at: 230)
        s.status(a, connector: 0, "Unavailable", at: 250)
        s.status(a, connector: 0, "Available", at: 260)
        s.close(a, at: 300)                          // reset; back at 320
        let b = s.connect("CP1", at: 320)
        s.boot(b, at: 320)
        s.heartbeats(b, from: 325, to: 590)
        // A second charger whose data starts late: first seen mid-connection at 100.
        let late = s.connect("CP2", at: nil)
        s.status(late, connector: 1, "Available", at: 100)
        s.heartbeats(late, from: 105, to: 595)
        try s.finish(covering: 0, 600)
        return s
    }

    @Test func minutesAreExact() throws {
        let s = try fleet()
        let u = try s.uptime(exclusions: [Exclusion(chargePoint: "CP1", connector: nil,
                                                    span: Span(StoreScenario.ts(305).microseconds, StoreScenario.ts(315).microseconds),
                                                    reason: "utility outage")])
        let p1 = try #require(u["CP1/1"])
        #expect(minutes(p1.periodMicros) == 600)
        #expect(minutes(p1.unknownMicros) == 0)
        #expect(minutes(p1.outageMicros) == 110)     // 50 silent + 30 Faulted + 10 Unavailable + 20 reset
        #expect(minutes(p1.excludedMicros) == 10)
        #expect(abs(p1.uptimePercent! - (600.0 - 100.0) / 600 * 100) < 1e-9)
        #expect(p1.outages.map(\.cause) == ["offline (silent)", "Faulted (GroundFailure)", "charge point Unavailable", "offline (rst)"])
        #expect(p1.outages.map { minutes($0.span.length) } == [50, 30, 10, 20])
        #expect(p1.outages[3].exclusionReasons == ["utility outage"])
        // The Faulted outage cites the reports that began and ended it.
        #expect(p1.outages[1].startMessage != nil && p1.outages[1].endMessage != nil)

        let p2 = try #require(u["CP1/2"])
        #expect(minutes(p2.outageMicros) == 80)      // connector 2 was never Faulted
        #expect(abs(p2.uptimePercent! - (600.0 - 70.0) / 600 * 100) < 1e-9)
    }

    @Test func dataThatStartsLateIsUnknownNotUp() throws {
        let s = try fleet()
        let late = try #require(try s.uptime()["CP2/1"])
        #expect(minutes(late.unknownMicros) == 100)
        #expect(minutes(late.outageMicros) == 0)
        #expect(abs(late.uptimePercent! - 500.0 / 600 * 100) < 1e-9)
        #expect(late.uptimePercentOfKnown == 100)
    }

    @Test func monthlyPeriodsSplitAtCalendarBoundaries() {
        let jan15 = Timestamp(iso8601: "2026-01-15T00:00Z")!.microseconds
        let apr2 = Timestamp(iso8601: "2026-04-02T00:00Z")!.microseconds
        let months = PeriodKind.month.periods(from: jan15, to: apr2)
        #expect(months.count == 4)
        #expect(months[1].from == Timestamp(iso8601: "2026-02-01")!.microseconds)
        #expect(PeriodKind.quarter.periods(from: jan15, to: apr2).count == 2)
        #expect(PeriodKind.named("2026Q1") == Span(Timestamp(iso8601: "2026-01-01")!.microseconds, Timestamp(iso8601: "2026-04-01")!.microseconds))
        #expect(PeriodKind.named("2026H2")?.from == Timestamp(iso8601: "2026-07-01")!.microseconds)
    }

    @Test func intervalArithmetic() {
        let a = IntervalSet([Span(0, 10), Span(5, 15), Span(20, 30)])
        #expect(a.spans == [Span(0, 15), Span(20, 30)])
        let b = IntervalSet([Span(12, 22)])
        #expect(a.intersection(b).spans == [Span(12, 15), Span(20, 22)])
        #expect(a.subtracting(b).spans == [Span(0, 12), Span(22, 30)])
        #expect(a.union(b).spans == [Span(0, 30)])
        #expect(a.total == 25)
    }

    @Test func exclusionsFile() throws {
        let e = try ExclusionFile.parse("""
            charge_point,connector,from,to,reason
            CP1,*,2026-03-02T05:05,2026-03-02T05:15,utility outage
            "CP,2",2,2026-03-02T06:00:00Z,2026-03-02T07:00:00Z,"vandalism, cable cut"
            """)
        #expect(e.count == 2)
        #expect(e[0].connector == nil)
        #expect(e[1].chargePoint == "CP,2" && e[1].reason == "vandalism, cable cut")
        #expect(throws: ExclusionFile.ParseError.self) { _ = try ExclusionFile.parse("CP1,1,yesterday,today,x") }
    }
}

@Suite("Documented queries")
struct QueriesTests {
    /// The embedded copies must be the files in queries/.
    @Test func embeddedQueriesMatchTheFiles() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("queries")
        let all = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sql") }.sorted()
        let files = all.filter { !$0.hasSuffix(".postgres.sql") }
        let variants = all.filter { $0.hasSuffix(".postgres.sql") }
        #expect(files.map { String($0.dropLast(4)) } == QueryCatalog.all.map(\.name).sorted(),
                "run `python3 scripts/embed-queries.py` after changing queries/")
        #expect(variants.map { String($0.dropLast(".postgres.sql".count)) } == QueryCatalog.postgresVariants.sorted())
        for f in all {
            let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
            let embedded = f.hasSuffix(".postgres.sql") ? QueryCatalog.postgresVariant(named: String(f.dropLast(".postgres.sql".count)))
                                                        : QueryCatalog.named(String(f.dropLast(4)))?.sql
            #expect(embedded == text.trimmingCharacters(in: .newlines) + "",
                    "\(f) differs from its embedded copy: run `python3 scripts/embed-queries.py`")
        }
        // A variant stands beside a query of its own.
        for v in QueryCatalog.postgresVariants { #expect(QueryCatalog.named(v) != nil, "\(v).postgres.sql has no \(v).sql") }
    }

    @Test func everyQueryHasAHeaderAndPrepares() throws {
        let s = try StoreScenario()
        for q in QueryCatalog.all {
            #expect(q.sql.hasPrefix("-- \(q.name): "), "\(q.name) header")
            #expect(q.header.contains("Answers:") && q.header.contains("Parameters:") && q.header.contains("Columns:"), "\(q.name)")
            #expect(throws: Never.self) { _ = try s.store.db.prepare(q.sql) }
        }
    }

    @Test func anomaliesFindWhatTheFleetDid() throws {
        let s = try UptimeTests().fleet()
        func run(_ kind: String, _ params: [String: SQLValue] = [:]) throws -> [String] {
            var out: [String] = []
            try s.store.rows(QueryCatalog.named("anomaly-" + kind)!.sql, params.merging(["cp": .null]) { a, _ in a }) { r in
                out.append((r.text("charge_point") ?? "") + ": " + (r.text("detail") ?? ""))
            }
            return out
        }
        #expect(try run("faulted") == ["CP1: Faulted GroundFailure, 30 min"])
        #expect(try run("offline-periods").count == 2)   // the silence and the reset
        #expect(try run("offline-periods", ["min_minutes": .int(30)]) == ["CP1: offline 50 min: began silent, ended message"])
        #expect(try run("boot-loops", ["count": .int(2), "window_minutes": .int(400)]).count == 1)
        #expect(try run("boot-loops").isEmpty)
        #expect(try run("heartbeat-gaps").count == 1)
    }
}

@Suite("Schema validation at ingest")
struct SchemaValidationIngestTests {
    @Test func aViolationIsCountedReportedAndFoundByTheAnomaly() throws {
        let s = try StoreScenario()
        s.decoder.validate = true
        let a = s.connect("CP1", at: 0)
        s.boot(a, at: 0)
        // 1.6 BootNotification without its required chargePointModel, and a bad status enum.
        s.call(a, "BootNotification", #"{"chargePointVendor":"V"}"#, at: 1, answer: #"{"status":"Accepted","currentTime":"2026-03-02T00:01:00Z","interval":300}"#)
        s.status(a, connector: 1, "Broken", at: 2)
        try s.finish(covering: 0, 10)
        #expect(try s.store.db.scalarInt("SELECT count(*) FROM messages WHERE schema_errors > 0") == 2)
        #expect(try s.store.db.scalarInt("SELECT count(*) FROM messages WHERE schema_errors = 0") == 4)
        #expect(try s.store.db.scalarInt("SELECT count(*) FROM decode_issues WHERE layer = 'schema' AND detail LIKE '%chargePointModel%'") == 1)
        var found: [String] = []
        try s.store.rows(QueryCatalog.named("anomaly-schema-violations")!.sql, ["cp": .null]) { r in found.append(r.text("detail") ?? "") }
        #expect(found.count == 2)
        #expect(found.contains { $0.contains("BootNotification request: 1 of 2 messages invalid") })
    }
}
