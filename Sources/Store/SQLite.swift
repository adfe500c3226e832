import VaporCSQLite
import Foundation

/// An error from SQLite, with the statement that caused it when known.
public struct StoreError: Error, CustomStringConvertible {
    public var message: String
    public var code: Int32
    public var description: String { message }
    public init(_ message: String, code: Int32 = SQLITE_ERROR) {
        self.message = message
        self.code = code
    }
}

/// SQLite's "copy this value now" destructor, which Swift cannot import as a macro.
let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A connection to one SQLite database file.
///
/// Why the C API and not GRDB: measured on this machine, bulk inserts through
/// a reused prepared statement run at ~1.03 M rows/s with the C API and
/// ~0.57 M rows/s through GRDB's cached statements; the messages table is the
/// hot path of `ingest`. The wrapper stays this small on purpose.
///
/// Which SQLite: the one vapor/sqlite-nio builds into the binary (its
/// `VaporCSQLite`, SQLite 3.54 with its names prefixed `sqlite_nio_`), not
/// the system's library (Debian 12's 3.40). It is built without memory
/// statistics (SQLITE_DEFAULT_MEMSTATUS=0), which the system's library had to
/// be told at run time: with them every allocation SQLite makes takes a
/// process-wide mutex (40 M instructions of the 10 MB benchmark ingest's
/// writer thread). Why this library:
/// measured on the 250 MB benchmark capture, SQLite is most of an ingest's
/// work (the inserts, five index builds, the history's reading and writing),
/// and the newer library built with the program did the same work in fewer
/// instructions (10 MB capture's ingest 3.471 G to 3.350 G in callgrind), the
/// ingest about 7% faster (seven interleaved pairs) and `anomalies` about 30%
/// (2.29 s to 1.59 s); and every machine runs the same SQLite, whatever its
/// distribution ships. The database file is SQLite's usual format, which any
/// `sqlite3` shell reads.
public final class SQLiteDatabase {
    let handle: OpaquePointer
    public let path: String

    public enum Mode { case readWrite, readOnly }

    /// How long a statement waits for another connection's lock before SQLITE_BUSY.
    static let busyTimeoutMs: Int32 = 10_000

