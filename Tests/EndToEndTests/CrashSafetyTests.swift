import Foundation
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An ingest killed with SIGKILL at any moment leaves a database that opens,
/// passes `PRAGMA integrity_check`, holds only whole sources, and a re-run
/// completes the work.
@Suite("Crash safety")
struct CrashSafetyTests {
    /// Copies of the sample that differ by one byte of their last packet, so
    /// each is a source of its own.
    func inputs(_ n: Int) throws -> String {
        let dir = Fixture.tempPath("-inputs")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.sample("fleet-small.pcap"))))
        for i in 0..<n {
            bytes[bytes.count - 1] = UInt8(i)
            try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/copy-\(String(format: "%03d", i)).pcap"))
        }
        return dir
    }

    func ingest(_ dir: String, db: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Fixture.root.appendingPathComponent(".build/debug/ocppscope").path)
        p.arguments = ["ingest", dir, "--db", db, "--quiet"]
        // Its staging file (the history's) goes with the inputs' folder.
        p.environment = try Fixture.environment(tmpdir: dir + "-tmp")
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Only whole sources: every source row's message count is what the
    /// messages table holds for it, and nothing belongs to no source.
    func check(_ db: String) throws -> Int {
        let store = try Store(path: db)   // opening for writing recovers the journal
        var result = ""
        try store.rows("PRAGMA integrity_check") { r in result = r.text("integrity_check") ?? "" }
        #expect(result == "ok")
        #expect(try store.db.scalarInt("""
            SELECT count(*) FROM sources s
            WHERE s.end_state <> 'complete' OR s.messages <> (SELECT count(*) FROM messages m WHERE m.source_id = s.id)
            """) == 0)
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages WHERE source_id NOT IN (SELECT id FROM sources)") == 0)
        return Int(try store.db.scalarInt("SELECT count(*) FROM sources") ?? -1)
    }

    @Test func anIngestKilledAtAnyMomentLeavesWholeSources() throws {
        let dir = try inputs(20)
        let db = Fixture.tempPath(".sqlite")
        defer { for d in [dir, dir + "-tmp"] { try? FileManager.default.removeItem(atPath: d) }; Store.removeFiles(atPath: db) }
        var seen: [Int] = []
        for delay in [0.1, 0.4, 0.8] {
            let p = try ingest(dir, db: db)
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            seen.append(try check(db))
        }
        // The re-run completes the work, and skips what is already there.
        let p = try ingest(dir, db: db)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(try check(db) == 20)
        // The kills did land mid-way (not after the work was done).
        #expect(seen.first! < 20)
        #expect(seen == seen.sorted())
    }
}
