import Foundation

/// The same named migrations as SQLite (`Schema.migrations`), translated to
/// PostgreSQL, so one history model lives in both engines.
///
/// Translation: integers are BIGINT, REAL is DOUBLE PRECISION, BLOB is
/// BYTEA. For Citus, a large table's primary key and unique constraints
/// include its `charge_point` (the distribution column): `id` stays unique
/// because ids are allocated in blocks (`id_blocks`), never reused.
/// The derived tables take their ids from a sequence, since the history of
/// one charge point is replaced whole and nothing refers to those ids.
enum PostgresSchema {
    /// Tables whose rows are copied with ids allocated by the writer (other rows refer to them).
    static let allocatedTables = ["sources", "connections", "messages", "decode_issues", "keepalives"]
    /// Tables the History stage derives, replaced per charge point.
    static let derivedTables = ["transactions", "meter_values", "status_intervals", "connectivity", "attempts"]
    /// Large tables that carry the charge point (distributed by it under Citus).
    static let chargePointTables = ["connections", "messages", "keepalives"] + derivedTables

    static func translate(_ sql: String) -> String {
        // Comments first: a column's trailing comment must not swallow the comma added after it.
        var s = sql.replacingOccurrences(of: #"--[^\n]*"#, with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\bINTEGER PRIMARY KEY\b"#, with: "BIGINT PRIMARY KEY", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\bINTEGER\b"#, with: "BIGINT", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\bREAL\b"#, with: "DOUBLE PRECISION", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\bBLOB\b"#, with: "BYTEA", options: .regularExpression)
        s = s.replacingOccurrences(of: "UNIQUE (source_id, local_id)", with: "UNIQUE (charge_point, source_id, local_id)")
        // Primary keys that include the charge point, for the tables distributed by it.
        for t in chargePointTables {
            let head = "CREATE TABLE \(t) ("
            guard let start = s.range(of: head) else { continue }
            let isDerived = derivedTables.contains(t)
            s = s.replacingOccurrences(of: "BIGINT PRIMARY KEY", with: isDerived ? "BIGINT NOT NULL DEFAULT nextval('derived_ids')" : "BIGINT NOT NULL",
                                       options: [], range: start.upperBound..<(s.range(of: ",", range: start.upperBound..<s.endIndex)?.upperBound ?? s.endIndex))
            // The table's closing ");" at the start of a line.
            if let end = s.range(of: "\n        );", range: start.upperBound..<s.endIndex) ?? s.range(of: "\n);", range: start.upperBound..<s.endIndex) {
                s.insert(contentsOf: ",\n            PRIMARY KEY (charge_point, id)", at: end.lowerBound)
            }
        }
        return s
    }

    /// SQLite's functions the documented queries use, defined in PostgreSQL
    /// with SQLite's results, so that each query is written once: `printf`
    /// with `%.Nf` (NULL formats as 0, as SQLite's does), `date` and
    /// `strftime` of Unix seconds (`'unixepoch'`; `date(t, 'unixepoch',
    /// 'weekday 0', '-6 days')` is the Monday of t's week), `json_extract` of a
    /// `$.a.b` path (as text), the aggregates `group_concat` and
    /// `json_group_object` in SQLite's compact form, and `sum`, `max` and `min`
    /// of booleans (SQLite's comparisons are 0 or 1).
    static let sqliteFunctions = #"""
        CREATE OR REPLACE FUNCTION printf(fmt text, v double precision) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
          SELECT round(coalesce(v, 0)::numeric, coalesce(substring(fmt from '%\.(\d+)f')::int, 6))::text $f$;
        CREATE OR REPLACE FUNCTION date(t double precision, modifier text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
          SELECT to_char(to_timestamp(t) AT TIME ZONE 'UTC', 'YYYY-MM-DD') $f$;
        CREATE OR REPLACE FUNCTION date(t double precision, modifier text, weekday text, back text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
          SELECT to_char(date_trunc('week', to_timestamp(t) AT TIME ZONE 'UTC'), 'YYYY-MM-DD') $f$;
        CREATE OR REPLACE FUNCTION strftime(fmt text, t double precision, modifier text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
          SELECT to_char(to_timestamp(t) AT TIME ZONE 'UTC',
                         replace(replace(replace(replace(replace(replace(fmt, '%Y', 'YYYY'), '%m', 'MM'), '%d', 'DD'), '%H', 'HH24'), '%M', 'MI'), '%S', 'SS')) $f$;
        CREATE OR REPLACE FUNCTION json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
          SELECT (doc::jsonb) #>> string_to_array(substr(path, 3), '.') $f$;
        CREATE OR REPLACE FUNCTION group_concat_step(acc text, v text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
          SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || ',' || v END $f$;
        DROP AGGREGATE IF EXISTS group_concat(text);
        CREATE AGGREGATE group_concat(text) (SFUNC = group_concat_step, STYPE = text);
        CREATE OR REPLACE FUNCTION bool_sum_step(acc bigint, v boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$
          SELECT CASE WHEN v IS NULL THEN acc ELSE coalesce(acc, 0) + CASE WHEN v THEN 1 ELSE 0 END END $f$;
        DROP AGGREGATE IF EXISTS sum(boolean);
        CREATE AGGREGATE sum(boolean) (SFUNC = bool_sum_step, STYPE = bigint);
        CREATE OR REPLACE FUNCTION bool_max_step(a boolean, b boolean) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $f$ SELECT a OR b $f$;
        CREATE OR REPLACE FUNCTION bool_min_step(a boolean, b boolean) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $f$ SELECT a AND b $f$;
        DROP AGGREGATE IF EXISTS max(boolean);
        CREATE AGGREGATE max(boolean) (SFUNC = bool_max_step, STYPE = boolean);
        DROP AGGREGATE IF EXISTS min(boolean);
        CREATE AGGREGATE min(boolean) (SFUNC = bool_min_step, STYPE = boolean);
        CREATE OR REPLACE FUNCTION json_group_object_step(acc text, k text, v anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
          SELECT coalesce(acc || ',', '') || to_json(k)::text || ':' || to_json(v)::text $f$;
        CREATE OR REPLACE FUNCTION json_group_object_final(acc text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
          SELECT '{' || coalesce(acc, '') || '}' $f$;
        DROP AGGREGATE IF EXISTS json_group_object(text, anyelement);
        CREATE AGGREGATE json_group_object(text, anyelement) (SFUNC = json_group_object_step, STYPE = text, FINALFUNC = json_group_object_final);
        """#

    /// Migrates a PostgreSQL store, under an advisory lock so that writers
    /// starting at once do not race to create the same tables.
    static func migrate(_ pg: PostgresDatabase) throws {
        try pg.transaction {
            _ = try pg.query("SELECT pg_advisory_xact_lock(7263001)", [])
            try pg.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_us BIGINT NOT NULL);
                CREATE TABLE IF NOT EXISTS id_blocks (name TEXT PRIMARY KEY, next BIGINT NOT NULL);
                CREATE SEQUENCE IF NOT EXISTS derived_ids;
                """)
            let done = Set(try pg.query("SELECT name FROM schema_migrations", []).rows.compactMap { r -> String? in
                if case .text(let t) = r[0] { return t }
                return nil
            })
            for m in Schema.migrations where !done.contains(m.name) {
                try pg.execute(translate(m.sql))
                _ = try pg.query("INSERT INTO schema_migrations(name, applied_us) VALUES ($1, $2)",
                                 [.text(m.name), .int(Int64(Date().timeIntervalSince1970 * 1_000_000))])
            }
            // Redefined on every migration run, so a newer ocppscope updates them.
            try pg.execute(sqliteFunctions)
        }
    }

    /// Reserves `count` consecutive ids of `table`, in a transaction of its
    /// own so that concurrent writers wait on each other only for a moment.
    /// A writer that dies leaves a gap, never a duplicate.
    static func allocate(_ pg: PostgresDatabase, table: String, count: Int64) throws -> Int64 {
        try pg.transaction {
            _ = try pg.query("""
                INSERT INTO id_blocks(name, next) VALUES ($1, 1 + coalesce((SELECT max(id) FROM \(table)), 0))
                ON CONFLICT (name) DO NOTHING
                """, [.text(table)])
            let r = try pg.query("UPDATE id_blocks SET next = next + $2 WHERE name = $1 RETURNING next - $2", [.text(table), .int(count)])
            guard case .int(let first)? = r.rows.first?.first else { throw StoreError("cannot allocate ids for \(table)") }
            return first
        }
    }
}
