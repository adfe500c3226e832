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

    /// The definitions of the indexes of `messages`, by name.
    func messageIndexes(_ store: Store) throws -> [String: String] {
        var indexes: [String: String] = [:]
        try store.rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL") {
            indexes[$0.text("name")!] = $0.text("sql")!
        }
        return indexes
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

    /// Answers made slow (under a second, over one, over ten), found for
    /// every threshold as the query found them when it read every answer's
    /// latency (migration 007), and through the partial index of migration
    /// 010 for a threshold of a second or more.
    @Test func slowAnswersAreFoundThroughThePartialIndex() throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        for (n, latency) in [(3, 700_000), (4, 2_000_000), (5, 20_000_000)] {
            try store.db.execute("""
                UPDATE messages SET latency_us = \(latency)
                WHERE id IN (SELECT id FROM messages WHERE latency_us IS NOT NULL AND latency_us < 500000 ORDER BY id LIMIT \(n))
                """)
        }
        let sql = try #require(QueryCatalog.named("anomaly-unanswered-calls")).sql
        // The slow answers as the query read them before: one part, every answer's latency.
        let slowParts = try #require(sql.range(of: "UNION ALL\n-- Slow answers, for a threshold")?.lowerBound)
        let end = try #require(sql.range(of: "ORDER BY 1, 3;")?.lowerBound)
        let before = sql.replacingCharacters(in: slowParts..<end, with: """
            UNION ALL
            SELECT charge_point, NULL, time_us - latency_us, time_us,
                   'slow answer to ' || coalesce(action, '?') || ': ' || (latency_us / 1000) || ' ms (message ' || id || ')'
            FROM messages
            WHERE latency_us > coalesce(:max_ms, 10000) * 1000 AND (:cp IS NULL OR charge_point = :cp)

            """)
        // Each threshold, what it is in microseconds, and how many answers at least were made slower.
        for (maxMs, threshold, made): (SQLValue, Int64, Int) in [(.null, 10_000_000, 5), (.int(1000), 1_000_000, 9), (.int(1500), 1_500_000, 9),
                                                                 (.double(999.5), 999_500, 9), (.int(500), 500_000, 12)] {
            let slow = try Fixture.count(store, "SELECT count(*) FROM messages WHERE latency_us > ?", [.int(threshold)])
            #expect(slow >= made)
            for cp: SQLValue in [.null, .text("CP0001")] {
                let params: [String: SQLValue] = ["max_ms": maxMs, "include_open": .null, "cp": cp]
                let got = try rows(store, sql, params)
                #expect(got == (try rows(store, before, params)))
                if cp == .null { #expect(got.filter { $0.contains("slow answer") }.count == slow) }
            }
        }
        #expect(try plan(store, sql, ["max_ms": .null, "include_open": .null, "cp": .null]).contains("messages_slow_answers"))
    }

    @Test func callErrorRatesReadACoveringIndex() throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        let sql = try #require(QueryCatalog.named("anomaly-callerror-rates")).sql
        let params: [String: SQLValue] = ["min_rate": .null, "cp": .null]
        #expect(try plan(store, sql, params).contains("COVERING INDEX messages_action_time"))
        #expect(try !rows(store, sql, params).isEmpty)
    }

    /// A database whose migrations stopped at 009, with every answer's
    /// latency indexed (and that index left pending), opened again.
    @Test func anOlderDatabaseGetsTheIndexOfSlowAnswers() throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        try store.db.execute("""
            DROP INDEX messages_slow_answers;
            CREATE INDEX messages_latency ON messages(latency_us) WHERE latency_us IS NOT NULL;
            INSERT INTO pending_indexes(name, sql) VALUES ('messages_latency',
                'CREATE INDEX messages_latency ON messages(latency_us) WHERE latency_us IS NOT NULL');
            DELETE FROM schema_migrations WHERE name = '010-slow-answers';
            """)
        let reopened = try Store(path: db)
        let indexes = try messageIndexes(reopened)
        #expect(indexes["messages_latency"] == nil)
        #expect(indexes["messages_slow_answers"]?.contains("WHERE latency_us >= 1000000") == true)
        #expect(try Fixture.count(reopened, "SELECT count(*) FROM pending_indexes") == 0)
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
        let indexes = try messageIndexes(reopened)
        #expect(indexes["messages_calls"] == nil)
        #expect(indexes["messages_unanswered"]?.contains("WHERE type = 'CALL' AND answer IN ('none', 'open')") == true)
        #expect(indexes["messages_action_time"]?.contains("(action, time_us, type, answer, charge_point)") == true)
        #expect(try Fixture.count(reopened, "SELECT count(*) FROM pending_indexes") == 0)
    }
}
