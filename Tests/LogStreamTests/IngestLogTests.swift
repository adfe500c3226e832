import Foundation
import Frames
import Ingest
import LogStream
import Store
import Testing

/// A generated log, end to end: `Ingester` → log reader → message decoder → SQLite.
@Suite("Ingesting logs")
struct IngestLogTests {
    /// A CSMS's JSON-lines log of `chargers` charge points, each booting and
    /// sending `beats` heartbeats, every CALL answered; the CSMS resets the
    /// first one (the charge point answers). Each line is written twice, as
    /// two components of the CSMS would.
    static func generate(chargers: Int, beats: Int) -> (String, messages: Int) {
        var lines: [String] = []
        var t = 1_681_560_000_000   // ms
        func line(_ cp: Int, _ dir: String, _ msg: String) {
            t += 137
            let iso = Timestamp(microseconds: Int64(t) * 1000).iso8601
            let escaped = msg.replacingOccurrences(of: "\"", with: "\\\"")
            let l = "{\"ts\":\"\(iso)\",\"chargeBoxId\":\"CP\(cp)\",\"dir\":\"\(dir)\",\"message\":\"\(escaped)\"}"
            lines.append(l)
            lines.append(l)
        }
        var count = 0
        for cp in 1...chargers {
            line(cp, "in", "[2,\"boot-\(cp)\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]")
            line(cp, "out", "[3,\"boot-\(cp)\",{\"status\":\"Accepted\",\"currentTime\":\"2023-04-15T12:00:00Z\",\"interval\":60}]")
            count += 2
        }
        for b in 0..<beats {
            for cp in 1...chargers {
                line(cp, "in", "[2,\"hb-\(cp)-\(b)\",\"Heartbeat\",{}]")
                line(cp, "out", "[3,\"hb-\(cp)-\(b)\",{\"currentTime\":\"2023-04-15T12:00:00Z\"}]")
                count += 2
            }
        }
        line(1, "out", "[2,\"reset-1\",\"Reset\",{\"type\":\"Soft\"}]")
        line(1, "in", "[3,\"reset-1\",{\"status\":\"Accepted\"}]")
        count += 2
        return (lines.joined(separator: "\n") + "\n", count)
    }

    static func count(_ store: Store, _ sql: String) throws -> Int {
        Int(try store.db.scalarInt(sql) ?? -1)
    }

    @Test func aGeneratedLogIsStoredOnceAndCorrelated() throws {
        let (text, expected) = IngestLogTests.generate(chargers: 5, beats: 20)
        let path = try LogFixture.write(text, name: "csms.jsonl")
        let db = LogFixture.tempPath("test.sqlite")
        defer {
            for p in [path, db, db + "-wal", db + "-shm"] { try? FileManager.default.removeItem(atPath: p) }
        }
        let store = try Store(path: db)
        let ingester = Ingester(store: store)
        let outcome = ingester.ingest(path: path)
        guard case .ingested(let summary, let end) = outcome else { Issue.record("not ingested: \(outcome)"); return }
        #expect(end.state == "complete")
        #expect(summary.messages == expected)
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM messages") == expected)
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM messages WHERE type = 'CALLRESULT' AND request_id IS NULL") == 0)
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM messages WHERE type = 'CALL' AND answer IS NOT 'result'") == 0)
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM messages WHERE action = 'Reset' AND direction = 'csms_to_cp'") == 1)
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM messages WHERE action = 'Reset' AND direction = 'cp_to_csms'") == 1)
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM connections WHERE identity_source = 'log'") == 5)
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM sources WHERE kind = 'log'") == 1)
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM charge_points WHERE ocpp_version = '1.6' AND vendor = 'V'") == 5)
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM decode_issues") == 0)
        // Hashed beside the decoding (no source of its size was stored), the digest is the file's.
        #expect(try store.db.scalarText("SELECT digest FROM sources") == FileDigest.sha256(path: path))
        // The same file again changes nothing.
        guard case .alreadyIngested = Ingester(store: store).ingest(path: path) else { Issue.record("second ingest stored again"); return }
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM messages") == expected)
    }

    @Test func aCompressedLogIsKindLogGz() throws {
        let (text, expected) = IngestLogTests.generate(chargers: 2, beats: 3)
        let path = try LogFixture.write(bytes: InputTests.gzip(Array(text.utf8)), name: "csms.log.gz")
        let db = LogFixture.tempPath("gz.sqlite")
        defer { for p in [path, db, db + "-wal", db + "-shm"] { try? FileManager.default.removeItem(atPath: p) } }
        let store = try Store(path: db)
        guard case .ingested(let summary, _) = Ingester(store: store).ingest(path: path) else { Issue.record("not ingested"); return }
        #expect(summary.messages == expected)
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM sources WHERE kind = 'log.gz'") == 1)
    }

    @Test func aFileThatIsNeitherFailsClearly() throws {
        let path = try LogFixture.write("just some text\nnothing else\n")
        let db = LogFixture.tempPath("none.sqlite")
        defer { for p in [path, db, db + "-wal", db + "-shm"] { try? FileManager.default.removeItem(atPath: p) } }
        let store = try Store(path: db)
        guard case .failed(let why) = Ingester(store: store).ingest(path: path) else { Issue.record("ingested nonsense"); return }
        #expect(why.contains("not a pcap or pcapng capture, nor a log with OCPP-J messages"))
        #expect(try IngestLogTests.count(store, "SELECT count(*) FROM sources") == 0)
    }
}
