import Foundation

/// The ocppscope database: opening, migrating, and the questions every
/// command asks of it.
public final class Store {
    public let db: SQLiteDatabase
    public static let defaultPath = "ocppscope.sqlite"
    /// The PostgreSQL store reads go to, for `--db postgresql://…`; nil for
    /// a SQLite file. Writes to PostgreSQL go through `PostgresStore`.
    public let postgres: PostgresDatabase?
    /// A private file in front of PostgreSQL (PostgresStore, PostgresLiveMirror):
    /// its rows are copied out by rowid and never queried, so the secondary
    /// indexes of `messages`, dropped for a bulk load, are not built again.
    public var isStaging = false
    /// Statements asked once per charge point by the history rebuild,
    /// prepared once per store: preparing them again for each of 500
    /// charge points cost 2% of an ingest.
    private var statements: [String: Statement] = [:]

    /// A prepared statement for `sql`, reset and unbound, prepared on first
    /// use. Read it to its end (or reset it): a statement left mid-way keeps
    /// its read snapshot open.
    func reused(_ sql: String) throws -> Statement {
        if let s = statements[sql] {
            s.reset()
            return s
        }
        let s = try db.prepare(sql)
        statements[sql] = s
        return s
    }

    /// Opens (creating if needed) and migrates a database for writing.
    public init(path: String) throws {
        postgres = nil
        db = try SQLiteDatabase(path: path)
        // WAL lets queries read while an ingest or a live capture writes;
        // synchronous=NORMAL is durable at each checkpoint and ~40x faster for
        // frequent commits. Rows of one source still land in one transaction.
        // Temporary storage in files, not in memory: building the indexes of
        // messages after a bulk load sorts more than the cache holds, and with
        // temp_store=MEMORY what spills stayed in RAM, so ingest's peak grew
        // with the capture (309 MB for 1 GB; two of those indexes rebuilt in
        // the sqlite3 shell: 288 MB and 11.1 s CPU in memory, 71 MB and 8.6 s
        // in files).
        // Pages of 16 KiB, not SQLite's 4 KiB (set only while the file is
        // new): a table's scan, an index build's and the history's reading
        // make a quarter of the reads, and the bulk load a quarter of the
        // page writes. 250 MB benchmark capture, four interleaved pairs: the
        // ingest 8.22 s to 7.12 s on average, its system time 2.24 s to 1.64 s,
        // the queries the same (anomalies 1.09/0.98 s, transactions
        // 0.11/0.13 s, one charge point's timeline 0.04 s either way).
        try db.execute("PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768; PRAGMA temp_store=FILE;")
        try migrate()
        // Left by an ingest that stopped before it built them (PendingIndexes).
        try buildPendingIndexes()
    }

    /// A new path for a private staging file (in front of PostgreSQL, or the
    /// history's beside the index builds), in the temporary folder:
    /// `ocppscope-PURPOSE-UUID.sqlite`, held by this process until
    /// `removeFiles`; what killed processes left there is removed first
    /// (StagingFiles).
    public static func stagingPath(_ purpose: String) -> String {
        StagingFiles.make(purpose)
    }

    /// Removes a database file with its WAL, shared-memory and rollback-journal
    /// files (a journal stays beside a database whose writer was killed).
    public static func removeFiles(atPath path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        StagingFiles.release(path)
    }

    /// Forgets the rows of sources already copied into PostgreSQL (a staging
    /// file): the next source's copy then reads its own rows only, not those
    /// of every file before it. Connections and charge points stay, for what
    /// later sources learn from them (identities of connections without a
    /// handshake).
    public func clearStagedRows() throws {
        try db.execute("DELETE FROM messages; DELETE FROM decode_issues; DELETE FROM keepalives;")
    }

    /// Opens an existing database read-only (for queries and reports).
    public init(readOnly path: String) throws {
        if PostgresURL.isURL(path) {
            let pg = try PostgresDatabase(url: try PostgresURL(path))
            let migrated = try? pg.query("SELECT count(*) FROM schema_migrations", []).rows.first?.first
            guard case .int(let n)? = migrated else {
                throw StoreError("\(pg.url) holds no ocppscope database: run `ocppscope ingest CAPTURE --db \(pg.url)` first")
            }
            guard Int(n) >= Schema.migrations.count else {
                throw StoreError("\(pg.url) has an older schema; run `ocppscope ingest --db \(pg.url)` with no inputs to migrate it")
            }
            postgres = pg
            // Nothing reads it: every read of a PostgreSQL store goes through `rows`.
            db = try SQLiteDatabase(path: ":memory:")
            return
        }
        postgres = nil
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError("no database at \(path): run `ocppscope ingest CAPTURE --db \(path)` first")
        }
        db = try SQLiteDatabase(path: path, mode: .readOnly)
        let migrated = (try? db.scalarInt("SELECT count(*) FROM schema_migrations")) ?? nil
        guard migrated != nil else { throw StoreError("\(path) is not an ocppscope database") }
        guard Int(migrated!) <= Schema.migrations.count else {
            throw StoreError("\(path) was written by a newer ocppscope (schema \(migrated!)); upgrade ocppscope")
        }
        if Int(migrated!) < Schema.migrations.count {
            throw StoreError("\(path) has an older schema; open it once for writing (e.g. `ocppscope ingest --db \(path)` with no inputs) to migrate it")
        }
    }

    /// The database's file; nil for an in-memory database or a URI.
    public var filePath: String? {
        let p = db.path
        return p.isEmpty || p == ":memory:" || p.hasPrefix("file:") ? nil : p
    }

    /// The file that a second, read-only connection (on another thread) can
    /// open to read what this one has committed while this one writes; nil
    /// for an in-memory database (private to its connection) and outside WAL
    /// mode (where such a reader would hold up this connection's commit).
    public var pathForConcurrentReader: String? {
        guard let p = filePath else { return nil }
        guard let s = try? db.prepare("PRAGMA journal_mode"), (try? s.step()) == true,
              s.text(0)?.lowercased() == "wal" else { return nil }
        return p
    }

    private func migrate() throws {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_us INTEGER NOT NULL)")
        let check = try db.prepare("SELECT 1 FROM schema_migrations WHERE name = ?")
        let record = try db.prepare("INSERT INTO schema_migrations(name, applied_us) VALUES (?, ?)")
        for m in Schema.migrations {
            check.reset()
            check.bind(1, m.name)
            if try check.step() { continue }
            try db.transaction {
                try db.execute(m.sql)
                record.reset()
                record.bind(1, m.name)
                record.bind(2, Int64(Date().timeIntervalSince1970 * 1_000_000))
                try record.run()
            }
        }
    }

    /// The id of an already ingested source with this digest.
    public func source(withDigest digest: String) throws -> Int64? {
        try db.scalarInt("SELECT id FROM sources WHERE digest = ?", [.text(digest)])
    }

    /// Whether a stored source has this size in bytes: a file of another
    /// size cannot have the digest of any of them, so it may be hashed while
    /// it is decoded (SourceWriter.digestLater).
    public func hasSource(ofSize size: Int64) throws -> Bool {
        try db.scalarInt("SELECT EXISTS (SELECT 1 FROM sources WHERE size = ?)", [.int(size)]) == 1
    }
}
