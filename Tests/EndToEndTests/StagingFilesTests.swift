import Foundation
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Staging files that a killed process left in the temporary folder are
/// removed by the next process that makes one; nobody else's, and nothing a
/// live process holds.
@Suite("Staging files left by killed processes")
struct StagingFilesTests {
    func folder() throws -> String {
        let dir = Fixture.tempPath("-staging")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func names(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    func touch(_ path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
    }

    @Test func whatNobodyHoldsIsRemovedAndNothingElse() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stale = "\(dir)/ocppscope-history-\(UUID().uuidString).sqlite"
        let staleIngest = "\(dir)/ocppscope-ingest-\(UUID().uuidString).sqlite"
        // Being made by another process: not to be touched.
        let making = "\(dir)/.ocppscope-history-\(UUID().uuidString).sqlite.making"
        let unheld = "\(dir)/ocppscope-history-unheld-\(UUID().uuidString).sqlite"
        let held = "\(dir)/ocppscope-ingest-\(UUID().uuidString).sqlite"
        let live = "\(dir)/ocppscope-live-\(UUID().uuidString).sqlite"
        let notOurs = ["\(dir)/ocppscope-history-notauuid.sqlite", "\(dir)/notes.sqlite", "\(dir)/ocppscope-e2e.sqlite", making, unheld]
        for p in [stale, stale + "-journal", staleIngest, staleIngest + "-wal", staleIngest + "-shm", held, live] + notOurs { touch(p) }
        // Another process's lock, as far as flock can tell: another open file description.
        let fd = open(held, O_RDWR)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        #expect(StagingFiles.sweep(dir) == 2)
        let left = Set(try names(dir).map { "\(dir)/\($0)" })
        #expect(left == Set([held, live] + notOurs))
        // Once its holder has ended, it goes too.
        close(fd)
        #expect(StagingFiles.sweep(dir) == 1)
        #expect(!FileManager.default.fileExists(atPath: held))
    }

    @Test func aFileOfThisProcessIsHeldUntilRemoved() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = StagingFiles.make("history", in: dir)
        #expect(path.hasPrefix(dir + "/ocppscope-history-"))
        #expect(try names(dir) == [(path as NSString).lastPathComponent])
        // This process's sweep leaves it, and no other can lock it.
        #expect(StagingFiles.sweep(dir) == 0)
        let fd = open(path, O_RDWR)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) != 0)
        // A database in it works as in any new file.
        let store = try Store(path: path)
        try store.db.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)")
        #expect(try store.db.scalarInt("SELECT count(*) FROM t") == 1)
        Store.removeFiles(atPath: path)
        #expect(try names(dir).isEmpty)
    }

    /// The ingest command, run with a temporary folder that holds what a
    /// killed ingest left (its history's staging file and journal), leaves
    /// that folder empty.
    @Test func theNextIngestRemovesWhatAKilledOneLeft() throws {
        let dir = try folder()
        let db = Fixture.tempPath(".sqlite")
        defer { try? FileManager.default.removeItem(atPath: dir); Store.removeFiles(atPath: db) }
        let stale = "\(dir)/ocppscope-history-\(UUID().uuidString).sqlite"
        touch(stale)
        touch(stale + "-journal")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Fixture.root.appendingPathComponent(".build/debug/ocppscope").path)
        p.arguments = ["ingest", Fixture.sample("fleet-small.pcap"), "--db", db, "--quiet"]
        p.environment = try Fixture.environment(tmpdir: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(try names(dir).isEmpty)
        #expect(try Fixture.count(try Store(path: db), "SELECT count(*) FROM transactions") > 0)
    }
}
