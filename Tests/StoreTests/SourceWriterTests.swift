import Foundation
import Frames
import OCPP
import Testing
@testable import Store

private func tempDB() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("ocppscope-test-\(UUID().uuidString).sqlite").path
}

private func source(_ digest: String) -> SourceDescription {
    SourceDescription(kind: "pcap", path: "/x/\(digest).pcap", size: 10, digest: digest, linkType: "Ethernet", toolVersion: "test")
}

/// Hands a SourceWriter all but some messages (by sequence), so that the
/// writer sees gaps in the numbering.
private final class DroppingSink: MessageSink {
    let writer: SourceWriter
    let dropped: Set<Int64>
    init(_ writer: SourceWriter, dropping dropped: Set<Int64>) {
        self.writer = writer
        self.dropped = dropped
    }
    func connectionOpened(_ connection: ConnectionInfo) { writer.connectionOpened(connection) }
    func connectionUpdated(_ connection: ConnectionInfo) { writer.connectionUpdated(connection) }
    func message(_ message: DecodedMessage) { if !dropped.contains(message.sequence) { writer.message(message) } }
    func outcome(_ outcome: CallOutcome) { writer.outcome(outcome) }
    func issue(_ issue: DecodeIssue) { writer.issue(issue) }
}

/// Drives a SourceWriter through a MessageDecoder, as the ingest does;
/// the messages numbered `dropping` do not reach the writer.
private func write(_ store: Store, digest: String, calls: Int, answerAfter: Int = 0, bulkLoad: Bool = false,
                   dropping: Set<Int64> = [],
                   whileWriting: () throws -> Void = {}, digestLater: (() throws -> String)? = nil) throws -> SourceSummary {
    let w = try SourceWriter(store: store, source: source(digest), ingestedAt: 1, bulkLoad: bulkLoad)
    w.digestLater = digestLater
    try whileWriting()
    let d = MessageDecoder(sink: dropping.isEmpty ? w : DroppingSink(w, dropping: dropping))
    var info = ConnectionInfo(id: 1, chargePoint: "CP1", identitySource: .urlPath, firstFrame: 1)
    info.subprotocol = "ocpp1.6"
    info.openedAt = Timestamp(microseconds: 1_000_000)
    d.connectionOpened(info)
    var pending: [Int] = []
    for i in 0..<calls {
        d.frame(OCPPFrame(text: Array(#"[2,"\#(i)","Heartbeat",{}]"#.utf8), time: Timestamp(microseconds: Int64(2_000_000 + i)),
                          direction: .chargePointToCSMS, connection: 1, frame: Int64(i + 1)))
        pending.append(i)
        if pending.count > answerAfter {
            let a = pending.removeFirst()
            d.frame(OCPPFrame(text: Array(#"[3,"\#(a)",{"currentTime":"2026-01-01T00:00:00Z"}]"#.utf8),
                              time: Timestamp(microseconds: Int64(2_000_500 + i)), direction: .csmsToChargePoint, connection: 1, frame: Int64(i + 1)))
        }
    }
    d.frame(OCPPFrame(text: Array(#"[2,"last","GetConfiguration",{}]"#.utf8), time: Timestamp(microseconds: 9_000_000),
                      direction: .csmsToChargePoint, connection: 1, frame: 99_999))
    info.ended = true
    info.closedHow = "end-of-data"
    d.connectionUpdated(info)
    return try w.finish(SourceEnd(state: "complete", detail: nil, packets: 100))
}

@Suite("Store")
struct SourceWriterTests {
    /// A digest learned at the end (the file hashed beside the decoding)
    /// replaces the placeholder in the source's row; one that another
    /// source has ends the write with AlreadyStored and keeps nothing of it,
    /// in a bulk load too (whose dropped indexes come back with the rollback).
    @Test func lateDigestIsStoredOrRefused() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        try store.db.execute("INSERT INTO sources(kind, path, size, digest, ingested_us, end_state) VALUES ('pcap', '/x/a.pcap', 10, 'a', 1, 'complete')")
        let indexes = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL"
        let allIndexes = try store.db.scalarInt(indexes)
        #expect(throws: SourceWriter.AlreadyStored.self) {
            _ = try write(store, digest: "hashing:1", calls: 5, bulkLoad: true, digestLater: { "a" })
        }
        #expect(try store.db.scalarInt("SELECT count(*) FROM sources") == 1)
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages") == 0)
        #expect(try store.db.scalarInt(indexes) == allIndexes)
        #expect(try store.db.scalarText("PRAGMA journal_mode") == "wal")

        _ = try write(store, digest: "hashing:2", calls: 3, bulkLoad: true, digestLater: { "b" })
        #expect(try store.db.scalarText("SELECT group_concat(digest, ' ') FROM (SELECT digest FROM sources ORDER BY id)") == "a b")
        let messages = try store.db.scalarInt("SELECT count(*) FROM messages")
        #expect(messages == 7)
        // Into a table that has messages: no bulk load, the same refusal.
        #expect(throws: SourceWriter.AlreadyStored.self) {
            _ = try write(store, digest: "hashing:3", calls: 5, digestLater: { "b" })
        }
        #expect(try store.db.scalarInt("SELECT count(*) FROM sources") == 2)
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages") == messages)
        // A digest that cannot be had (the file went away) fails the write the same way.
        struct Unreadable: Error {}
        #expect(throws: Unreadable.self) { _ = try write(store, digest: "hashing:4", calls: 1, digestLater: { throw Unreadable() }) }
        #expect(try store.db.scalarInt("SELECT count(*) FROM sources") == 2)
    }

    @Test func messagesAndAnswersAreStored() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        let s = try write(store, digest: "a", calls: 10)
        #expect(s.messages == 21)
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages WHERE answer = 'result'") == 10)
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages WHERE answer = 'open'") == 1)
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages WHERE type = 'CALLRESULT' AND action = 'Heartbeat' AND latency_us = 500") == 10)
        // Answers point at their calls.
        #expect(try store.db.scalarInt("""
            SELECT count(*) FROM messages r JOIN messages c ON c.id = r.request_id
            WHERE r.type = 'CALLRESULT' AND c.unique_id = r.unique_id AND c.type = 'CALL'
            """) == 10)
        #expect(try store.db.scalarInt("SELECT count(*) FROM connections WHERE charge_point = 'CP1' AND ocpp_version = '1.6'") == 1)
    }

    /// A message's id is the source's base plus its number, whether the
    /// writer inserts it in a statement of several rows numbered by SQLite
    /// or, where the numbers leave a gap, on its own with its id; answers
    /// point at their calls either way, in a bulk load and after one.
    @Test func messageIdsFollowTheirNumbersAcrossGaps() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        // Call i is message 2i + 1 and its answer 2i + 2 (answered at once).
        let dropped: Set<Int64> = [1, 6, 40, 41, 77, 150, 151, 152, 399]
        for (digest, bulk) in [("g1", true), ("g2", false)] {
            let base = try store.db.scalarInt("SELECT coalesce(max(id), 0) FROM messages")!
            _ = try write(store, digest: digest, calls: 200, bulkLoad: bulk, dropping: dropped)
            let source = try store.db.scalarInt("SELECT id FROM sources WHERE digest = ?", [.text(digest)])!
            #expect(try store.db.scalarInt("SELECT count(*) FROM messages WHERE source_id = ?", [.int(source)]) == 401 - Int64(dropped.count))
            let misplaced = try store.db.scalarInt("""
                SELECT count(*) FROM messages WHERE source_id = ? AND unique_id <> 'last'
                AND id <> ? + 2 * CAST(unique_id AS INTEGER) + (CASE type WHEN 'CALL' THEN 1 ELSE 2 END)
                """, [.int(source), .int(base)])
            #expect(misplaced == 0)
            #expect(try store.db.scalarInt("SELECT id FROM messages WHERE source_id = ? AND unique_id = 'last'", [.int(source)]) == base + 401)
            // Every answer kept points at its call where the call was kept (five
            // calls and three answers of kept calls are dropped).
            #expect(try store.db.scalarInt("""
                SELECT count(*) FROM messages r JOIN messages c ON c.id = r.request_id
                WHERE r.source_id = ? AND r.type = 'CALLRESULT' AND c.unique_id = r.unique_id AND c.type = 'CALL'
                """, [.int(source)]) == 200 - 5 - 3)
        }
    }

    @Test func answersToCallsAlreadyFlushedAreUpdated() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        // Every answer comes 3000 messages after its call: past the batch.
        _ = try write(store, digest: "b", calls: 5000, answerAfter: 3000)
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages WHERE type = 'CALL' AND answer = 'result'") == 2000)
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages WHERE type = 'CALL' AND answer = 'open'") == 3001)
    }

    @Test func theSameDigestIsFoundAndASecondSourceGetsFreshIds() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        _ = try write(store, digest: "c", calls: 3)
        #expect(try store.source(withDigest: "c") != nil)
        #expect(try store.source(withDigest: "d") == nil)
        _ = try write(store, digest: "d", calls: 3)
        #expect(try store.db.scalarInt("SELECT count(DISTINCT id) FROM messages") == 14)
        #expect(try store.db.scalarInt("SELECT count(*) FROM connections") == 2)
        // A digest is unique: the same source cannot be stored twice.
        #expect(throws: (any Error).self) { _ = try write(store, digest: "c", calls: 1) }
        #expect(try store.db.scalarInt("SELECT count(*) FROM sources") == 2)
    }

    @Test func anAbortedSourceLeavesNothing() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        let w = try SourceWriter(store: store, source: source("e"), ingestedAt: 1)
        w.connectionOpened(ConnectionInfo(id: 1, chargePoint: "CP9", identitySource: .urlPath, firstFrame: 1))
        w.issue(DecodeIssue(layer: .tcp, reason: "x", detail: "y", time: nil, frame: 1))
        w.abort()
        for table in ["sources", "connections", "decode_issues", "messages"] {
            #expect(try store.db.scalarInt("SELECT count(*) FROM \(table)") == 0)
        }
    }

    /// A file's source into an empty messages table is written under a
    /// rollback journal (pages once, not twice); the WAL is back afterwards,
    /// whatever the end, so that readers and the history's second
    /// connection can read while the next write goes on.
    @Test func aBulkLoadIntoAnEmptyTableUsesARollbackJournalThenTheWAL() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        func mode() throws -> String? { try store.db.scalarText("PRAGMA journal_mode") }
        func cache() throws -> Int64? { try store.db.scalarInt("PRAGMA cache_size") }
        #expect(try mode() == "wal")
        let own = try cache()
        let s = try write(store, digest: "f", calls: 50, bulkLoad: true) { () throws in
            #expect(try mode() == "delete")
            // No index to maintain: the small cache of a bulk load, given back at the end.
            #expect(try cache() == -Int64(SQLiteDatabase.smallCacheKiB))
        }
        #expect(s.messages == 101)
        #expect(try mode() == "wal")
        #expect(try cache() == own && own != -Int64(SQLiteDatabase.smallCacheKiB))
        // The table holds messages now: the next source stays in the WAL, its indexes kept row by row in the full cache.
        _ = try write(store, digest: "g", calls: 5, bulkLoad: true) { () throws in
            #expect(try mode() == "wal")
            #expect(try cache() == own)
        }
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages") == 101 + 11)
        #expect(try store.db.scalarText("PRAGMA integrity_check") == "ok")
        // Not a bulk load (a live capture, a followed log): the WAL throughout.
        let other = tempDB()
        defer { Store.removeFiles(atPath: other) }
        let live = try Store(path: other)
        _ = try write(live, digest: "h", calls: 5) { () throws in #expect(try live.db.scalarText("PRAGMA journal_mode") == "wal") }
    }

    @Test func anAbortedOrFailedBulkLoadLeavesNothingAndTheWAL() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        let w = try SourceWriter(store: store, source: source("i"), ingestedAt: 1, bulkLoad: true)
        #expect(try store.db.scalarText("PRAGMA journal_mode") == "delete")
        w.connectionOpened(ConnectionInfo(id: 1, chargePoint: "CP9", identitySource: .urlPath, firstFrame: 1))
        w.abort()
        #expect(try store.db.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try store.db.scalarInt("PRAGMA cache_size") == -32768)
        #expect(try store.db.scalarInt("SELECT count(*) FROM connections") == 0)
        // A digest already there fails at the source row, in the constructor.
        _ = try write(store, digest: "j", calls: 1)
        try store.db.execute("DELETE FROM messages")
        #expect(throws: (any Error).self) { _ = try write(store, digest: "j", calls: 1, bulkLoad: true) }
        #expect(try store.db.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try store.db.scalarInt("SELECT count(*) FROM sources") == 1)
    }

    /// While another connection has the file open, SQLite refuses to leave
    /// WAL mode: the source is then written in the WAL, as before.
    @Test func anotherOpenConnectionKeepsTheWAL() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        let reader = try Store(readOnly: path)
        #expect(try reader.db.scalarInt("SELECT count(*) FROM sources") == 0)
        let s = try write(store, digest: "k", calls: 20, bulkLoad: true) { () throws in
            #expect(try store.db.scalarText("PRAGMA journal_mode") == "wal")
        }
        #expect(s.messages == 41)
        #expect(try reader.db.scalarInt("SELECT count(*) FROM messages") == 41)
    }

    @Test func readOnlyOpeningRefusesAMissingOrForeignFile() throws {
        #expect(throws: StoreError.self) { _ = try Store(readOnly: "/nonexistent/x.sqlite") }
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let raw = try SQLiteDatabase(path: path)
        try raw.execute("CREATE TABLE t(x)")
        #expect(throws: StoreError.self) { _ = try Store(readOnly: path) }
    }

    @Test func messageFiltersAreBound() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        _ = try write(store, digest: "f", calls: 4)
        var n = 0
        try store.messages(MessageFilter(chargePoint: "CP1", action: "GetConfiguration")) { _ in n += 1 }
        #expect(n == 1)
        n = 0
        try store.messages(MessageFilter(chargePoint: "CP1' OR '1'='1")) { _ in n += 1 }
        #expect(n == 0)
        n = 0
        try store.messages(MessageFilter(since: Timestamp(microseconds: 2_000_002), until: Timestamp(microseconds: 9_000_000))) { _ in n += 1 }
        #expect(n == 6)  // calls 2 and 3 (at +2 and +3 µs) and all four answers (at +500…+503 µs)
    }

    /// Connections that end with no rows waiting in the batch (a refused
    /// upgrade, say) are let go of at once: the writer holds one at a time
    /// however many come and go, and the source counts them all.
    @Test func endedConnectionsWithoutRowsAreLetGoOfAtOnce() throws {
        let path = tempDB()
        defer { Store.removeFiles(atPath: path) }
        let store = try Store(path: path)
        let w = try SourceWriter(store: store, source: source("refused"), ingestedAt: 1, bulkLoad: true)
        var most = 0
        for id in 1...3000 {
            var c = ConnectionInfo(id: id, chargePoint: "CP\(id % 7)", identitySource: .urlPath, firstFrame: Int64(id))
            c.httpStatus = 401
            c.handshakeSeen = true
            c.openedAt = Timestamp(microseconds: Int64(id) * 1_000_000)
            w.connectionOpened(c)
            most = max(most, w.connectionsHeld)
            c.ended = true
            c.closedHow = "fin"
            w.connectionUpdated(c)
        }
        let s = try w.finish(SourceEnd(state: "complete", detail: nil, packets: 6000))
        #expect(most == 1)
        #expect(w.connectionsHeld == 0 && w.connectionsLetGo == 3000)
        #expect(s.connections == 3000 && s.withoutHandshake == 0)
        #expect(try store.db.scalarInt("SELECT count(*) FROM connections WHERE closed_how = 'fin'") == 3000)
    }

    /// A version inferred for a connection let go of long before the
    /// source's end still reaches its rows, its connection and its charge
    /// point, in connection order with the versions other connections gave,
    /// as when every connection was kept to the end.
    @Test func aVersionInferredBeforeTheEndIsStoredAsAtTheEnd() throws {
        func write(lettingGo: Bool) throws -> ([String], Int) {
            let path = tempDB()
            defer { Store.removeFiles(atPath: path) }
            let store = try Store(path: path)
            let w = try SourceWriter(store: store, source: source("v"), ingestedAt: 1, bulkLoad: true)
            w.letsGoOfEndedConnections = lettingGo
            let d = MessageDecoder(sink: w)
            // Connection 1 negotiated no subprotocol but sends StartTransaction (1.6);
            // connection 2, later, of the same charge point, negotiated 2.0.1.
            for (id, subprotocol, action) in [(1, nil, "StartTransaction"), (2, "ocpp2.0.1", "Heartbeat")] as [(Int, String?, String)] {
                var c = ConnectionInfo(id: id, chargePoint: "CPV", identitySource: .urlPath, firstFrame: Int64(id * 10))
                c.subprotocol = subprotocol
                c.handshakeSeen = true
                c.openedAt = Timestamp(microseconds: Int64(id) * 1_000_000)
                d.connectionOpened(c)
                d.frame(OCPPFrame(text: Array(#"[2,"a\#(id)","\#(action)",{}]"#.utf8), time: Timestamp(microseconds: Int64(id) * 1_000_000 + 5),
                                  direction: .chargePointToCSMS, connection: id, frame: Int64(id * 10 + 1)))
                c.ended = true
                c.closedHow = "fin"
                d.connectionUpdated(c)
            }
            _ = try w.finish(SourceEnd(state: "complete", detail: nil, packets: 30))
            var rows: [String] = []
            for q in ["SELECT id || ocpp_version || version_source FROM connections ORDER BY id",
                      "SELECT id || coalesce(ocpp_version, '-') FROM messages ORDER BY id",
                      "SELECT identity || ocpp_version FROM charge_points"] {
                let st = try store.db.prepare(q)
                while try st.step() { rows.append(st.text(0) ?? "NULL") }
            }
            return (rows, w.connectionsLetGo)
        }
        let (lean, letGo) = try write(lettingGo: true)
        let (whole, kept) = try write(lettingGo: false)
        #expect(letGo == 2 && kept == 0)
        #expect(lean == whole)
        #expect(lean.contains("11.6inferred from StartTransaction"))
        #expect(lean.contains("CPV1.6"))
    }
}
