import Foundation
import Frames
import Ingest
import Reconcile
import Store
import Testing

/// The bundled capture, ingested once into a temporary database, against the
/// bundled CDRs (written by scripts/make-sample-cdrs.py from the capture's
/// truth file, with five planted discrepancies).
enum Sample {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ name: String) -> String { root.appendingPathComponent("samples").appendingPathComponent(name).path }

    static let databasePath = FileManager.default.temporaryDirectory.appendingPathComponent("ocppscope-reconcile-\(UUID().uuidString).sqlite").path

    /// The database path; ingested on first use.
    static let database: Result<String, Error> = Result {
        let db = databasePath
        // Shared by every test of the process, so removed when it exits.
        atexit { Store.removeFiles(atPath: Sample.databasePath) }
        let store = try Store(path: db)
        let ingester = Ingester(store: store)
        let outcome = ingester.ingest(path: path("fleet-small.pcap"))
        _ = try ingester.rebuildHistory(after: [outcome])
        return db
    }

    static func reconcile(_ records: [ChargeDetailRecord], map: Bool = true) throws -> Reconciliation {
        let store = try Store(readOnly: try database.get())
        let evses = map ? try EVSEMap.load(path: path("fleet-small.evse-map.csv")) : EVSEMap()
        let resolved = evses.resolve(records)
        let span = try #require(Reconciler.span(of: resolved))
        let sessions = try SessionSource.load(store: store, from: Timestamp(microseconds: span.0.microseconds - 2 * 86_400_000_000),
                                              to: Timestamp(microseconds: span.1.microseconds + 300_000_001))
        return Reconciler().reconcile(cdrs: resolved, sessions: sessions)
    }

    static func cdrs() throws -> CDRReader.Result { try CDRReader.read(path: path("fleet-small.cdrs.json")) }
}