    public init(path: String, mode: Mode = .readWrite) throws {
        var db: OpaquePointer?
        let flags = mode == .readOnly
            ? SQLITE_OPEN_READONLY
            : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite_nio_sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite_nio_sqlite3_close(db) }
            throw StoreError("cannot open database \(path): \(msg)", code: rc)
        }
        handle = db
        self.path = path
        // Another process (a live capture, a query) may hold the lock briefly.
        sqlite_nio_sqlite3_busy_timeout(db, SQLiteDatabase.busyTimeoutMs)
        // floor(), sqrt(), ln()…, which this SQLite is built without (SQLMathFunctions).
        SQLMathFunctions.register(on: db)
        // SQLite's own default, which this build (sqlite-nio's, compiled with
        // SQLITE_SECURE_DELETE) turns the other way: with secure delete, every
        // page a B-tree splits into is zeroed whole and every cell moved is
        // wiped where it was, which a bulk load does all the time (0.8% of
        // the 10 MB benchmark ingest's instructions). Nothing here deletes
        // what is still to be kept secret: redacted values never reach the
        // file, and what is deleted is derived history that is written again,
        // or staging files.
        sqlite_nio_sqlite3_exec(db, "PRAGMA secure_delete=OFF", nil, nil, nil)
    }

    deinit {
        sqlite_nio_sqlite3_close_v2(handle)
    }

    var lastError: String { String(cString: sqlite_nio_sqlite3_errmsg(handle)) }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? lastError
            sqlite_nio_sqlite3_free(err)
            throw StoreError("\(msg) (in: \(sql.prefix(120)))", code: rc)
        }
    }

    public func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw StoreError("\(lastError) (in: \(sql.prefix(200)))", code: rc)
        }
        return Statement(stmt, db: self)
    }

    public var changes: Int { Int(sqlite_nio_sqlite3_changes(handle)) }

    /// The rowid of the last row this connection inserted.
    public var lastInsertRowid: Int64 { sqlite_nio_sqlite3_last_insert_rowid(handle) }

    /// `INSERT OR FAIL INTO table(columns) VALUES (?, …), …` for `rows`
    /// rows: bulk writers put several rows in one statement, whose
    /// per-execution work (opening the cursor, finding the table's end) the
    /// rows then share.
    ///
    /// Why `OR FAIL`: a statement of several rows into a table with NOT NULL
    /// columns could abort half-way, so under the default conflict rule
    /// SQLite opens a statement journal for every execution and copies into
    /// it each page the statement changes that existed before: the table's
    /// last page, 16 KiB per execution (250 MB benchmark capture: 1.36 GB
    /// written to a temporary file in 166,672 writes by the messages' writer
    /// alone). Under `OR FAIL` a failing row leaves the rows before it in
    /// place instead of undoing them, so SQLite needs no statement journal;
    /// the bulk writers give up the whole transaction on any failure
    /// anyway (SourceWriter, HistoryWriter: the first error is thrown and
    /// the transaction rolled back), so nothing half-written is ever kept.
    /// (An id given for an INTEGER PRIMARY KEY needs the journal whatever
    /// the rule, as SQLite checks it is an integer: SourceWriter.flush.)
    public static func insert(into table: String, columns: String, count: Int, rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
        return "INSERT OR FAIL INTO \(table)(\(columns)) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// The value of the first column of the first row, if any.
    public func scalarInt(_ sql: String, _ params: [SQLValue] = []) throws -> Int64? {
        let s = try prepare(sql)
        try s.bind(params)
        guard try s.step() else { return nil }
        return s.isNull(0) ? nil : s.int64(0)
    }

    /// The text of the first column of the first row, if any.
    public func scalarText(_ sql: String, _ params: [SQLValue] = []) throws -> String? {
        let s = try prepare(sql)
        try s.bind(params)
        guard try s.step() else { return nil }
        return s.text(0)
    }

    /// Runs `body` in one write transaction: all of it, or none of it.
    /// Columns of a table, in their order, in the main schema or an attached one.
    public func columns(of table: String, in schema: String = "main") throws -> [String] {
        let s = try prepare("SELECT name FROM \(schema).pragma_table_info(?) ORDER BY cid")
        s.bind(1, table)
        var out: [String] = []
        while try s.step() { out.append(s.text(0) ?? "") }
        return out
    }

    /// Switches the file from the WAL to a rollback journal, which writes
    /// each page once where the WAL writes it twice (into empty tables a
    /// rollback journal keeps next to nothing); true if it switched. SQLite
    /// refuses while another connection has the file open: the WAL stays.
    /// `backToWAL` undoes it.
    public func leaveWAL() -> Bool {
        guard (try? scalarText("PRAGMA journal_mode"))??.lowercased() == "wal" else { return false }
        // Asked once, not waited for: with the usual busy timeout a reader in
        // another process held the switch up for 10 s before it was refused.
        sqlite_nio_sqlite3_busy_timeout(handle, 0)
        defer { sqlite_nio_sqlite3_busy_timeout(handle, SQLiteDatabase.busyTimeoutMs) }
        return (try? scalarText("PRAGMA journal_mode=DELETE"))??.lowercased() == "delete"
    }

    /// Copies what the WAL holds into the database file, as far as the
    /// readers' snapshots allow, trying again while they move on (a reader
    /// that takes a new snapshot now and then lets it go further), for at
    /// most `patience` seconds. Why: the pages committed beside readers
    /// would otherwise all be copied by whoever next changes the journal or
    /// checkpoints, on the thread that waits for it (see HistoryFeed.read).
    public func checkpointWhileReadersMove(patience: TimeInterval = 2) {
        let until = Date().addingTimeInterval(patience)
        while true {
            guard let s = try? prepare("PRAGMA wal_checkpoint(PASSIVE)"), (try? s.step()) == true else { return }
            let log = s.int64(1), copied = s.int64(2)
            if log <= 0 || copied >= log || Date() >= until { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    public func backToWAL() {
        _ = try? scalarText("PRAGMA journal_mode=WAL")
    }

    /// Runs `body`, which builds indexes, with the small cache of
    /// `withSmallCache` and `sorterThreads` helper threads for SQLite's
    /// sorter.
    ///
    /// Why: an index build sorts its keys in runs the size of the cache and
    /// merges them; in runs of 4 MB rather than the connection's 32 MB the
    /// sorting stays closer to the processor (the five builds beside the
    /// history in the sqlite3 shell, 250 MB benchmark capture: 2.79 s to
    /// 2.54 s, their CPU 2.62 s to 2.33 s; 2 MB no faster), and the cache
    /// the builds fill with table pages is smaller. A helper thread sorts
    /// runs beside the merge: only where the other core is idle (the index
    /// the history reads by), not beside the history, which it would take
    /// CPU from. Two interleaved pairs of that ingest: the index the history
    /// reads by 0.65 s to 0.55 s, the history beside the other five builds
    /// 4.1 s to 3.7 s, peak memory 122 MB to 100 MB.
    public func buildingIndexes<R>(sorterThreads: Int, _ body: () throws -> R) throws -> R {
        try withSmallCache {
            try execute("PRAGMA threads=\(sorterThreads)")
            defer { try? execute("PRAGMA threads=0") }
            return try body()
        }
    }

    /// Runs `body` with a page cache of `smallCacheKiB`, then gives the
    /// connection back its own cache size. For work that only appends to
    /// empty tables or sorts (a bulk load, SourceWriter; index builds; the
    /// staged history's copy), where a cache holds pages written already
    /// and that the work will not read again: the 32 MB that queries and
    /// row-by-row index upkeep want is memory for nothing there.
    public func withSmallCache<R>(_ body: () throws -> R) throws -> R {
        let cache = try useSmallCache()
        defer { setCacheSize(cache) }
        return try body()
    }

    /// Gives the connection back the cache size `useSmallCache` returned.
    public func setCacheSize(_ cache: Int64) {
        try? execute("PRAGMA cache_size=\(cache)")
    }

    /// Sets the small cache; returns the cache size to set back.
    public func useSmallCache() throws -> Int64 {
        let cache = try scalarInt("PRAGMA cache_size") ?? -32768
        try execute("PRAGMA cache_size=-\(SQLiteDatabase.smallCacheKiB)")
        return cache
    }

    public static let smallCacheKiB = 4096

    public func transaction<R>(_ body: () throws -> R) throws -> R {
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try execute("COMMIT")
            return r
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A value bound to a statement parameter.
public enum SQLValue: Sendable, Equatable {
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
    case null
}

/// A prepared statement, reused across rows.
public final class Statement {
    let handle: OpaquePointer
    unowned let db: SQLiteDatabase

    /// The text buffer of `bindsTextFromOwnBuffer`, nil until asked for.
    private var textBuffer: UnsafeMutableRawPointer?
    private var textBufferCapacity = 0
    private var textBufferUsed = 0

    init(_ handle: OpaquePointer, db: SQLiteDatabase) {
        self.handle = handle
        self.db = db
    }

    deinit {
        sqlite_nio_sqlite3_finalize(handle)
        textBuffer?.deallocate()
    }

    /// From now on, text bound to this statement is copied into a buffer of
    /// its own, reused row after row, and SQLite reads it there
    /// (SQLITE_STATIC) instead of making a copy of every value in memory it
    /// allocates (SQLITE_TRANSIENT). Why: the inserts of the messages and
    /// of the meter values bind six to nine texts a row, and SQLite's copy
    /// cost about 700 instructions each (172 M of the 10 MB benchmark
    /// ingest's writer thread), most of it allocating and freeing.
    ///
    /// For statements that bind every parameter for every row, as inserts
    /// do: `run` and `reset` clear the bindings (the buffer is overwritten by
    /// the next row), so a parameter left unbound is NULL, never stale. A
    /// text that no longer fits the buffer is copied by SQLite as before.
    public func bindsTextFromOwnBuffer(capacity: Int = 1 << 16) {
        guard textBuffer == nil else { return }
        textBuffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        textBufferCapacity = capacity
    }

    /// Resets the statement and sets every parameter to NULL.
    ///
    /// Each parameter bound NULL, not `sqlite3_clear_bindings`: since SQLite
    /// 3.5x that marks for preparing again any statement whose plan might
    /// depend on a bound value (`column = ?` beside the terms the index
    /// serves, the charge point of nearly every query here), so the
    /// statements reused once per charge point (Store.reused) were prepared
    /// again at every use: 1,035 times in the 10 MB benchmark ingest, 55 M
    /// of its 3.0 G instructions. A NULL bound over a text or another value
    /// keeps the plan.
    public func reset() {
        sqlite_nio_sqlite3_reset(handle)
        let count = sqlite_nio_sqlite3_bind_parameter_count(handle)
        if count > 0 { for i in 1...count { sqlite_nio_sqlite3_bind_null(handle, i) } }
        textBufferUsed = 0
    }

    /// How many times SQLite has prepared this statement again (a schema
    /// change, or a bound value its plan depends on).
    var timesPreparedAgain: Int32 { sqlite_nio_sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_REPREPARE, 0) }

    // Binding; indices from 1 as in SQLite.
    @inline(__always) public func bind(_ i: Int32, _ v: Int64) { sqlite_nio_sqlite3_bind_int64(handle, i, v) }
    @inline(__always) public func bind(_ i: Int32, _ v: Int64?) {
        if let v { sqlite_nio_sqlite3_bind_int64(handle, i, v) } else { sqlite_nio_sqlite3_bind_null(handle, i) }
    }
    @inline(__always) public func bind(_ i: Int32, _ v: Int?) { bind(i, v.map(Int64.init)) }
    @inline(__always) public func bind(_ i: Int32, _ v: Double?) {
        if let v { sqlite_nio_sqlite3_bind_double(handle, i, v) } else { sqlite_nio_sqlite3_bind_null(handle, i) }
    }
    @inline(__always) public func bind(_ i: Int32, _ v: String?) {
        guard let v else { sqlite_nio_sqlite3_bind_null(handle, i); return }
        var s = v
        s.withUTF8 { bindUTF8(i, UnsafeRawBufferPointer($0)) }
    }
    /// Binds UTF-8 bytes as text without making a Swift String.
    @inline(__always) public func bindText(_ i: Int32, _ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { bindUTF8(i, $0) }
    }
    /// Binds UTF-8 bytes as text where they lie, neither copied into the
    /// statement's buffer nor by SQLite (SQLITE_STATIC): for bytes that stay
    /// unchanged until the statement has run, as a batch's payloads do
    /// (SourceWriter.flush). Why: the messages' payloads are most of the
    /// bytes an ingest writes, and their copy into the buffer was a third of
    /// the store writer's memory moves (perf, 250 MB benchmark capture: 131
    /// of 416 samples, about 0.07 s of CPU).
    @inline(__always) public func bindTextInPlace(_ i: Int32, _ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { sqlite_nio_sqlite3_bind_text(handle, i, "", 0, nil); return }
            _ = sqlite_nio_sqlite3_bind_text(handle, i, base.assumingMemoryBound(to: CChar.self), Int32(raw.count), nil)
        }
    }
    @inline(__always) private func bindUTF8(_ i: Int32, _ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { sqlite_nio_sqlite3_bind_text(handle, i, "", 0, nil); return }
        if let buffer = textBuffer, raw.count <= textBufferCapacity - textBufferUsed {
            let at = buffer + textBufferUsed
            at.copyMemory(from: base, byteCount: raw.count)
            textBufferUsed += raw.count
            // nil: SQLITE_STATIC, the bytes stay where they are until the next row.
            _ = sqlite_nio_sqlite3_bind_text(handle, i, at.assumingMemoryBound(to: CChar.self), Int32(raw.count), nil)
        } else {
            _ = sqlite_nio_sqlite3_bind_text(handle, i, base.assumingMemoryBound(to: CChar.self), Int32(raw.count), SQLITE_TRANSIENT)
        }
    }
    @inline(__always) public func bindBlob(_ i: Int32, _ bytes: [UInt8]?) {
        guard let bytes else { sqlite_nio_sqlite3_bind_null(handle, i); return }
        bytes.withUnsafeBytes { raw in
            _ = sqlite_nio_sqlite3_bind_blob(handle, i, raw.baseAddress, Int32(raw.count), SQLITE_TRANSIENT)
        }
    }

    public func bind(_ params: [SQLValue]) throws {
        for (k, p) in params.enumerated() {
            let i = Int32(k + 1)
            switch p {
            case .int(let v): bind(i, v)
            case .double(let v): bind(i, v)
            case .text(let v): bind(i, v)
            case .blob(let v): bindBlob(i, v)
            case .null: sqlite_nio_sqlite3_bind_null(handle, i)
            }
        }
    }

    /// Binds named parameters (`:name`, `@name`, `$name`); unknown names are an error.
    public func bind(named: [String: SQLValue]) throws {
        for (name, value) in named {
            var index: Int32 = 0
            for prefix in [":", "@", "$"] where index == 0 {
                index = sqlite_nio_sqlite3_bind_parameter_index(handle, prefix + name)
            }
            guard index > 0 else { throw StoreError("the query has no parameter named '\(name)'") }
            switch value {
            case .int(let v): bind(index, v)
            case .double(let v): bind(index, v)
            case .text(let v): bind(index, v)
            case .blob(let v): bindBlob(index, v)
            case .null: sqlite_nio_sqlite3_bind_null(handle, index)
            }
        }
    }

    /// Names of the statement's parameters, without their prefix.
    public var parameterNames: [String] {
        let n = sqlite_nio_sqlite3_bind_parameter_count(handle)
        guard n > 0 else { return [] }
        return (1...n).compactMap { i in sqlite_nio_sqlite3_bind_parameter_name(handle, i).map { String(String(cString: $0).dropFirst()) } }
    }

    /// Steps once: true when a row is available.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite_nio_sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw StoreError(db.lastError, code: rc)
    }

    /// Runs a statement that returns no rows, then resets it for reuse.
    @inline(__always) public func run() throws {
        let rc = sqlite_nio_sqlite3_step(handle)
        sqlite_nio_sqlite3_reset(handle)
        if textBuffer != nil {
            sqlite_nio_sqlite3_clear_bindings(handle)
            textBufferUsed = 0
        }
        if rc != SQLITE_DONE && rc != SQLITE_ROW { throw StoreError(db.lastError, code: rc) }
    }

    public var columnCount: Int32 { sqlite_nio_sqlite3_column_count(handle) }

    public enum ColumnType { case integer, float, text, blob, null }
    public func columnType(_ i: Int32) -> ColumnType {
        switch sqlite_nio_sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer
        case SQLITE_FLOAT: return .float
        case SQLITE_NULL: return .null
        case SQLITE_BLOB: return .blob
        default: return .text
        }
    }
    /// The bytes of a text or blob column, valid until the next step or reset.
    public func bytes(_ i: Int32) -> UnsafeRawBufferPointer {
        let p = sqlite_nio_sqlite3_column_type(handle, i) == SQLITE_BLOB ? sqlite_nio_sqlite3_column_blob(handle, i) : UnsafeRawPointer(sqlite_nio_sqlite3_column_text(handle, i))
        return UnsafeRawBufferPointer(start: p, count: Int(sqlite_nio_sqlite3_column_bytes(handle, i)))
    }
    public func columnName(_ i: Int32) -> String { String(cString: sqlite_nio_sqlite3_column_name(handle, i)) }
    public func isNull(_ i: Int32) -> Bool { sqlite_nio_sqlite3_column_type(handle, i) == SQLITE_NULL }
    public func int64(_ i: Int32) -> Int64 { sqlite_nio_sqlite3_column_int64(handle, i) }
    public func double(_ i: Int32) -> Double { sqlite_nio_sqlite3_column_double(handle, i) }
    public func text(_ i: Int32) -> String? {
        guard let p = sqlite_nio_sqlite3_column_text(handle, i) else { return nil }
        let n = Int(sqlite_nio_sqlite3_column_bytes(handle, i))
        return String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self)
    }
    /// Calls `body` with a text column's bytes as SQLite holds them (valid
    /// until the next step), without making a Swift String; nil for NULL.
    public func withText<R>(_ i: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        guard let p = sqlite_nio_sqlite3_column_text(handle, i) else { return nil }
        let n = Int(sqlite_nio_sqlite3_column_bytes(handle, i))
        return body(UnsafeRawBufferPointer(start: p, count: n))
    }
    /// A text column's bytes as SQLite holds them, nil for NULL: valid until
    /// the next step or reset, and while no other conversion of the same
    /// column is asked for (several columns of one row may be held at once).
    public func rawText(_ i: Int32) -> UnsafeRawBufferPointer? {
        guard let p = sqlite_nio_sqlite3_column_text(handle, i) else { return nil }
        return UnsafeRawBufferPointer(start: p, count: Int(sqlite_nio_sqlite3_column_bytes(handle, i)))
    }
    public func value(_ i: Int32) -> SQLValue {
        switch sqlite_nio_sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .int(int64(i))
        case SQLITE_FLOAT: return .double(double(i))
        case SQLITE_NULL: return .null
        case SQLITE_BLOB:
            let n = Int(sqlite_nio_sqlite3_column_bytes(handle, i))
            guard let p = sqlite_nio_sqlite3_column_blob(handle, i) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
        default: return .text(text(i) ?? "")
        }
    }
}
