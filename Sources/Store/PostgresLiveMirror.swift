import Foundation
import Frames

/// Mirrors a live source (a `capture`, or a log followed with `ingest
/// --follow`) into PostgreSQL while it runs: one transaction per commit.
///
/// Why not the whole-source copy of `importSources`: a live source is never
/// whole, and other writers and readers must see it grow. So the source is
/// written by the usual SourceWriter into a private SQLite file, and after
/// each of its commits `sync()` carries what changed into PostgreSQL in one
/// transaction: the rows added since the last sync, the rows changed since
/// (an answer that came late, a connection that closed, an identity or a
/// version learned at the end), the source's counts and the charge points'
/// facts. A writer killed at any moment leaves PostgreSQL with the source as
/// of its last sync, every batch whole, the same promise SQLite's live
/// capture makes; the source row says `live` until the last sync.
///
/// Changed rows are found by triggers on the private file (`live_dirty`),
/// which remember the charge point a row had when it was last synced, so
/// the old row is deleted by its primary key (charge_point, id).
public final class PostgresLiveMirror {
    public let pg: PostgresStore
    private let staging: Store
    /// Tables of a source, in the order their rows reference each other.
    static let tables = ["connections", "messages", "decode_issues", "keepalives"]
    /// Tables whose rows change after they are written.
    static let mutable = ["connections", "messages"]

    /// The highest staging id synced, per table (-1: none yet).
    private var synced: [String: Int64] = [:]
    /// Id blocks reserved in PostgreSQL, per table: (first staging id, shift).
    private var ranges: [String: [(first: Int64, shift: Int64)]] = [:]
    private var source: (staging: Int64, pg: Int64)?
    /// Each charge point's facts as last merged, so only changed ones go again.
    private var mergedFacts: [String: [SQLValue]] = [:]
    /// Every charge point the source has touched, for the history at the end.
    public private(set) var chargePoints = Set<String>()
    /// Time of the newest message PostgreSQL holds (for messages after a failure).
    public private(set) var syncedThrough: Int64?

    /// `staging` must be a new, empty store; call before its SourceWriter starts.
    public init(staging: Store, pg: PostgresStore) throws {
        self.staging = staging
        self.pg = pg
        for t in Self.tables { synced[t] = -1 }
        var sql = "CREATE TABLE IF NOT EXISTS live_dirty (tbl TEXT NOT NULL, id INTEGER NOT NULL, old_cp TEXT, PRIMARY KEY (tbl, id));\n"
        for t in Self.mutable {
            // Before an INSERT OR REPLACE (SourceWriter upserts connections) and after an UPDATE.
            sql += """
                CREATE TRIGGER IF NOT EXISTS live_dirty_\(t)_replace BEFORE INSERT ON \(t)
                BEGIN INSERT OR IGNORE INTO live_dirty SELECT '\(t)', id, charge_point FROM \(t) WHERE id = NEW.id; END;
                CREATE TRIGGER IF NOT EXISTS live_dirty_\(t)_update AFTER UPDATE ON \(t)
                BEGIN INSERT OR IGNORE INTO live_dirty VALUES ('\(t)', OLD.id, OLD.charge_point); END;

                """
        }
        try staging.db.execute(sql)
    }

