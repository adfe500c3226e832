import Foundation
import Store
import Testing

/// The regime commands on the bundled sample, as a user runs them.
@Suite("Regime commands")
struct RegimeCommandTests {
    func lines(_ s: String) -> [[String: Any]] {
        s.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func afirStatusPrintsEveryIntervalWithItsFields() throws {
        let (_, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        let (code, out, err) = try Fixture.run(["afir", "status", "--db", db, "--format", "json"])
        #expect(code == 0)
        let rows = lines(out)
        #expect(!rows.isEmpty)
        for key in ["charge_point", "evse", "connector", "from", "to", "operational_status", "availability", "ocpi_status"] {
            #expect(rows.allSatisfy { $0.keys.contains(key) }, "\(key)")
        }
        #expect(Set(rows.compactMap { $0["ocpi_status"] as? String }).isSubset(of: ["AVAILABLE", "CHARGING", "RESERVED", "BLOCKED", "INOPERATIVE", "OUTOFORDER", "UNKNOWN"]))
        // No EVSE 0: it is the whole charging station, not a charging point.
        #expect(!rows.contains { ($0["evse"] as? Int) == 0 })
        #expect(err.contains("regime afir"))
        let (_, shares, _) = try Fixture.run(["afir", "status", "--db", db, "--shares", "--format", "csv"])
        #expect(shares.hasPrefix("charge_point,evse,connector,window_minutes,operational_percent"))
    }

    @Test func afirCompareReportsDisagreementsAndReadsTheEVSEMap() throws {
        let (_, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        let pub = Fixture.tempPath("-pub.jsonl")
        defer { Store.removeFiles(atPath: db); try? FileManager.default.removeItem(atPath: pub) }
        // Everything published AVAILABLE at the start of the data: every session and fault disagrees.
        let map = Fixture.sample("fleet-small.evse-map.csv")
        let ids = try String(contentsOfFile: map, encoding: .utf8).split(separator: "\n").dropFirst()
            .compactMap { $0.split(separator: ",").first.map(String.init) }
        try ids.map { #"{"last_updated":"2025-03-03T05:00:00Z","evse_id":"\#($0)","status":"AVAILABLE"}"# }.joined(separator: "\n")
            .write(toFile: pub, atomically: true, encoding: .utf8)
        let (code, out, _) = try Fixture.run(["afir", "compare", "--db", db, "--published", pub, "--evse-map", map, "--format", "json"])
        #expect(code == 0)
        let rows = lines(out)
        #expect(!rows.isEmpty)
        for key in ["evse_id", "charge_point", "connector", "from", "to", "minutes", "published", "reported"] {
            #expect(rows.allSatisfy { $0.keys.contains(key) }, "\(key)")
        }
        #expect(rows.allSatisfy { ($0["published"] as? String) == "AVAILABLE" && ($0["kind"] as? String) == "wrong" })
        let (_, summary, _) = try Fixture.run(["afir", "compare", "--db", db, "--published", pub, "--evse-map", map, "--summary", "--format", "json"])
        #expect(lines(summary).count == ids.count)
        let (missing, _, err) = try Fixture.run(["afir", "compare", "--db", db, "--published", "/nonexistent", "--evse-map", map])
        #expect(missing == 1 && err.contains("cannot read"))
    }

    @Test func uptimeRegimesAndTheCECReport() throws {
        let (_, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        let out = Fixture.tempPath("-cec")
        defer { Store.removeFiles(atPath: db); try? FileManager.default.removeItem(atPath: out) }
        let (nevi, neviOut, neviErr) = try Fixture.run(["uptime", "--db", db, "--format", "csv"])
        #expect(nevi == 0 && neviOut.hasPrefix("charge_point,evse,connector,period_from") && neviErr.contains("regime nevi"))
        let (cec, cecOut, _) = try Fixture.run(["uptime", "--db", db, "--regime", "cec", "--format", "csv"])
        #expect(cec == 0 && cecOut.split(separator: "\n").first?.hasSuffix("exclusion_refused_minutes,meets_97_percent,outage_count") == true)
        let (uk, ukOut, _) = try Fixture.run(["uptime", "--db", db, "--regime", "uk-pcpr", "--format", "json"])
        #expect(uk == 0)
        #expect(lines(ukOut).contains { ($0["charge_point"] as? String) == "(network)" })
        let (bad, _, badErr) = try Fixture.run(["uptime", "--db", db, "--regime", "eu"])
        #expect(bad == 64 && badErr.contains("nevi, cec or uk-pcpr"))

        let (code, text, _) = try Fixture.run(["report", "cec", "--half", "2025H1", "--out", out, "--db", db])
        #expect(code == 0 && text.contains("regime cec"))
        let intervals = try String(contentsOfFile: "\(out)/intervals.csv", encoding: .utf8).split(separator: "\n")
        let summary = try String(contentsOfFile: "\(out)/summary.csv", encoding: .utf8).split(separator: "\n")
        let ports = summary.count - 1
        #expect(ports > 0)
        #expect(intervals.count - 1 == ports * 181 * 96)     // January to June 2025, 15-minute records
        #expect(intervals.first == "station_id,port_id,interval_start,interval_end,state,up_minutes,outage_minutes,excluded_minutes,unknown_minutes,cause")
        #expect(FileManager.default.fileExists(atPath: "\(out)/rules.txt"))
        #expect(!FileManager.default.fileExists(atPath: "\(out)/intervals.csv.partial"))
    }

    /// A full disk while a report is written: a clear error and exit 1, no
    /// file under the real name (the write that ends the process on an error
    /// is not used).
    @Test func aReportThatCannotBeWrittenSaysSo() throws {
        let (_, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        let out = Fixture.tempPath("-full")
        defer { Store.removeFiles(atPath: db); try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        // Every write to /dev/full fails with "no space left on device".
        try FileManager.default.createSymbolicLink(atPath: "\(out)/summary.csv.partial", withDestinationPath: "/dev/full")
        let (code, _, err) = try Fixture.run(["report", "cec", "--half", "2025H1", "--out", out, "--db", db])
        #expect(code == 1)
        #expect(err.contains("cannot write") && err.contains("summary.csv.partial"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/summary.csv"))
    }
}
