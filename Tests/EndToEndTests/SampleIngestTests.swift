import Foundation
import Ingest
import Store
import Testing

/// The bundled samples, end to end: capture file → decoder → SQLite.
///
/// Expected numbers come from two places that are not the decoder: the
/// generator's truth file (what the simulated chargers and CSMS sent), and
/// counts checked by hand with tshark 4.0 (`tshark -r samples/fleet-small.pcap
/// -d tcp.port==9000,http -d tcp.port==8180,http -Y websocket.payload.text`),
/// written out below as literals.
@Suite("End to end on the samples")
struct SampleIngestTests {
    @Test(arguments: ["fleet-small.pcap", "fleet-small.pcapng"])
    func everyMessageTheGeneratorSentIsStored(sample: String) throws {
        let truth = try Fixture.truth(sample)
        let (store, outcomes, db) = try Fixture.ingest([Fixture.sample(sample)])
        defer { Store.removeFiles(atPath: db) }
        guard case .ingested(let summary, let end)? = outcomes.first else { Issue.record("not ingested: \(outcomes)"); return }
        #expect(end.state == "complete")
        let messages = truth["messages"] as! [String: Any]
        #expect(summary.messages == messages["total"] as! Int)
        for (type, n) in messages["byType"] as! [String: Int] {
            #expect(try Fixture.count(store, "SELECT count(*) FROM messages WHERE type = ?", [.text(type)]) == n, "\(type)")
        }
        for (action, n) in messages["byCallAction"] as! [String: Int] {
            #expect(try Fixture.count(store, "SELECT count(*) FROM messages WHERE type = 'CALL' AND action = ?", [.text(action)]) == n, "\(action)")
        }
        for (cp, n) in messages["perChargePoint"] as! [String: Int] {
            #expect(try Fixture.count(store, "SELECT count(*) FROM messages WHERE charge_point = ?", [.text(cp)]) == n, "\(cp)")
        }
        // Every answer whose CALL is in the capture is correlated.
        #expect(try Fixture.count(store, "SELECT count(*) FROM messages WHERE type IN ('CALLRESULT','CALLERROR') AND request_id IS NULL") == 0)
        // The unanswered calls are exactly the generator's.
        let unanswered = (truth["unansweredCalls"] as! [[String: Any]]).map { $0["uniqueId"] as! String }.sorted()
        var stored: [String] = []
        let s = try store.db.prepare("SELECT unique_id FROM messages WHERE type = 'CALL' AND answer IN ('none','open') ORDER BY unique_id")
        while try s.step() { stored.append(s.text(0)!) }
        #expect(stored == unanswered)
        #expect(try Fixture.count(store, "SELECT count(*) FROM connections") == truth["connectionCount"] as! Int)
        #expect(try Fixture.count(store, "SELECT count(*) FROM decode_issues WHERE layer <> 'http'") == 0)
        // Charge points carry what their BootNotification said.
        for cp in truth["chargePoints"] as! [[String: Any]] {
            let id = cp["identity"] as! String
            #expect(try Fixture.count(store, "SELECT count(*) FROM charge_points WHERE identity = ? AND vendor = ? AND model = ? AND ocpp_version = ?",
                                      [.text(id), .text(cp["vendor"] as! String), .text(cp["model"] as! String), .text(cp["ocppVersion"] as! String)]) == 1, "\(id)")
        }
    }

    @Test func ingestingTheSameCaptureTwiceChangesNothing() throws {
        let path = Fixture.sample("fleet-small.pcap")
        let (store, outcomes, db) = try Fixture.ingest([path, path])
        defer { Store.removeFiles(atPath: db) }
        guard case .alreadyIngested = outcomes[1] else { Issue.record("second ingest was \(outcomes[1])"); return }
        #expect(try Fixture.count(store, "SELECT count(*) FROM sources") == 1)
        let before = try Fixture.count(store, "SELECT count(*) FROM messages")
        // Through a new Ingester too (a second run of the command).
        let again = Ingester(store: store).ingest(path: path)
        guard case .alreadyIngested = again else { Issue.record("third ingest was \(again)"); return }
        #expect(try Fixture.count(store, "SELECT count(*) FROM messages") == before)
    }
}