@Suite(.serialized) struct SampleReconcileTests {
    @Test func thePlantedDiscrepanciesAreFoundExactly() throws {
        let input = try Sample.cdrs()
        #expect(input.form == .ocpiEnvelope)
        #expect(input.problems.isEmpty)
        #expect(input.records.count == 12)
        let r = try Sample.reconcile(input.records)
        let notMatched = r.findings.filter { $0.result != .matched }
            .map { "\($0.result.rawValue) \($0.cdr?.id ?? "-") \($0.chargePoint ?? "?") \($0.session?.transactionId ?? "-")" }
        #expect(notMatched == [
            "energy_mismatch CDR-20250303-004 CP0004 a8ca68c0-00fc-4ace-a476-b6257208baaa",
            "token_mismatch CDR-20250303-008 CP0005 e8ef29cf-d260-48ee-bd42-f9385918a8ce",
            "duplicate_cdr CDR-20250303-010 CP 0003-Süd 7633",
            "cdr_without_session CDR-20250303-011 CP0001 -",
            "session_without_cdr - CP 0003-Süd 7635",
        ])
        #expect(r.count(.matched) == 8)
        for kind in [ResultKind.timeMismatch, .unreliableSession] { #expect(r.count(kind) == 0) }

        let mismatch = try #require(r.findings.first { $0.result == .energyMismatch })
        #expect(mismatch.cdrEnergyWh == 7418 && mismatch.ocppEnergyWh == 6418 && mismatch.differenceWh == 1000)
        let unbilled = try #require(r.findings.first { $0.result == .sessionWithoutCDR })
        #expect(unbilled.ocppEnergyWh == 6604 && unbilled.differenceWh == -6604)
        let phantom = try #require(r.findings.first { $0.result == .cdrWithoutSession })
        #expect(phantom.cdrEnergyWh == 4210 && phantom.connector == 1)
        // CP0002's CDRs carry the CSMS's receipt times, 97 s behind the charger: within tolerance.
        let cp2 = r.findings.filter { $0.chargePoint == "CP0002" }
        #expect(cp2.count == 2 && cp2.allSatisfy { $0.result == .matched && $0.detail.contains("start differs by -9") })
        // The six sessions still running at the end of the capture are not expected in the CDRs.
        #expect(r.sessionsOpen == 6)
        #expect(abs(r.billedWh - 132_398) < 0.5)
    }

    @Test func aTighterTimeToleranceTurnsTheClockDriftIntoFindings() throws {
        let store = try Store(readOnly: try Sample.database.get())
        let records = try EVSEMap.load(path: Sample.path("fleet-small.evse-map.csv")).resolve(try Sample.cdrs().records)
        let sessions = try SessionSource.load(store: store, from: nil, to: nil)
        #expect(sessions.count == 17)
        let r = Reconciler(options: ReconcileOptions(timeToleranceSeconds: 60)).reconcile(cdrs: records, sessions: sessions)
        #expect(r.findings.filter { $0.result == .timeMismatch }.map { $0.session?.transactionId ?? "" }.sorted() == ["7630", "7631"])
    }

    @Test func withoutTheEVSEMapTokenAndTimeStillMatchMost() throws {
        let r = try Sample.reconcile(try Sample.cdrs().records, map: false)
        let notMatched = r.findings.filter { $0.result != .matched }
            .map { "\($0.result.rawValue) \($0.cdr?.id ?? "-") \($0.session?.transactionId ?? "-")" }
        // The wrong card's CDR finds no session of its token, so CP0005's session goes unbilled; the
        // phantom CDR's card charged at CP0006 at the time, but that session is billed and started long before.
        #expect(notMatched == [
            "energy_mismatch CDR-20250303-004 a8ca68c0-00fc-4ace-a476-b6257208baaa",
            "cdr_without_session CDR-20250303-008 -",
            "session_without_cdr - e8ef29cf-d260-48ee-bd42-f9385918a8ce",
            "duplicate_cdr CDR-20250303-010 7633",
            "cdr_without_session CDR-20250303-011 -",
            "session_without_cdr - 7635",
        ])
        let phantom = try #require(r.findings.first { $0.cdr?.id == "CDR-20250303-011" })
        #expect(phantom.detail.contains("not in the EVSE map") && phantom.detail.contains("billed by CDR CDR-20250303-001"))
    }

    @Test func theSameCDRsAsJSONLinesAndAsCSVGiveTheSameFindings() throws {
        let text = try String(contentsOfFile: Sample.path("fleet-small.cdrs.json"), encoding: .utf8)
        let envelope = try CDRReader.parse(text)
        let expected = try Sample.reconcile(envelope.records).findings.map { "\($0.result.rawValue) \($0.cdr?.id ?? "-") \($0.session?.transactionId ?? "-")" }

        // JSON lines: one compact object per line; and the bare array.
        let envelopeObject = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let data = try #require(envelopeObject?["data"] as? [Any])
        let compact = try data.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        let jl = try CDRReader.parse(compact.joined(separator: "\n"))
        #expect(jl.form == .jsonLines && jl.records.count == 12)
        #expect(try Sample.reconcile(jl.records).findings.map { "\($0.result.rawValue) \($0.cdr?.id ?? "-") \($0.session?.transactionId ?? "-")" } == expected)
        let array = try CDRReader.parse("[" + compact.joined(separator: ",") + "]")
        #expect(array.form == .jsonArray && array.records.map(\.id) == envelope.records.map(\.id))
        #expect(try Sample.reconcile(array.records).findings.map { "\($0.result.rawValue) \($0.cdr?.id ?? "-") \($0.session?.transactionId ?? "-")" } == expected)

        // CSV as a CSMS would export it: OCPP identity and connector, energy in Wh.
        var csv = "cdr,station,port,uid,start_time,stop_time,wh,amount,currency\n"
        let map = try EVSEMap.load(path: Sample.path("fleet-small.evse-map.csv"))
        for c in envelope.records {
            let t = try #require(map.target(evseId: c.evseId, evseUid: nil))
            csv += "\(c.id),\(t.chargePoint),\(t.port!.number),\(c.token!),\(c.start!.iso8601),\(c.end!.iso8601),"
            csv += String(format: "%.0f", c.energyWh!) + ",\(c.costExclVat!),EUR\n"
        }
        let columns = try ColumnMap(parsing: ["id=cdr,charge_point=station,connector=port,token=uid,start=start_time,end=stop_time,energy_wh=wh,cost=amount"])
        let fromCSV = try CDRReader.parse(csv, columns: columns)
        #expect(fromCSV.form == .csv && fromCSV.records.count == 12 && fromCSV.problems.isEmpty)
        #expect(try Sample.reconcile(fromCSV.records, map: false).findings.map { "\($0.result.rawValue) \($0.cdr?.id ?? "-") \($0.session?.transactionId ?? "-")" } == expected)
    }
}
