import Foundation

/// The PostgreSQL store: many writers, one fleet-wide database, ready to be
/// distributed by charge point with Citus.
///
/// Why SQLite still does the work in front of it: an ingest decodes each
/// source into a private SQLite file (the same fast, tested path as
/// `--db FILE`), then moves the whole source into PostgreSQL in one
/// transaction with COPY. So a writer killed mid-source leaves nothing of it,
/// two writers given the same capture store it once (the `sources.digest`
/// unique key decides; the second waits for the first and skips), and ids
/// come from blocks each writer reserves (`id_blocks`), so rows never collide.
///
/// The history of a charge point is derived the same way: under an advisory
/// lock for that charge point, its connections, messages and pings are
/// staged into a SQLite file, the History stage runs there, and its derived
/// rows replace the old ones in one transaction. One derivation per charge
/// point at a time, and the same tables as a single writer.
public final class PostgresStore {
    public let pg: PostgresDatabase

    public init(url: PostgresURL) throws {
        pg = try PostgresDatabase(url: url)
        try PostgresSchema.migrate(pg)
    }

    public init(url: String) throws {
        pg = try PostgresDatabase(url: try PostgresURL(url))
        try PostgresSchema.migrate(pg)
    }

    /// The id of the source with this digest, if PostgreSQL has it.
    public func source(withDigest digest: String) throws -> Int64? {
        if case .int(let id)? = try pg.query("SELECT id FROM sources WHERE digest = $1", [.text(digest)]).rows.first?.first { return id }
        return nil
    }

    /// Every charge point with stored connections.
    public func chargePoints() throws -> [String] {
        try pg.query("SELECT DISTINCT charge_point FROM connections ORDER BY charge_point", []).rows.compactMap {
            if case .text(let t) = $0[0] { return t } else { return nil }
        }
    }

    /// Replaces the port map (`ports --load`), in one transaction.
    public func replacePortMap(_ entries: [PortMapEntry]) throws {
        try pg.transaction {
            _ = try pg.query("DELETE FROM port_map", [])
            try pg.copy(table: "port_map", columns: ["charge_point", "connector", "port", "location", "max_kw"],
                        rows: entries.map { [.text($0.chargePoint), .int(Int64($0.connector)), .text($0.port),
                                             $0.location.map { .text($0) } ?? .null, $0.maxKW.map { .double($0) } ?? .null] })
        }
    }

    /// Copies rows of a SQLite table into PostgreSQL, streamed: each row's
    /// columns go from SQLite's buffers into COPY's text (CopyText) without
    /// becoming values, a chunk of about 1 MiB at a time, so a source of a
    /// million messages is never all in memory. Integers pass through
    /// `map(column, value)` (ids renumbered on the way); other values as they
    /// are. `target`: the PostgreSQL table, when its name differs.
    func copyRows(_ db: SQLiteDatabase, _ table: String, into target: String? = nil, columns: [String], where clause: String, _ params: [SQLValue],
                  map: @escaping (String, SQLValue) -> SQLValue = { $1 }) throws {
        let s = try db.prepare("SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(clause) ORDER BY rowid")
        try s.bind(params)
        guard try s.step() else { return }   // nothing to copy: no COPY at all
        let n = Int32(columns.count)
        try pg.copy(table: target ?? table, columns: columns) { buf in
            repeat {
                for i in 0..<n {
                    if i > 0 { buf.writeInteger(UInt8(ascii: "\t")) }
                    CopyText.appendColumn(s, i, &buf) { v in
                        if case .int(let m) = map(columns[Int(i)], .int(v)) { return m } else { return v }
                    }
                }
                buf.writeInteger(UInt8(ascii: "\n"))
                guard try s.step() else { return false }
            } while buf.readableBytes < PostgresDatabase.copyChunk
            return true
        }
    }

    /// Reads rows of a SQLite table, each value passed through `map(column, value)`.
    static func read(_ db: SQLiteDatabase, _ table: String, columns: [String], where clause: String, _ params: [SQLValue],
                     map: (String, SQLValue) -> SQLValue = { $1 }) throws -> [[SQLValue]] {
        let s = try db.prepare("SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(clause) ORDER BY rowid")
        try s.bind(params)
        var out: [[SQLValue]] = []
        while try s.step() {
            out.append(columns.indices.map { i in map(columns[i], s.value(Int32(i))) })
        }
        return out
    }

    public struct SourceCopy: Sendable {
        public var path: String
        /// nil: already in PostgreSQL (same digest), nothing copied.
        public var id: Int64?
        public var chargePoints: [String]
        public var messages: Int
    }