    private func pgId(_ table: String, _ id: Int64) -> Int64 {
        let r = ranges[table] ?? []
        var lo = 0, hi = r.count - 1, found = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if r[mid].first <= id { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return r.isEmpty ? id : id + r[found].shift
    }

    /// Carries into PostgreSQL, in one transaction, what the staging file
    /// committed since the last sync. On failure nothing is marked synced,
    /// so the next call sends it again (the ids reserved are left as a gap).
    public func sync() throws {
        let db = staging.db
        guard let sid = try db.scalarInt("SELECT id FROM sources ORDER BY id LIMIT 1") else { return }
        // Ids for the new rows, reserved before the transaction (as importSources does).
        let pgSource = try source?.pg ?? PostgresSchema.allocate(pg.pg, table: "sources", count: 1)
        var pending = ranges
        var top: [String: Int64] = [:]
        for t in Self.tables {
            let w = synced[t]!
            let maxId = try db.scalarInt("SELECT max(id) FROM \(t) WHERE id > ?", [.int(w)]) ?? w
            top[t] = maxId
            if maxId > w {
                let first = try PostgresSchema.allocate(pg.pg, table: t, count: maxId - w)
                pending[t, default: []].append((first: w + 1, shift: first - (w + 1)))
            }
        }
        let before = ranges
        ranges = pending
        var facts: [String: [SQLValue]] = [:]
        do {
            try pg.pg.transaction {
                let cols = try db.columns(of: "sources")
                let row = try PostgresStore.read(db, "sources", columns: cols, where: "id = ?", [.int(sid)]) { c, v in c == "id" ? .int(pgSource) : v }[0]
                if source == nil {
                    let marks = (1...cols.count).map { "$\($0)" }.joined(separator: ", ")
                    _ = try pg.pg.query("INSERT INTO sources (\(cols.joined(separator: ", "))) VALUES (\(marks))", row)
                } else {
                    let sets = cols.enumerated().filter { $0.element != "id" }.map { "\($0.element) = $\($0.offset + 1)" }
                    _ = try pg.pg.query("UPDATE sources SET \(sets.joined(separator: ", ")) WHERE id = $\(cols.firstIndex(of: "id")! + 1)", row)
                }
                for t in Self.tables {
                    let w = synced[t]!
                    let hasCP = t != "decode_issues"
                    // Rows changed since they were synced: the old row goes, the new one comes with the new rows.
                    let changed = try PostgresStore.read(db, "live_dirty", columns: ["id", "old_cp"], where: "tbl = ? AND id <= ?", [.text(t), .int(w)])
                    for part in stride(from: 0, to: changed.count, by: 500) {
                        let slice = changed[part..<min(changed.count, part + 500)]
                        var binds: [SQLValue] = []
                        var keys: [String] = []
                        for r in slice {
                            guard case .int(let id) = r[0] else { continue }
                            binds.append(.int(pgId(t, id)))
                            if hasCP { binds.append(r[1]); keys.append("($\(binds.count), $\(binds.count - 1))") } else { keys.append("$\(binds.count)") }
                        }
                        let condition = hasCP ? "(charge_point, id) IN (\(keys.joined(separator: ", ")))" : "id IN (\(keys.joined(separator: ", ")))"
                        _ = try pg.pg.query("DELETE FROM \(t) WHERE \(condition)", binds)
                    }
                    // Two reads, each by rowid (one with OR would scan the whole file at every commit).
                    let columns = try db.columns(of: t)
                    if !changed.isEmpty {
                        try pg.copyRows(db, t, columns: columns, where: "id IN (SELECT id FROM live_dirty WHERE tbl = ? AND id <= ?)",
                                        [.text(t), .int(w)], map: remap(t, source: pgSource))
                    }
                    try pg.copyRows(db, t, columns: columns, where: "id > ?", [.int(w)], map: remap(t, source: pgSource))
                }
                for r in try PostgresStore.read(db, "charge_points", columns: PostgresStore.factColumns, where: "1 = 1", []) {
                    guard case .text(let cp) = r[0], mergedFacts[cp] != r else { continue }
                    facts[cp] = r
                }
                try pg.mergeChargePoints(Array(facts.values))
            }
        } catch {
            ranges = before
            throw error
        }
        source = (sid, pgSource)
        for (t, m) in top { synced[t] = m }
        for (cp, r) in facts { mergedFacts[cp] = r; chargePoints.insert(cp) }
        syncedThrough = try db.scalarInt("SELECT last_us FROM sources WHERE id = ?", [.int(sid)])
        try db.execute("DELETE FROM live_dirty")
    }

    /// The last sync, after the SourceWriter's `finish`: tried three times,
    /// a few seconds apart, since losing it would leave the source `live`.
    public func finish(attempts: Int = 3) throws {
        var last: Error?
        for n in 0..<attempts {
            if n > 0 { Thread.sleep(forTimeInterval: Double(n) * 2) }
            do { try sync(); return } catch { last = error }
        }
        throw StoreError("PostgreSQL did not take the end of the live source (it holds it up to "
                         + (syncedThrough.map { Timestamp(microseconds: $0).iso8601 } ?? "its start") + "): \(last.map { "\($0)" } ?? "")")
    }

    private func remap(_ table: String, source pgSource: Int64) -> (String, SQLValue) -> SQLValue {
        { [self] column, v in
            guard case .int(let i) = v else { return v }
            switch column {
            case "id": return .int(pgId(table, i))
            case "source_id": return .int(pgSource)
            case "connection_id": return .int(pgId("connections", i))
            case "request_id": return .int(pgId("messages", i))
            default: return v
            }
        }
    }
}
