import Foundation
import Testing
import Frames
import History
import OCPP
@testable import Store
import VaporCSQLite

/// Statements that bind text from their own buffer (`bindsTextFromOwnBuffer`)
/// store exactly what a copying bind stores.
@Suite("SQLite statements")
struct StatementTests {
    /// The SQLite is the one built into the program (sqlite-nio's), not the
    /// system's older library: its version, and a string only in single quotes.
    @Test func theSQLiteBuiltInIsTheOneInUse() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let version = try #require(try db.scalarText("SELECT sqlite_version()"))
        let parts = version.split(separator: ".").compactMap { Int($0) }
        #expect(parts.count >= 2 && (parts[0], parts[1]) >= (3, 54), "SQLite \(version)")
        #expect(throws: StoreError.self) { try db.scalarText("SELECT \"a double-quoted string\"") }
        #expect(try db.scalarText("SELECT 'a single-quoted string'") == "a single-quoted string")
        // Without memory statistics (no process-wide mutex per allocation), SQLite counts nothing.
        try db.execute("CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(100000))")
        #expect(sqlite_nio_sqlite3_memory_used() == 0)
    }

    /// A statement reset for reuse keeps its plan: SQLite's clear_bindings
    /// would have it prepared again for every charge point (Statement.reset),
    /// and a parameter left unbound after a reset is still NULL.
    @Test func aResetStatementIsNotPreparedAgain() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("""
            CREATE TABLE k(cp TEXT, dir TEXT, t INTEGER); CREATE INDEX k_cp ON k(cp, t);
            INSERT INTO k VALUES ('a', 'up', 1), ('a', 'down', 2), ('b', 'up', 3), ('b', 'up', 4);
            """)
        let s = try db.prepare("SELECT count(*), ?2 IS NULL FROM (SELECT t FROM k WHERE cp = ?1 AND dir = 'up' ORDER BY t)")
        var counts: [Int64] = []
        for cp in ["a", "b", "a", "c", "b"] {
            s.reset()
            s.bind(1, cp)
            #expect(try s.step())
            counts.append(s.int64(0))
            #expect(s.int64(1) == 1)
            // Bound now, NULL again after the next reset.
            s.reset()
            s.bind(1, cp)
            s.bind(2, Int64(7))
            #expect(try s.step())
            #expect(s.int64(1) == 0)
        }
        #expect(counts == [1, 2, 1, 0, 2])
        #expect(s.timesPreparedAgain == 0)
    }

    /// A new database gets pages of 16 KiB (Store.init says why); one made
    /// before keeps its own, which SQLite cannot change in place.
    @Test func aNewDatabaseHasSixteenKiBPages() throws {
        let path = temporaryDatabasePath("page-size")
        defer { Store.removeFiles(atPath: path) }
        do {
            let old = try SQLiteDatabase(path: path)
            try old.execute("PRAGMA page_size=4096; CREATE TABLE t(x)")
        }
        #expect(try Store(path: path).db.scalarInt("PRAGMA page_size") == 4096)
        Store.removeFiles(atPath: path)
        let store = try Store(path: path)
        #expect(try store.db.scalarInt("PRAGMA page_size") == 16384)
        #expect(try store.db.scalarText("PRAGMA journal_mode") == "wal")
        // SQLite's default, not the built-in SQLite's (SQLiteDatabase.init says why).
        #expect(try store.db.scalarInt("PRAGMA secure_delete") == 0)
    }

    /// SQLite's math functions, which the built-in SQLite lacks, behave as
    /// SQLite documents them: integers through ceil/floor/trunc unchanged,
    /// NULL for NULL, non-numbers and outside the domain.
    @Test func mathFunctionsAsSQLiteDocumentsThem() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        func real(_ sql: String) throws -> Double? {
            let s = try db.prepare("SELECT " + sql)
            _ = try s.step()
            return s.isNull(0) ? nil : s.double(0)
        }
        func type(_ sql: String) throws -> String? { try db.scalarText("SELECT typeof(\(sql))") }
        #expect(try real("floor(2.5)") == 2 && real("floor(-2.5)") == -3 && real("ceil(-2.5)") == -2 && real("ceiling(2.1)") == 3)
        #expect(try real("trunc(-2.7)") == -2 && type("floor(3)") == "integer" && type("floor(2.5)") == "real")
        #expect(try db.scalarInt("SELECT ceil(9007199254740993)") == 9_007_199_254_740_993)
        #expect(try real("sqrt(16)") == 4 && real("sqrt(-1)") == nil && real("exp(0)") == 1)
        #expect(try real("ln(1)") == 0 && real("ln(0)") == nil && real("log(1000)") == 3 && real("log10(100)") == 2)
        #expect(try real("log2(8)") == 3 && real("log(2, 8)") == 3 && real("log(1, 8)") == nil)
        #expect(try real("pow(2, 10)") == 1024 && real("power(9, 0.5)") == 3 && real("mod(7, 3)") == 1 && real("mod(7, 0)") == nil)
        #expect(try abs(real("pi()")! - Double.pi) < 1e-15 && real("degrees(pi())") == 180 && real("radians(180)") == Double.pi)
        #expect(try real("atan2(1, 1)") == Double.pi / 4 && real("cos(0)") == 1 && real("asin(2)") == nil)
        #expect(try real("floor(NULL)") == nil && real("floor('abc')") == nil && real("floor('2.5')") == 2 && real("pow(NULL, 2)") == nil)
    }

    @Test func ownBufferRowsReadBackAsBound() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT)")
        let insert = try db.prepare("INSERT INTO t(id, a, b, c) VALUES (?, ?, ?, ?)")
        insert.bindsTextFromOwnBuffer(capacity: 64)
        var expected: [(String?, String, String)] = []
        try db.transaction {
            for i in 0..<500 {
                // Lengths around the buffer's size: some rows fit, some spill into SQLite's own copy.
                let a: String? = i % 7 == 0 ? nil : String(repeating: "é", count: i % 40)
                let b = "row \(i) " + String(repeating: "x", count: (i * 13) % 90)
                let c = String(i)
                insert.bind(1, Int64(i))
                insert.bind(2, a)
                insert.bindText(3, ArraySlice(b.utf8))
                insert.bind(4, c)
                try insert.run()
                expected.append((a, b, c))
            }
        }
        let read = try db.prepare("SELECT a, b, c FROM t ORDER BY id")
        var i = 0
        while try read.step() {
            #expect(read.text(0) == expected[i].0, "row \(i)")
            #expect(read.text(1) == expected[i].1, "row \(i)")
            #expect(read.text(2) == expected[i].2, "row \(i)")
            i += 1
        }
        #expect(i == 500)
    }

    /// The buffer is overwritten by the next row, so a parameter not bound
    /// again is NULL (and an insert into a NOT NULL column fails), never the
    /// bytes of another row.
    @Test func aParameterNotBoundAgainIsNullNotStale() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT NOT NULL)")
        let insert = try db.prepare("INSERT INTO t(id, a, b) VALUES (?, ?, ?)")
        insert.bindsTextFromOwnBuffer()
        insert.bind(1, Int64(1))
        insert.bind(2, "first")
        insert.bind(3, "kept")
        try insert.run()
        insert.bind(1, Int64(2))
        insert.bind(3, "second")
        try insert.run()
        #expect(try db.scalarText("SELECT a FROM t WHERE id = 1") == "first")
        #expect(try db.scalarInt("SELECT a IS NULL FROM t WHERE id = 2") == 1)
        insert.bind(1, Int64(3))
        #expect(throws: StoreError.self) { try insert.run() }
    }
}