    /// Copies every source of a SQLite store (`ids`: only these) into
    /// PostgreSQL, each whole in one transaction; sources already there are
    /// skipped. Charge points are merged as SQLite's ingest merges them.
    public func importSources(from sqlite: Store, ids: [Int64]? = nil) throws -> [SourceCopy] {
        let db = sqlite.db
        var sourceIds: [Int64] = []
        let s = try db.prepare("SELECT id FROM sources ORDER BY id")
        while try s.step() { sourceIds.append(s.int64(0)) }
        if let ids { sourceIds = sourceIds.filter(ids.contains) }
        var out: [SourceCopy] = []
        for id in sourceIds { out.append(try importSource(db, id)) }
        return out
    }

    private func importSource(_ db: SQLiteDatabase, _ sid: Int64) throws -> SourceCopy {
        let path = try db.scalarText("SELECT path FROM sources WHERE id = ?", [.int(sid)]) ?? "?"
        let digest = try db.scalarText("SELECT digest FROM sources WHERE id = ?", [.int(sid)]) ?? ""
        if try !pg.query("SELECT 1 FROM sources WHERE digest = $1", [.text(digest)]).rows.isEmpty {
            return SourceCopy(path: path, id: nil, chargePoints: [], messages: 0)
        }
        func count(_ table: String) throws -> Int64 { try db.scalarInt("SELECT count(*) FROM \(table) WHERE source_id = ?", [.int(sid)]) ?? 0 }
        func minId(_ table: String) throws -> Int64 { try db.scalarInt("SELECT min(id) FROM \(table) WHERE source_id = ?", [.int(sid)]) ?? 0 }
        // Ids in blocks, reserved before the copy: id in PostgreSQL = id in SQLite - min + block start.
        let newSource = try PostgresSchema.allocate(pg, table: "sources", count: 1)
        var shift: [String: Int64] = [:]
        for t in ["connections", "messages", "decode_issues", "keepalives"] {
            let n = try count(t)
            shift[t] = n == 0 ? 0 : try PostgresSchema.allocate(pg, table: t, count: n) - (try minId(t))
        }
        let conn = shift["connections"]!, msg = shift["messages"]!
        func remap(_ table: String) -> (String, SQLValue) -> SQLValue {
            { column, v in
                guard case .int(let i) = v else { return v }
                switch column {
                case "id": return .int(i + shift[table]!)
                case "source_id": return .int(newSource)
                case "connection_id": return .int(i + conn)
                case "request_id": return .int(i + msg)
                default: return v
                }
            }
        }
        let cps = try Self.read(db, "connections", columns: ["DISTINCT charge_point"], where: "source_id = ?", [.int(sid)])
            .compactMap { r -> String? in if case .text(let t) = r[0] { return t }; return nil }
        let copied: Bool = try pg.transaction {
            let sourceColumns = try db.columns(of: "sources")
            let row = try Self.read(db, "sources", columns: sourceColumns, where: "id = ?", [.int(sid)]) { c, v in c == "id" ? .int(newSource) : v }[0]
            let placeholders = (1...sourceColumns.count).map { "$\($0)" }.joined(separator: ", ")
            // The digest decides: a second writer of the same capture waits here for the first, then skips.
            let inserted = try pg.query("INSERT INTO sources (\(sourceColumns.joined(separator: ", "))) VALUES (\(placeholders)) "
                                        + "ON CONFLICT (digest) DO NOTHING RETURNING id", row)
            guard !inserted.rows.isEmpty else { return false }
            for t in ["connections", "messages", "decode_issues", "keepalives"] {
                let cols = try db.columns(of: t)
                try copyRows(db, t, columns: cols, where: "source_id = ?", [.int(sid)], map: remap(t))
            }
            try mergeChargePoints(from: db, cps)
            return true
        }
        let messages = Int(try count("messages"))
        return SourceCopy(path: path, id: copied ? newSource : nil, chargePoints: copied ? cps : [], messages: copied ? messages : 0)
    }

    /// The columns of `charge_points` a source learns (the rest is derived).
    static let factColumns = ["identity", "vendor", "model", "serial", "firmware", "ocpp_version",
                              "heartbeat_interval_s", "first_seen_us", "last_seen_us"]

    /// What a source learned of its charge points, merged as SQLite's ingest does.
    private func mergeChargePoints(from db: SQLiteDatabase, _ cps: [String]) throws {
        var rows: [[SQLValue]] = []
        for cp in cps {
            rows += try Self.read(db, "charge_points", columns: Self.factColumns, where: "identity = ?", [.text(cp)])
        }
        try mergeChargePoints(rows)
    }

