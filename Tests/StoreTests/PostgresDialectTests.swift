import Foundation
@testable import Store
import Testing

/// What needs no server: URLs and passwords, and the SQL translation.
@Suite("PostgreSQL: URLs and dialect")
struct PostgresDialectTests {
    @Test func urlsAndPasswordsAsLibpqReadsThem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        try "# comment\nother:5432:*:ocpp:nope\ndb.example:5433:fleet:ocpp:from\\:pgpass\n*:*:*:*:fallback\n".write(toFile: dir, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try PostgresURL("postgresql://ocpp:s%40cret@db.example:5433/fleet?sslmode=require", environment: [:], passFile: dir)
        #expect(a.user == "ocpp" && a.password == "s@cret" && a.port == 5433 && a.database == "fleet" && a.tls == .require)
        #expect(a.description == "postgresql://ocpp@db.example:5433/fleet")   // never the password
        let b = try PostgresURL("postgresql://ocpp@db.example:5433/fleet", environment: ["PGPASSWORD": "env"], passFile: dir)
        #expect(b.password == "env" && b.tls == .prefer)
        let c = try PostgresURL("postgres://ocpp@db.example:5433/fleet", environment: [:], passFile: dir)
        #expect(c.password == "from:pgpass")
        let d = try PostgresURL("postgresql://x@localhost/y", environment: [:], passFile: dir)
        #expect(d.password == "fallback" && d.port == 5432)
        #expect(throws: PostgresURL.ParseError.self) { _ = try PostgresURL("fleet.sqlite") }
        #expect(throws: PostgresURL.ParseError.self) { _ = try PostgresURL("postgresql://x@h/db?sslmode=sometimes") }
        #expect(PostgresURL.isURL("postgresql://a@b/c") && !PostgresURL.isURL("ocppscope.sqlite"))
    }

    @Test func namedParametersBecomePositionalAndNullsLiteral() {
        let (sql, binds) = PostgresDialect.translate("SELECT x FROM t WHERE (:cp IS NULL OR cp = :cp) AND n > :n AND s = ':not' AND y::text = 'a'",
                                                    ["cp": .null, "n": .int(3)])
        #expect(sql == "SELECT x FROM t WHERE (NULL IS NULL OR cp = NULL) AND n > $1 AND s = ':not' AND y::text = 'a'")
        #expect(binds == [.int(3)])
    }

    @Test func largeIntegerLiteralsAreBigintAndNullsSortAsInSQLite() {
        let (sql, _) = PostgresDialect.translate("SELECT a * 60000000, 1.5, b2 FROM t ORDER BY a DESC, coalesce(b, 0), c", [:])
        #expect(sql == "SELECT a * 60000000::bigint, 1.5, b2 FROM t ORDER BY a DESC NULLS LAST, coalesce(b, 0) NULLS FIRST, c NULLS FIRST")
        let (w, _) = PostgresDialect.translate("SELECT lead(x) OVER (PARTITION BY p ORDER BY t) FROM q ORDER BY p LIMIT 3", [:])
        #expect(w == "SELECT lead(x) OVER (PARTITION BY p ORDER BY t NULLS FIRST) FROM q ORDER BY p NULLS FIRST LIMIT 3")
    }

    @Test func theSchemaTranslatesWithChargePointKeys() {
        let all = Schema.migrations.map { PostgresSchema.translate($0.sql) }.joined(separator: "\n")
        #expect(!all.contains("INTEGER") && !all.contains(" REAL") && !all.contains("BLOB"))
        #expect(all.contains("PRIMARY KEY (charge_point, id)"))
        #expect(all.contains("UNIQUE (charge_point, source_id, local_id)"))
        #expect(all.contains("nextval('derived_ids')"))
        #expect(PostgresDatabase.statements("CREATE TABLE a (x BIGINT); -- c\nCREATE INDEX i ON a(x);\n").count == 2)
        #expect(PostgresDatabase.copyText(.text("a\tb\\c\nd")) == "a\\tb\\\\c\\nd")
        #expect(PostgresDatabase.copyText(.null) == "\\N")
    }

    @Test func copyTextEscapesOnlyWhatCOPYNeeds() {
        #expect(PostgresDatabase.copyText(.text("{\"idTag\":\"Süd €\"}")) == "{\"idTag\":\"Süd €\"}")
        #expect(PostgresDatabase.copyText(.text("a\rb\u{0}c\\")) == "a\\rbc\\\\")
        #expect(PostgresDatabase.copyText(.text("")) == "")
        #expect(PostgresDatabase.copyText(.int(0)) == "0")
        #expect(PostgresDatabase.copyText(.int(-42)) == "-42")
        #expect(PostgresDatabase.copyText(.int(Int64.min)) == "-9223372036854775808")
        #expect(PostgresDatabase.copyText(.int(Int64.max)) == "9223372036854775807")
        #expect(PostgresDatabase.copyText(.double(1.5)) == "1.5")
        #expect(PostgresDatabase.copyText(.blob([0x00, 0xAB, 0x10])) == "\\\\x00ab10")
    }
}
