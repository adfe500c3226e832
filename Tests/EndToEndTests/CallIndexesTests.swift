import Foundation
import Ingest
import Queries
import Store
import Testing

/// The indexes the calls' anomalies read by (migration 009): the queries
/// find their rows through them, give what the queries gave before, and a
/// database made before the migration gets them.
@Suite("Indexes of the calls' anomalies")
struct CallIndexesTests {
    func plan(_ store: Store, _ sql: String, _ params: [String: SQLValue]) throws -> String {
        var lines: [String] = []
        try store.rows("EXPLAIN QUERY PLAN " + sql, params) { lines.append($0.text("detail") ?? "") }
        return lines.joined(separator: "\n")
    }

    func rows(_ store: Store, _ sql: String, _ params: [String: SQLValue]) throws -> [String] {
        var out: [String] = []
        try store.rows(sql, params) { r in out.append(r.values.map { "\($0)" }.joined(separator: "|")) }
        return out
    }

    /// The sample, with some CALLs made unanswered both ways (`none`: the
    /// connection closed first; `open`: the data ended first).
    func sampleWithUnanswered() throws -> (Store, String) {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        for answer in ["none", "open"] {
            try store.db.execute("""
                UPDATE messages SET answer = '\(answer)'
                WHERE id IN (SELECT id FROM messages WHERE type = 'CALL' AND answer = 'result' ORDER BY id LIMIT 20)
                """)
        }
        return (store, db)
    }

    @Test func unansweredCallsAreFoundThroughThePartialIndex() throws {
        let (store, db) = try sampleWithUnanswered()
        defer { Store.removeFiles(atPath: db) }
        let sql = try #require(QueryCatalog.named("anomaly-unanswered-calls")).sql
        // The query as it was written for the index of migration 007.
        let before = sql.replacingOccurrences(
            of: "answer IN ('none', 'open') AND (answer = 'none' OR coalesce(:include_open, 0) = 1)",
            with: "answer IN ('none', CASE WHEN coalesce(:include_open, 0) = 1 THEN 'open' END)")
        #expect(before != sql)
        for open: SQLValue in [.null, .int(0), .int(1)] {
            for cp: SQLValue in [.null, .text("CP0001")] {
                let params: [String: SQLValue] = ["max_ms": .null, "include_open": open, "cp": cp]
                let got = try rows(store, sql, params)
                #expect(got == (try rows(store, before, params)))
                if cp == .null {
                    let expected = try Fixture.count(store, "SELECT count(*) FROM messages WHERE type = 'CALL' AND answer IN ('none', ?)",
                                                     [.text(open == .int(1) ? "open" : "none")])
                    #expect(got.filter { $0.contains("unanswered ") }.count == expected)
                    #expect(expected >= 20)
                }
                #expect(try plan(store, sql, params).contains("messages_unanswered"))
            }
        }
    }

    @Test func callErrorRatesReadACoveringIndex() throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        let sql = try #require(QueryCatalog.named("anomaly-callerror-rates")).sql
        let params: [String: SQLValue] = ["min_rate": .null, "cp": .null]
        #expect(try plan(store, sql, params).contains("COVERING INDEX messages_action_time"))
        #expect(try !rows(store, sql, params).isEmpty)
    }

    /// A database whose migrations stopped at 008, with the indexes of 007
    /// (one of them left pending by an interrupted ingest), opened again.
    @Test func anOlderDatabaseGetsTheNewIndexes() throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        try store.db.execute("""
            DROP INDEX messages_unanswered;
            DROP INDEX messages_action_time;
            CREATE INDEX messages_action_time ON messages(action, time_us);
            INSERT INTO pending_indexes(name, sql) VALUES ('messages_calls',
                'CREATE INDEX messages_calls ON messages(answer, action, charge_point, time_us) WHERE type = ''CALL''');
            DELETE FROM schema_migrations WHERE name = '009-narrower-call-indexes';
            """)
        let reopened = try Store(path: db)
        var indexes: [String: String] = [:]
        try reopened.rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL") {
            indexes[$0.text("name")!] = $0.text("sql")!
        }
        #expect(indexes["messages_calls"] == nil)
        #expect(indexes["messages_unanswered"]?.contains("WHERE type = 'CALL' AND answer IN ('none', 'open')") == true)
        #expect(indexes["messages_action_time"]?.contains("(action, time_us, type, answer, charge_point)") == true)
        #expect(try Fixture.count(reopened, "SELECT count(*) FROM pending_indexes") == 0)
    }
}
