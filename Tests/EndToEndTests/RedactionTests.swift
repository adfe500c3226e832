import Foundation
import Ingest
import OCPP
import Store
import Testing

/// `--redact`: id tags, tokens and serials never reach the database file.
@Suite("Privacy")
struct RedactionTests {
    @Test func noOriginalValueIsLeftInTheDatabaseFile() throws {
        let truth = try Fixture.truth("fleet-small.pcap")
        let tags = Set((truth["transactions"] as! [[String: Any]]).compactMap { $0["idTag"] as? String })
        let serials = Set((truth["chargePoints"] as! [[String: Any]]).compactMap { $0["serial"] as? String })
        #expect(tags.count > 3 && serials.count > 3)
        let keyFile = Fixture.tempPath(".key")
        try "0123456789abcdef0123456789abcdef\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
        let db = Fixture.tempPath(".sqlite")
        defer { for p in [keyFile, db, db + "-wal", db + "-shm"] { try? FileManager.default.removeItem(atPath: p) } }
        do {
            let store = try Store(path: db)
            let ingester = Ingester(store: store)
            ingester.redactor = try KeyedHash.redactor(keyFile: keyFile, scopes: [.ids, .serials])
            let outcome = ingester.ingest(path: Fixture.sample("fleet-small.pcap"))
            try ingester.rebuildHistory(after: [outcome])
            // Sessions of one driver still join: the same tag, the same hash.
            #expect(try store.db.scalarInt("SELECT count(DISTINCT id_token) FROM transactions") == Int64(tags.count))
            #expect(try store.db.scalarInt("SELECT count(*) FROM transactions WHERE id_token NOT LIKE 'h:%'") == 0)
            try store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        var bytes = Data()
        for p in [db, db + "-wal"] { if let d = FileManager.default.contents(atPath: p) { bytes.append(d) } }
        #expect(bytes.count > 100_000)
        for secret in tags.union(serials) {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) found in the database file")
        }
        #expect(throws: KeyedHash.KeyError.self) { _ = try KeyedHash.redactor(keyFile: "/nonexistent", scopes: [.ids]) }
    }

    @Test func theHashIsStableAndKeyed() throws {
        let k1 = Fixture.tempPath(".key"), k2 = Fixture.tempPath(".key")
        try "first-key-0123456789".write(toFile: k1, atomically: true, encoding: .utf8)
        try "second-key-0123456789".write(toFile: k2, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: k1); try? FileManager.default.removeItem(atPath: k2) }
        let a = try KeyedHash.redactor(keyFile: k1, scopes: [.ids]).hash
        let b = try KeyedHash.redactor(keyFile: k2, scopes: [.ids]).hash
        #expect(a("TAG1") == a("TAG1"))
        #expect(a("TAG1") != a("TAG2"))
        #expect(a("TAG1") != b("TAG1"))
        let r = try KeyedHash.redactor(keyFile: k1, scopes: [.ids])
        let (out, n) = r.redact(try JSONValue.parse(#"{"idTag":"TAG1","idTagInfo":{"status":"Accepted","parentIdTag":"P"},"idToken":{"idToken":"X","type":"ISO14443"},"chargePointSerialNumber":"S1"}"#))
        #expect(n == 3)
        #expect(out["idTag"]?.string == a("TAG1"))
        #expect(out["idToken"]?["type"]?.string == "ISO14443")
        #expect(out["chargePointSerialNumber"]?.string == "S1")   // serials only with --redact serials
    }
}
