import Foundation
import Frames
import Ingest
import Store
import Testing

/// The history rebuilt from the samples, checked against the generator's
/// own record of each transaction.
@Suite("History end to end")
struct HistoryEndToEndTests {
    @Test(arguments: ["fleet-small.pcap", "fleet-small.pcapng"])
    func everyTransactionHasTheGeneratorsEnergyAndReason(sample: String) throws {
        let truth = try Fixture.truth(sample)
        let (store, _, db) = try Fixture.ingest([Fixture.sample(sample)])
        defer { Store.removeFiles(atPath: db) }
        let transactions = truth["transactions"] as! [[String: Any]]
        #expect(try Fixture.count(store, "SELECT count(*) FROM transactions") == transactions.count)
        for t in transactions {
            let cp = t["identity"] as! String
            let id = t["transactionId"] as! String
            var found = false
            try store.rows("SELECT energy_wh, stop_reason, flags, remote_start_message, meter_start_wh FROM transactions WHERE charge_point = :cp AND transaction_id = :id",
                           ["cp": .text(cp), "id": .text(id)]) { r in
                found = true
                #expect(r.double("meter_start_wh") == (t["meterStartWh"] as? Double), "\(cp) \(id)")
                if let energy = t["energyWh"] as? Double {
                    #expect(r.double("energy_wh") == energy, "\(cp) \(id)")
                    #expect(r.text("stop_reason") == t["stopReason"] as? String, "\(cp) \(id)")
                    #expect(r.text("flags") == "[]", "\(cp) \(id)")
                } else {
                    // Still charging when the capture ended.
                    #expect(r.text("flags")?.contains("open_at_end") == true, "\(cp) \(id)")
                }
                #expect((r.int("remote_start_message") != nil) == (t["remoteStart"] as! Bool), "\(cp) \(id)")
            }
            #expect(found, "\(cp) \(id) not derived")
        }
    }

    @Test func rebuildingTwiceGivesTheSameTables() throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        func dump() throws -> [String] {
            var out: [String] = []
            for table in ["transactions", "meter_values", "status_intervals", "connectivity"] {
                let cols = table == "transactions" ? "charge_point, session_no, transaction_id, energy_wh, flags, started_us, stopped_us"
                    : table == "meter_values" ? "charge_point, session_no, measurand, raw, value, message_id"
                    : table == "status_intervals" ? "charge_point, connector, status, from_us, to_us"
                    : "charge_point, online, from_us, to_us, began, ended"
                try store.rows("SELECT \(cols) FROM \(table) ORDER BY \(cols)") { r in
                    out.append(table + ":" + r.values.map { "\($0)" }.joined(separator: "|"))
                }
            }
            return out
        }
        let first = try dump()
        #expect(first.count > 1000)
        try HistoryBuilder.rebuild(store: store)
        try HistoryBuilder.rebuild(store: store)
        #expect(try dump() == first)
    }

    /// The messages read on a second thread (HistoryFeed) or on this one:
    /// the same rows in every derived table (ids aside: a rebuild renumbers).
    @Test(arguments: ["fleet-small.pcap", "fleet-small.pcapng"])
    func readingOnASecondThreadGivesTheSameTables(sample: String) throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample(sample)])
        defer { Store.removeFiles(atPath: db) }
        #expect(store.pathForConcurrentReader == db)
        func dump() throws -> [String] {
            var out: [String] = []
            for table in ["transactions", "meter_values", "status_intervals", "connectivity", "attempts", "charge_points"] {
                let order = table == "charge_points" ? "identity" : "charge_point, rowid"
                try store.rows("SELECT * FROM \(table) ORDER BY \(order)") { r in
                    let values = zip(r.columns, r.values).filter { $0.0 != "id" }.map { "\($0.1)" }
                    out.append(table + ":" + values.joined(separator: "|"))
                }
            }
            return out
        }
        try HistoryBuilder.rebuild(store: store, concurrentRead: false)
        let serial = try dump()
        #expect(serial.count > 900)
        try HistoryBuilder.rebuild(store: store, concurrentRead: true)
        #expect(try dump() == serial)
    }

    @Test func statusAndConnectivityCoverTheSample() throws {
        let truth = try Fixture.truth("fleet-small.pcap")
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        // Every status change the generator made starts an interval (a
        // report repeating the connector's current status does not).
        let changes = truth["statusChanges"] as! [[String: Any]]
        var last: [String: String] = [:]
        var expected = 0
        for c in changes {
            let cp = c["identity"] as! String
            let connector = c["connector"] as! Int
            let evse = c["evse"] as? Int
            let status = c["status"] as! String
            let key = "\(cp)/\(evse ?? -1)/\(connector)"
            if last[key] == status { continue }
            last[key] = status
            expected += 1
            let t = Timestamp(iso8601: c["time"] as! String)!.microseconds
            #expect(try Fixture.count(store, """
                SELECT count(*) FROM status_intervals WHERE charge_point = ? AND connector = ? AND coalesce(evse, -1) = ?
                  AND status = ? AND abs(from_us - ?) < 1000000
                """, [.text(cp), .int(Int64(connector)), .int(Int64(evse ?? -1)), .text(status), .int(t)]) == 1, "\(c)")
        }
        #expect(try Fixture.count(store, "SELECT count(*) FROM status_intervals") == expected)
        // CP0002 was reset by the CSMS and reconnected: one offline interval between its connections.
        #expect(try Fixture.count(store, "SELECT count(*) FROM connectivity WHERE charge_point = 'CP0002' AND online = 0 AND began = 'closed' AND ended IN ('connect','boot')") == 1)
        // Every charge point's intervals tile its time without overlap.
        try store.rows("""
            SELECT count(*) AS n FROM connectivity a JOIN connectivity b
              ON a.charge_point = b.charge_point AND a.id < b.id AND a.from_us < b.to_us AND b.from_us < a.to_us
            """) { r in #expect(r.int("n") == 0) }
    }
}
