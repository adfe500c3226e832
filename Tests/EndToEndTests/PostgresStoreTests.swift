import Foundation
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The PostgreSQL store against the SQLite one, on a throwaway cluster:
/// the same commands give the same output, many writers at once store each
/// source once and whole, and re-ingest changes nothing.
@Suite("PostgreSQL store", .serialized)
struct PostgresStoreTests {
    func cluster() throws -> PostgresCluster { try PostgresCluster.required() }

    func same(_ args: [String], sqlite: String, postgres: String) throws -> String {
        try StoreComparison.same(args, sqlite: sqlite, postgres: postgres)
    }

    @Test func theSameCommandsGiveTheSameOutputOnBothStores() throws {
        let pg = try cluster().database()
        let (_, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        let (code, out, err) = try Fixture.run(["export", "--db", db, "--to", pg])
        #expect(code == 0, "\(err)")
        #expect(out.contains("exported 1 sources"))
        #expect(!out.contains(PostgresCluster.password) && !err.contains(PostgresCluster.password))
        for args in [["transactions", "--format", "csv"], ["uptime", "--format", "csv"], ["uptime", "--format", "json", "--period", "month"],
                     ["uptime", "--regime", "cec", "--format", "csv"], ["uptime", "--regime", "uk-pcpr", "--format", "csv"],
                     ["anomalies", "--format", "csv"], ["chargers", "--format", "csv"], ["attempts", "--format", "csv"],
                     ["messages", "--charge-point", "CP0001", "--format", "json"], ["afir", "status", "--format", "csv"],
                     ["timeline", "--charge-point", "CP0002", "--format", "csv"], ["reliability", "--format", "csv"]] {
            _ = try same(args, sqlite: db, postgres: pg)
        }
        // Exporting again changes nothing.
        let (again, text, _) = try Fixture.run(["export", "--db", db, "--to", pg])
        #expect(again == 0 && text.contains("exported 0 sources") && text.contains("1 already there"))
        _ = try same(["transactions", "--format", "csv"], sqlite: db, postgres: pg)
    }

    @Test func twoIngestsAtOnceStoreWhatOneAfterTheOtherStoresInSQLite() throws {
        let pg = try cluster().database()
        let a = Fixture.sample("fleet-small.pcap"), b = Fixture.sample("fleet-small.pcapng")
        let (_, _, db) = try Fixture.ingest([a, b])
        defer { Store.removeFiles(atPath: db) }
        func start(_ path: String) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Fixture.root.appendingPathComponent(".build/debug/ocppscope").path)
            p.arguments = ["ingest", path, a, "--db", pg, "--quiet"]   // both also bring the same capture: stored once
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        let p1 = try start(a), p2 = try start(b)
        p1.waitUntilExit()
        p2.waitUntilExit()
        #expect(p1.terminationStatus == 0 && p2.terminationStatus == 0)
        // Row ids (and the message ids that sessions and attempts cite) follow
        // the order the writers happened to commit in; everything else must
        // be the same. (Not `chargers`: where two captures disagree on a
        // charger's facts, such as its heartbeat interval, the source stored
        // last wins, in either store, and two writers at once have no "last".)
        _ = try same(["uptime", "--format", "csv"], sqlite: db, postgres: pg)
        try StoreComparison.sameRowsWithoutIds(sqlite: db, postgres: pg)
        let store = try Store(readOnly: pg)
        let totals = try store.totals()
        let local = try Store(readOnly: db).totals()
        #expect(totals == local)
        // Re-ingest is still a no-op.
        let (code, out, _) = try Fixture.run(["ingest", a, b, "--db", pg])
        #expect(code == 0 && out.contains("2 already there"))
        // Found by digest before decoding, not after copying into the staging file.
        #expect(out.components(separatedBy: "already ingested (source").count == 3, "\(out)")
        #expect(try Store(readOnly: pg).totals() == local)
    }

    @Test func aWriterKilledMidwayLeavesWholeSourcesOnly() throws {
        let pg = try cluster().database()
        let dir = Fixture.tempPath("-pg-inputs")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.sample("fleet-small.pcap"))))
        for i in 0..<30 {
            bytes[bytes.count - 1] = UInt8(i)
            try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/copy-\(String(format: "%03d", i)).pcap"))
        }
        func whole() throws -> Int {
            // Killed before its schema was committed (a loaded machine): nothing there yet.
            guard let store = try? Store(readOnly: pg) else { return 0 }
            var bad = -1, count = -1
            try store.rows("""
                SELECT count(*) AS n FROM sources s
                WHERE s.end_state <> 'complete' OR s.messages <> (SELECT count(*) FROM messages m WHERE m.source_id = s.id)
                """) { r in bad = Int(r.int("n") ?? -1) }
            try store.rows("SELECT count(*) AS n FROM sources") { r in count = Int(r.int("n") ?? -1) }
            #expect(bad == 0)
            return count
        }
        var seen: [Int] = []
        let tmp = Fixture.tempPath("-tmp")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        for delay in [0.5, 1.5] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Fixture.root.appendingPathComponent(".build/debug/ocppscope").path)
            p.arguments = ["ingest", dir, "--db", pg, "--quiet"]
            p.environment = try Fixture.environment(tmpdir: tmp)
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            seen.append(try whole())
        }
        let (code, _, err) = try Fixture.run(["ingest", dir, "--db", pg, "--quiet"])
        #expect(code == 0, "\(err)")
        #expect(try whole() == 30)
        // The first kill did land mid-way (not after the work was done).
        #expect(seen.first! < 30)
        #expect(seen == seen.sorted())
    }
}