    /// Merges rows of `factColumns` into `charge_points` with one statement
    /// (a live source merges thousands every few seconds): through a
    /// temporary table, as SQLite's ingest merges them. Call in a transaction.
    func mergeChargePoints(_ rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        let cols = Self.factColumns.joined(separator: ", ")
        _ = try pg.query("CREATE TEMPORARY TABLE IF NOT EXISTS merging_facts (LIKE charge_points) ON COMMIT DELETE ROWS", [])
        try pg.copy(table: "merging_facts", columns: Self.factColumns, rows: rows)
        _ = try pg.query("""
            INSERT INTO charge_points(\(cols)) SELECT \(cols) FROM merging_facts
            ON CONFLICT (identity) DO UPDATE SET
                vendor = coalesce(excluded.vendor, charge_points.vendor),
                model = coalesce(excluded.model, charge_points.model),
                serial = coalesce(excluded.serial, charge_points.serial),
                firmware = coalesce(excluded.firmware, charge_points.firmware),
                ocpp_version = coalesce(excluded.ocpp_version, charge_points.ocpp_version),
                heartbeat_interval_s = coalesce(excluded.heartbeat_interval_s, charge_points.heartbeat_interval_s),
                first_seen_us = least(charge_points.first_seen_us, excluded.first_seen_us),
                last_seen_us = greatest(charge_points.last_seen_us, excluded.last_seen_us)
            """, [])
        _ = try pg.query("DELETE FROM merging_facts", [])
    }

    /// Rebuilds the history of some charge points: under each one's advisory
    /// lock (taken in sorted order, so writers never deadlock), stage their
    /// rows into `staging` (a fresh SQLite store), let `derive` run the
    /// History stage there, and replace their derived rows in one transaction.
    /// Done for many charge points at once: one staging file and one COPY per
    /// table for a batch, not per charge point.
    public func rebuildHistory(_ chargePoints: [String], staging: Store, derive: (Store) throws -> Void) throws {
        let cps = Array(Set(chargePoints)).sorted()
        guard !cps.isEmpty else { return }
        let list = cps.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let binds = cps.map { SQLValue.text($0) }
        try pg.transaction {
            for cp in cps { _ = try pg.query("SELECT pg_advisory_xact_lock(7263002, hashtext($1))", [.text(cp)]) }
            try stage(list, binds, into: staging)
            try derive(staging)
            let db = staging.db
            for t in PostgresSchema.derivedTables {
                _ = try pg.query("DELETE FROM \(t) WHERE charge_point IN (\(list))", binds)
                let cols = try db.columns(of: t).filter { $0 != "id" }
                try copyRows(db, t, columns: cols, where: "1 = 1", [])
            }
            // The charge points' derived columns, in one statement through a temporary table (not a round trip each).
            let derived = ["clock_skew_s", "clock_samples", "boots", "sessions", "energy_wh"]
            _ = try pg.query("CREATE TEMPORARY TABLE IF NOT EXISTS derived_facts (LIKE charge_points) ON COMMIT DELETE ROWS", [])
            try copyRows(db, "charge_points", into: "derived_facts", columns: ["identity"] + derived, where: "1 = 1", [])
            _ = try pg.query("UPDATE charge_points c SET " + derived.map { "\($0) = d.\($0)" }.joined(separator: ", ")
                             + " FROM derived_facts d WHERE c.identity = d.identity", [])
            _ = try pg.query("DELETE FROM derived_facts", [])
        }
    }

    /// Copies what the History stage reads of some charge points from
    /// PostgreSQL into SQLite, ids kept (`list`: their `$n` placeholders).
    private func stage(_ list: String, _ cps: [SQLValue], into staging: Store) throws {
        let db = staging.db
        func pull(_ table: String, _ whereSQL: String, _ params: [SQLValue]) throws {
            let cols = try db.columns(of: table)
            let insert = try db.prepare("INSERT OR IGNORE INTO \(table) (\(cols.joined(separator: ", "))) VALUES (\(cols.map { _ in "?" }.joined(separator: ", ")))")
            // Streamed row by row: a batch of charge points can hold a million messages.
            try pg.query("SELECT \(cols.joined(separator: ", ")) FROM \(table) WHERE \(whereSQL)", params) { row in
                insert.reset()
                try insert.bind(row)
                try insert.run()
            }
        }
        try db.transaction {
            try pull("sources", "id IN (SELECT source_id FROM connections WHERE charge_point IN (\(list)))", cps)
            try pull("charge_points", "identity IN (\(list))", cps)
            try pull("connections", "charge_point IN (\(list))", cps)
            try pull("messages", "charge_point IN (\(list))", cps)
            try pull("keepalives", "charge_point IN (\(list))", cps)
            try pull("port_map", "charge_point IN (\(list))", cps)
        }
    }
}