/// The action names the history's reader makes once per reading.
@Suite("Action names")
struct ActionNamesTests {
    @Test func namesAndKindsWhateverTheirNumber() {
        var names = ActionNames()
        func look(_ s: String) -> (String?, History.HistoryAction) {
            var t = s
            return t.withUTF8 { names.name(UnsafeRawBufferPointer($0)) }
        }
        // More distinct names than the table keeps: all still right, twice over.
        let custom = (0..<200).map { "VendorAction\($0)" }
        for _ in 0..<2 {
            #expect(look("StatusNotification") == ("StatusNotification", .statusNotification))
            #expect(look("MeterValues") == ("MeterValues", .meterValues))
            #expect(look("Heartbeat") == ("Heartbeat", .other))
            for c in custom { #expect(look(c) == (c, .other)) }
            #expect(look("RequestStartTransaction") == ("RequestStartTransaction", .requestStartTransaction))
        }
        for a in ["BootNotification", "TransactionEvent", "Authorize", "NotifyEvent", "SetVariables", "ChangeConfiguration",
                  "StartTransaction", "StopTransaction", "RemoteStartTransaction", "RemoteStopTransaction", "RequestStopTransaction"] {
            #expect(look(a).1 == HistoryAction(a) && HistoryAction(a).payloadRead)
        }
        #expect(HistoryAction(nil) == .none && !HistoryAction.none.payloadRead && !HistoryAction.other.payloadRead)
    }
}

/// The stored words the history's reader reads from SQLite's bytes: the
/// same values as through Strings, the unexpected ones included.
@Suite("Stored words")
struct StoredWordsTests {
    func bytes<R>(_ s: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var t = s
        return t.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    @Test func directionsAndTypesAsThroughStrings() {
        for d in ["cp_to_csms", "csms_to_cp", "", "sideways"] {
            #expect(bytes(d, StoredWords.direction) == (Direction(wireName: d) ?? .chargePointToCSMS), "\(d)")
        }
        for t in MessageType.allCases.map(\.name) + ["call", "CallResult", "", "PUSH"] {
            #expect(bytes(t, StoredWords.type) == (MessageType(name: t) ?? .call), "\(t)")
        }
    }

    @Test func versionsWhateverTheirNumber() {
        var words = StoredWords()
        let versions = ["1.6", "2.0.1", "2.1"] + (0..<20).map { "9.\($0)" }
        for _ in 0..<2 {
            for v in versions { #expect(bytes(v) { words.version($0) } == v) }
        }
    }
}

/// Leaving the WAL for a rollback journal (bulk loads, the staged history's
/// copy in) and coming back.
@Suite("Journal switch")
struct JournalSwitchTests {
    @Test func leavesTheWALOnlyWhileNoOtherConnectionHasTheFile() throws {
        let path = temporaryDatabasePath("journal")
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        #expect(try store.db.scalarText("PRAGMA journal_mode") == "wal")
        #expect(store.db.leaveWAL())
        #expect(try store.db.scalarText("PRAGMA journal_mode") == "delete")
        #expect(!store.db.leaveWAL(), "not in WAL mode: nothing to leave")
        store.db.backToWAL()
        #expect(try store.db.scalarText("PRAGMA journal_mode") == "wal")
        let other = try Store(readOnly: path)
        #expect(try other.db.scalarInt("SELECT count(*) FROM messages") == 0)
        #expect(!store.db.leaveWAL(), "refused while another connection reads")
        #expect(try store.db.scalarText("PRAGMA journal_mode") == "wal")
    }
}

/// The early writeback of a bulk load syncs the file through SQLite's own
/// descriptor of it, which it must find, and stops when asked.
@Suite("Early writeback")
struct EarlyWritebackTests {
    @Test func findsSQLitesDescriptorOfTheFileAndStops() throws {
        let path = temporaryDatabasePath("writeback")
        defer { Store.removeFiles(atPath: path) }
        #expect(EarlyWriteback.descriptor(of: path) == nil, "not open yet")
        let store = try Store(path: path)
        #if os(Linux)
        let fd = try #require(EarlyWriteback.descriptor(of: path))
        var st = stat()
        #expect(fstat(fd, &st) == 0 && st.st_size > 0, "the database file itself")
        // Relative and symlinked spellings of the path find it too.
        let link = path + ".link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        defer { try? FileManager.default.removeItem(atPath: link) }
        #expect(EarlyWriteback.descriptor(of: link) == fd)
        let writeback = try #require(EarlyWriteback(path: path))
        try store.db.execute("BEGIN IMMEDIATE")
        try store.db.execute("CREATE TABLE filler(x)")
        for _ in 0..<50 { try store.db.execute("INSERT INTO filler VALUES (randomblob(4000))") }
        Thread.sleep(forTimeInterval: EarlyWriteback.interval * 2.5)
        writeback.stop()
        writeback.stop()
        #expect(writeback.syncs >= 1, "synced during the transaction")
        try store.db.execute("COMMIT")
        #expect(try store.db.scalarInt("SELECT count(*) FROM filler") == 50)
        #endif
    }
}

/// The checkpoint beside readers goes as far as their snapshots allow and
/// further as they move on, giving up after its patience.
@Suite("Checkpoint beside readers")
struct CheckpointTests {
    @Test func goesOnWhenTheReaderMovesOnAndGivesUpWhenItDoesNot() throws {
        let path = temporaryDatabasePath("checkpoint")
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        let db = store.db
        try db.execute("PRAGMA wal_autocheckpoint=0; CREATE TABLE filler(x)")
        func walState() throws -> (log: Int64, copied: Int64) {
            let s = try db.prepare("PRAGMA wal_checkpoint(PASSIVE)")
            _ = try s.step()
            return (s.int64(1), s.int64(2))
        }
        _ = try walState()
        let reader = try Store(readOnly: path)
        try reader.db.execute("BEGIN")
        #expect(try reader.db.scalarInt("SELECT count(*) FROM filler") == 0)
        // 800 rows of 3,000 bytes: about 150 pages of 16 KiB in the WAL.
        try db.transaction { for _ in 0..<800 { try db.execute("INSERT INTO filler VALUES (randomblob(3000))") } }
        // The reader's snapshot predates the rows: they stay in the WAL.
        let start = Date()
        db.checkpointWhileReadersMove(patience: 0.2)
        #expect(Date().timeIntervalSince(start) >= 0.2)
        let held = try walState()
        #expect(held.log > 100 && held.copied < held.log)
        // The reader moves on while the checkpoint waits: all of it is copied.
        nonisolated(unsafe) let r = reader
        let moved = DispatchSemaphore(value: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) {
            try? r.db.execute("COMMIT")
            moved.signal()
        }
        db.checkpointWhileReadersMove(patience: 5)
        moved.wait()
        let after = try walState()
        #expect(after.copied == after.log)
    }

    /// Index builds run with the small cache and the sorter threads asked
    /// for, and the connection gets its own settings back after them, also
    /// when a build fails; the index is the same as one built without.
    @Test func indexBuildsGetTheirOwnSorterSettingsAndGiveThemBack() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("PRAGMA cache_size=-32768; CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT, v INTEGER)")
        try db.transaction {
            let insert = try db.prepare("INSERT INTO t(k, v) VALUES (?, ?)")
            for i in 0..<20_000 {
                insert.bind(1, "cp\((i * 7919) % 500)")
                insert.bind(2, Int64((i * 104_729) % 100_000))
                try insert.run()
            }
        }
        let inside: (Int64?, Int64?) = try db.buildingIndexes(sorterThreads: 1) {
            try db.execute("CREATE INDEX t_k ON t(k, v)")
            return (try db.scalarInt("PRAGMA cache_size"), try db.scalarInt("PRAGMA threads"))
        }
        #expect(inside.0 == -Int64(SQLiteDatabase.smallCacheKiB))
        #expect(inside.1 == 1)
        #expect(try db.scalarInt("PRAGMA cache_size") == -32768)
        #expect(try db.scalarInt("PRAGMA threads") == 0)
        #expect(throws: StoreError.self) {
            try db.buildingIndexes(sorterThreads: 1) { try db.execute("CREATE INDEX broken ON missing(x)") }
        }
        #expect(try db.scalarInt("PRAGMA cache_size") == -32768)
        #expect(try db.scalarInt("PRAGMA threads") == 0)
        // The index orders the rows as a sort without it does.
        func keys(_ sql: String) throws -> [String] {
            let s = try db.prepare(sql)
            var out: [String] = []
            while try s.step() { out.append("\(s.text(0) ?? "")|\(s.int64(1))|\(s.int64(2))") }
            return out
        }
        let byIndex = try keys("SELECT k, v, id FROM t INDEXED BY t_k ORDER BY k, v, id")
        let bySort = try keys("SELECT k, v, id FROM t NOT INDEXED ORDER BY k, v, id")
        #expect(byIndex.count == 20_000 && byIndex == bySort)
        #expect(try db.scalarText("PRAGMA integrity_check") == "ok")
    }
}

/// A new database file's path in the temporary folder (the caller removes it).
private func temporaryDatabasePath(_ tag: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("ocppscope-\(tag)-\(UUID().uuidString).sqlite").path
}
