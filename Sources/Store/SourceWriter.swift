import Frames
import OCPP

/// What an input is, for its row in `sources`.
public struct SourceDescription: Sendable {
    public var kind: String
    public var path: String
    public var size: Int64
    public var digest: String
    public var linkType: String?
    public var toolVersion: String

    public init(kind: String, path: String, size: Int64, digest: String, linkType: String?, toolVersion: String) {
        self.kind = kind
        self.path = path
        self.size = size
        self.digest = digest
        self.linkType = linkType
        self.toolVersion = toolVersion
    }
}

/// How reading a source ended.
public struct SourceEnd: Sendable {
    public var state: String   // complete | truncated | failed
    public var detail: String?
    public var packets: Int64
    /// The span the input covers (first and last packet or line), when it
    /// reaches beyond its first and last message.
    public var covers: (from: Int64, to: Int64)?
    public init(state: String, detail: String?, packets: Int64, covers: (from: Int64, to: Int64)? = nil) {
        self.state = state
        self.detail = detail
        self.packets = packets
        self.covers = covers
    }
}

/// Counts of one ingested source, for the summary.
public struct SourceSummary: Sendable {
    public var sourceId: Int64
    public var messagesByType: [String: Int] = [:]
    public var issuesByLayer: [String: Int] = [:]
    public var connections = 0
    public var chargePoints: Set<String> = []
    public var secretsMasked = 0
    public var unanswered = 0
    /// Connections first seen after their handshake.
    public var withoutHandshake = 0
    public var holes = 0
    public var holeBytes: UInt64 = 0
    public var bytesSeen: UInt64 = 0
    public var bytesDecoded: UInt64 = 0
    /// Connections whose identity or version was learned other than from the handshake.
    public var identitiesLearned = 0
    public var versionsInferred = 0
    public var messages: Int { messagesByType.values.reduce(0, +) }
    public var issues: Int { issuesByLayer.values.reduce(0, +) }
}

/// Writes one source into the store: everything in one transaction, so an
/// interrupted ingest leaves no half source (SQLite rolls it back), with
/// prepared statements reused for every row.
///
/// Messages are held in a small batch before insertion so that the answer
/// to a CALL, which usually arrives milliseconds later, can be written into
/// the CALL's row without an UPDATE.
public final class SourceWriter: MessageSink {
    private let db: SQLiteDatabase
    public let sourceId: Int64
    /// The messages table was empty when this source began (a bulk load without indexes).
    public var startedOnEmptyTable: Bool { messageBase == 0 }
    private let messageBase: Int64
    private let connectionBase: Int64
    private var open: [Int: ConnectionInfo] = [:]
    /// What each message row needs of its connection, kept apart from `open`
    /// so that a message copies two strings, not a whole ConnectionInfo (the
    /// copies were about 50 M instructions of the 10 MB benchmark ingest's
    /// writer thread).
    private struct RowFacts {
        var chargePoint: String
        /// `ConnectionInfo.ocppVersion`, computed once (it builds strings).
        var version: String?
        /// No subprotocol was negotiated: the version may be inferred.
        var unnegotiated: Bool
        /// The identity is the provisional client endpoint.
        var provisional: Bool
        /// The charge point's stream in `historySpill`.
        var spillStream: Int?
        /// The number of its latest message handed to the writer: whether
        /// some of its rows still wait in the batch when it ends.
        var lastMessage: Int64 = -1
    }
    private var rowFacts: [Int: RowFacts] = [:]
    private var facts: [String: ChargePointFacts] = [:]
    /// The summary's counts but the messages by type (`typeCounts`).
    private var counted: SourceSummary
    /// Messages by `MessageType.rawValue`: an array, not a String-keyed count per message.
    private var typeCounts = [Int](repeating: 0, count: 8)
    public var summary: SourceSummary {
        var s = counted
        for t in MessageType.allCases where typeCounts[t.rawValue] > 0 { s.messagesByType[t.name] = typeCounts[t.rawValue] }
        return s
    }
    private var firstTime: Int64?
    private var lastTime: Int64?
    /// The first write error; later rows are not attempted.
    private var failure: Error?

    /// Evidence of the OCPP version of connections without a subprotocol.
    private var inference: [Int: VersionInference] = [:]
    /// The serial number a connection's BootNotification gave.
    private var bootSerial: [Int: String] = [:]
    /// Sequence numbers of rows written before their connection's version
    /// was known, or under a provisional identity: the only rows that the
    /// end of the source may have to update (by primary key, so no index on
    /// connection_id is needed and no scan happens).
    private var unversionedRows: [Int: [Int64]] = [:]
    private var provisionalRows: [Int: [Int64]] = [:]
    /// What is kept of the connections let go of (SettledConnections).
    private var settled = SettledConnections()
    /// Open connections whose row is not written as it now stands: written
    /// at the next flush (before any commit) or at their end. Why not at
    /// every change: a connection changes three or four times (opened, its
    /// handshake answered, its client confirmed, ended), and each write of
    /// its row was an INSERT OR REPLACE of 34 columns and an index entry;
    /// with chargers that reconnect every two minutes that was most of the
    /// store writer's time (perf: 500 charge points, 24,948 connections).
    private var unwrittenConnections = Set<Int>()
    /// Connections that ended, with an identity of their own, while rows of
    /// theirs waited in the batch: let go of after the flush writes them.
    private var endedSinceFlush: [Int] = []
    /// Whether ended connections are let go of before the source's end (for
    /// tests, which compare the database with one written keeping them all).
    public var letsGoOfEndedConnections = true
    /// Connections held whole (for tests and notes: those ended and let go of are not).
    public var connectionsHeld: Int { open.count }
    /// Connections let go of so far.
    public var connectionsLetGo: Int { settled.count }
    /// The statements that settle a connection's version (`settleVersion`), prepared at first use.
    private var versionWrites: VersionWrites?
    private struct VersionWrites {
        let markSubprotocol: Statement
        let setVersion: Statement
        let versionMessages: Statement
    }

    /// Indexes of `messages` dropped for a bulk load, recreated by `finish`
    /// (not in a staging file, which nothing queries).
    private var deferredIndexes: [(String, String)] = []
    private let keepsIndexes: Bool
    /// When set, `finish` builds none of the dropped indexes and records
    /// them as pending (PendingIndexes), for the caller to build beside the
    /// history. A live capture's checkpoints build them all.
    public var leavesIndexesPending = false
    /// The index by (charge point, time): queries need it, and the history
    /// reads by it a charge point whose times go back in rowid order
    /// (HistorySpill). Built before the history only when some charge point
    /// is to be read by it (HistoryBuilder.rebuildBesidePendingIndexes).
    public static let historyIndex = "messages_cp_time"
    /// Indexes a bulk load keeps row by row instead of dropping them and
    /// building them after: `messages_time`, whose keys arrive in time order
    /// (each row goes to the index's last page, as to the table's), and
    /// `messages_unanswered` and `messages_slow_answers`, which hold only
    /// the few CALLs never answered and the few answers slower than a
    /// second (a build scans every row for them). Why: in the sqlite3 shell, the
    /// 250 MB benchmark capture's 831,015 rows loaded with the two kept
    /// took 0.24 s of CPU more than without, their two builds after 0.55 s
    /// (four interleaved pairs, 1.24-1.32 s against 1.50-1.60 s).
    static let keptDuringBulkLoad: Set<String> = ["messages_time", "messages_unanswered", "messages_slow_answers"]

    /// When set, every message row is also added to it as it is written, so
    /// that the history derived after the ingest need not read every row
    /// back (Ingester gathers one spill over all the ingest's sources).
    /// Rows whose charge point or version may still change before the
    /// commit leave their charge point to the index.
    public var historySpill: HistorySpill?

    /// The source's digest when it was not known at `init` (whose row then
    /// holds a unique placeholder): `finish` asks for it before the commit,
    /// the file having been hashed on another thread while it was decoded
    /// (Ingester.Digest; 250 MB capture: 0.2 s of SHA-256, no longer before
    /// the decoding, nor after it once no index is built there). Another source
    /// with that digest, found inside this write transaction, ends `finish`
    /// with `AlreadyStored` and nothing of this one is kept: the same
    /// guarantee as asking before, only later.
    public var digestLater: (() throws -> String)?

    /// The digest `digestLater` gave belongs to a source already stored.
    public struct AlreadyStored: Error, CustomStringConvertible {
        public var sourceId: Int64
        public var description: String { "the file is already stored as source \(sourceId)" }
    }

    /// Puts the late digest in the source's row, unless another source has it.
    private func settleDigest(_ digest: String) throws {
        if let other = try db.scalarInt("SELECT id FROM sources WHERE digest = ? AND id <> ?", [.text(digest), .int(sourceId)]) {
            throw AlreadyStored(sourceId: other)
        }
        let s = try db.prepare("UPDATE sources SET digest = ? WHERE id = ?")
        s.bind(1, digest)
        s.bind(2, sourceId)
        try s.run()
    }

    static func secondaryIndexes(_ db: SQLiteDatabase) throws -> [(String, String)] {
        var out: [(String, String)] = []
        let s = try db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY name")
        while try s.step() { if let n = s.text(0), let sql = s.text(1) { out.append((n, sql)) } }
        return out
    }

    private func recreateIndexes(allowingPending: Bool = false) throws {
        guard keepsIndexes, !deferredIndexes.isEmpty else { return }
        let pending = allowingPending && leavesIndexesPending
            ? try db.prepare("INSERT OR REPLACE INTO pending_indexes(name, sql) VALUES (?, ?)") : nil
        // Nothing else runs beside these builds.
        try db.buildingIndexes(sorterThreads: 1) {
            for (name, sql) in deferredIndexes {
                if let pending {
                    pending.bind(1, name)
                    pending.bind(2, sql)
                    try pending.run()
                } else {
                    try db.execute(sql)
                }
            }
        }
        deferredIndexes = []
    }

    /// The connection's cache size while a bulk load into an empty messages
    /// table runs with the small cache (SQLiteDatabase.withSmallCache),
    /// given back when the source ends.
    /// Why: with no index to maintain, the rows only append to the table's
    /// last pages, and a 32 MB cache only held pages written already. Three
    /// interleaved pairs of the 250 MB benchmark ingest: peak 100 MB to
    /// 82 MB (71 MB with the staged history's copy on the small cache too),
    /// the time the same. Into
    /// a table with rows, the six indexes are kept row by row, and the
    /// connection's cache stays as it is.
    private var cacheToRestore: Int64?

    private var batch: [DecodedMessage] = []
    private var batchAnswers: [String?] = []
    /// Messages held before they are written (and, at most, connections ended
    /// with rows among them that wait for the flush to be let go of).
    public static let batchSize = 2048

    private let insertMessage: Statement
    /// `rowsPerInsert` messages in one INSERT (see `flush`), their ids
    /// given by SQLite (see `flush` for why).
    private let insertMessageRows: Statement
    static let rowsPerInsert = 16
    static let messageColumns: Int32 = 18
    /// The largest id in the messages table: SQLite gives a row inserted
    /// without one this plus one.
    private var largestId: Int64

    /// An INSERT of `rows` messages; `withIds: false` leaves out the id
    /// column, so that SQLite numbers the rows.
    static func insertMessages(rows: Int, withIds: Bool = true) -> String {
        SQLiteDatabase.insert(into: "messages", columns: (withIds ? "id, " : "") + """
            source_id, connection_id, charge_point, time_us, direction, type, unique_id, action, payload, error_code,
            error_description, request_id, latency_us, answer, ocpp_version, frame, schema_errors
            """, count: Int(withIds ? messageColumns : messageColumns - 1), rows: rows)
    }

    private let insertIssue: Statement
    private let upsertConnection: Statement
    private let updateAnswer: Statement
    private let insertKeepAlive: Statement

    struct ChargePointFacts {
        var version: String?
        var station = StationDescription()
        var heartbeat: Int?
        var first: Int64
        var last: Int64

        mutating func saw(version: String?, at t: Int64) {
            if t < first { first = t }
            if t > last { last = t }
            if let version { self.version = version }
        }
    }

    /// Whether this source is written under a rollback journal, the WAL
    /// coming back at its end (see `init`).
    private var underRollbackJournal = false
    /// During a bulk load under a rollback journal: the file's pages go to
    /// disk as they are written, not all at the commit (see EarlyWriteback).
    private var writeback: EarlyWriteback?

    /// Starts a source: opens the write transaction and records the source row.
    ///
    /// `bulkLoad`: the source is written in one go (a file, not a live
    /// capture or a followed log, whose commits readers follow). Into a
    /// database whose messages table is empty (a new one, nearly always) it
    /// is then written under a rollback journal instead of the WAL, which
    /// comes back when the source ends. Why: in WAL mode every page is
    /// written twice, once into the WAL and again when the WAL is copied into
    /// the database after the commit (250 MB benchmark capture: the commit
    /// took 0.9 to 1.7 s, against 0.2 s). A rollback journal keeps only the
    /// pages that held data before, so into an empty table it writes next to
    /// nothing, and an interrupted ingest still leaves no half source. The
    /// switch happens only while no other connection has the file open
    /// (SQLite refuses it otherwise, and the WAL stays).
    public init(store: Store, source: SourceDescription, ingestedAt: Int64, bulkLoad: Bool = false) throws {
        db = store.db
        keepsIndexes = !store.isStaging
        if bulkLoad, try db.scalarInt("SELECT EXISTS (SELECT 1 FROM messages)") == 0 {
            underRollbackJournal = db.leaveWAL()
        }
        do {
            try db.execute("BEGIN IMMEDIATE")
        } catch {
            if underRollbackJournal { db.backToWAL() }
            throw error
        }
        if underRollbackJournal { writeback = EarlyWriteback(path: db.path) }
        do {
            let insertSource = try db.prepare("""
                INSERT INTO sources(kind, path, size, digest, ingested_us, link_type, end_state, tool_version)
                VALUES (?, ?, ?, ?, ?, ?, 'incomplete', ?)
                """)
            insertSource.bind(1, source.kind)
            insertSource.bind(2, source.path)
            insertSource.bind(3, source.size)
            insertSource.bind(4, source.digest)
            insertSource.bind(5, ingestedAt)
            insertSource.bind(6, source.linkType)
            insertSource.bind(7, source.toolVersion)
            try insertSource.run()
            sourceId = db.lastInsertRowid
            messageBase = try db.scalarInt("SELECT coalesce(max(id), 0) FROM messages")!
            largestId = messageBase
            connectionBase = try db.scalarInt("SELECT coalesce(max(id), 0) FROM connections")!
            // Into an empty messages table, rows go in faster without the
            // secondary indexes, which are built once at the end (sorting is
            // cheaper than maintaining their B-trees row by row), all but
            // those cheaper kept (keptDuringBulkLoad). Same
            // transaction: a reader never sees the table without them,
            // unless `leavesIndexesPending` (then queries are slower, not
            // wrong, until the pending indexes are built).
            if messageBase == 0 {
                deferredIndexes = try SourceWriter.secondaryIndexes(db).filter { !SourceWriter.keptDuringBulkLoad.contains($0.0) }
                for (name, _) in deferredIndexes { try db.execute("DROP INDEX \(name)") }
                cacheToRestore = try db.useSmallCache()
            }
            insertMessage = try db.prepare(SourceWriter.insertMessages(rows: 1))
            insertMessageRows = try db.prepare(SourceWriter.insertMessages(rows: SourceWriter.rowsPerInsert, withIds: false))
            insertIssue = try db.prepare("""
                INSERT INTO decode_issues(source_id, connection_id, layer, reason, detail, time_us, frame, raw)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            upsertConnection = try db.prepare("""
                INSERT OR REPLACE INTO connections(id, source_id, local_id, charge_point, identity_source, client_addr,
                    client_port, server_addr, server_port, request_path, subprotocol, ocpp_version, extensions, compressed,
                    handshake_seen, http_status, auth_user, opened_us, closed_us, closed_how, close_code, close_reason,
                    closed_by, first_frame, last_frame, bytes_seen_cp, bytes_seen_csms, bytes_decoded_cp,
                    bytes_decoded_csms, holes, hole_bytes, messages, pings, pongs)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            updateAnswer = try db.prepare("UPDATE messages SET answer = ? WHERE id = ?")
            insertKeepAlive = try db.prepare(
                "INSERT INTO keepalives(source_id, connection_id, charge_point, time_us, direction, kind) VALUES (?, ?, ?, ?, ?, ?)")
            for s in [insertMessage, insertIssue, upsertConnection, insertKeepAlive] { s.bindsTextFromOwnBuffer() }
            insertMessageRows.bindsTextFromOwnBuffer(capacity: 1 << 18)
        } catch {
            try? db.execute("ROLLBACK")
            if underRollbackJournal { db.backToWAL() }
            throw error
        }
        counted = SourceSummary(sourceId: sourceId)
    }

    // MARK: MessageSink

    public func connectionOpened(_ c: ConnectionInfo) {
        counted.connections += 1
        connectionUpdated(c)
    }

    public func connectionUpdated(_ c: ConnectionInfo) {
        guard failure == nil else { return }
        if let old = open[c.id], old.chargePoint != c.chargePoint, let rows = provisionalRows[c.id] {
            // Rows already written under the provisional identity follow the new one.
            attempt {
                let rename = try db.prepare("UPDATE messages SET charge_point = ? WHERE id = ?")
                for seq in rows {
                    rename.bind(1, c.chargePoint)
                    rename.bind(2, messageBase + seq)
                    try rename.run()
                }
            }
            if c.identitySource != .endpoint { provisionalRows[c.id] = nil }
            historySpill?.leaveToIndex(c.chargePoint)
        }
        open[c.id] = c
        rowFacts[c.id] = RowFacts(chargePoint: c.chargePoint, version: c.ocppVersion, unnegotiated: c.subprotocol == nil,
                                  provisional: c.identitySource == .endpoint, spillStream: historySpill?.stream(for: c.chargePoint),
                                  lastMessage: rowFacts[c.id]?.lastMessage ?? -1)
        counted.chargePoints.insert(c.chargePoint)
        if let t = c.openedAt?.microseconds { see(c.chargePoint, version: c.ocppVersion, at: t) }
        guard c.ended else {
            unwrittenConnections.insert(c.id)
            return
        }
        unwrittenConnections.remove(c.id)
        write(c)
        if c.identitySource != .endpoint, letsGoOfEndedConnections {
            // Its rows still in the batch are bound with what is kept of it: after the flush.
            if let first = batch.first?.sequence, (rowFacts[c.id]?.lastMessage ?? -1) >= first {
                endedSinceFlush.append(c.id)
            } else {
                letGoOf(c.id)
            }
        }
    }

    /// Writes the connection's row, or its newer state over the old one.
    private func write(_ c: ConnectionInfo) {
        let s = upsertConnection
        s.bind(1, connectionBase + Int64(c.id))
        s.bind(2, sourceId)
        s.bind(3, Int64(c.id))
        s.bind(4, c.chargePoint)
        s.bind(5, c.identitySource.rawValue)
        s.bind(6, c.clientAddress)
        s.bind(7, c.clientPort)
        s.bind(8, c.serverAddress)
        s.bind(9, c.serverPort)
        s.bind(10, c.requestPath)
        s.bind(11, c.subprotocol)
        s.bind(12, c.ocppVersion)
        s.bind(13, c.extensions)
        s.bind(14, Int64(c.compressed ? 1 : 0))
        s.bind(15, Int64(c.handshakeSeen ? 1 : 0))
        s.bind(16, c.httpStatus)
        s.bind(17, c.authUser)
        s.bind(18, c.openedAt?.microseconds)
        s.bind(19, c.closedAt?.microseconds)
        s.bind(20, c.closedHow)
        s.bind(21, c.closeCode)
        s.bind(22, c.closeReason)
        s.bind(23, c.closedBy?.wireName)
        s.bind(24, c.firstFrame)
        s.bind(25, c.lastFrame)
        s.bind(26, Int64(c.stats.bytesSeen.0))
        s.bind(27, Int64(c.stats.bytesSeen.1))
        s.bind(28, Int64(c.stats.bytesDecoded.0))
        s.bind(29, Int64(c.stats.bytesDecoded.1))
        s.bind(30, Int64(c.stats.holes))
        s.bind(31, Int64(c.stats.holeBytes))
        s.bind(32, Int64(c.stats.messages))
        s.bind(33, Int64(c.stats.pings))
        s.bind(34, Int64(c.stats.pongs))
        attempt { try s.run() }
    }

    public func message(_ m: consuming DecodedMessage) {
        guard failure == nil else { return }
        if batch.count >= SourceWriter.batchSize { flush() }
        typeCounts[m.message.type.rawValue] += 1
        if let v = m.schemaViolations, !v.isEmpty {
            let what = "\(m.action ?? "?") \(m.message.type == .callResult ? "response" : "request")"
            issue(DecodeIssue(layer: .schema, reason: "schema-violation",
                              detail: "\(what) breaks the OCPP \(rowFacts[m.frame.connection]?.version ?? "?") schema: "
                                + v.map { "\($0.path.isEmpty ? "/" : $0.path) \($0.kind.rawValue): \($0.message)" }.joined(separator: "; "),
                              time: m.frame.time, frame: m.frame.frame, connection: m.frame.connection))
        }
        counted.secretsMasked += m.secretsMasked
        let t = m.frame.time.microseconds
        if firstTime == nil || t < firstTime! { firstTime = t }
        if lastTime == nil || t > lastTime! { lastTime = t }
        let conn = m.frame.connection
        if let i = rowFacts.index(forKey: conn) {
            // In place, through the one lookup.
            rowFacts.values[i].lastMessage = m.sequence
            let c = rowFacts.values[i]
            see(c.chargePoint, version: c.version, at: t)
            if m.action == "BootNotification", m.message.type == .call || m.message.type == .callResult {
                learnBoot(m, chargePoint: c.chargePoint)
            }
            if c.unnegotiated, let action = m.action {
                m.frame.text.withUnsafeBytes { text in
                    inference[conn, default: VersionInference()].observe(action: action, type: m.message.type,
                                                                         payload: UnsafeRawBufferPointer(rebasing: text[m.message.payload]))
                }
            }
        }
        // Last, so that the message moves into the batch rather than being copied.
        batch.append(m)
        batchAnswers.append(nil)
    }

    public func outcome(_ o: CallOutcome) {
        guard failure == nil else { return }
        let sequence: Int64
        let answer: String
        switch o {
        case .answered(let call, let by, _):
            sequence = call
            answer = by == .callError ? "error" : "result"
        case .unanswered(let call, let reason):
            sequence = call
            answer = reason == "end-of-data" ? "open" : "none"
            counted.unanswered += 1
        }
        if let first = batch.first?.sequence, sequence >= first, Int(sequence - first) < batch.count {
            batchAnswers[Int(sequence - first)] = answer
        } else {
            updateAnswer.bind(1, answer)
            updateAnswer.bind(2, messageBase + sequence)
            attempt { try updateAnswer.run() }
        }
    }

    public func keepAlive(_ k: KeepAlive) {
        guard failure == nil, let c = rowFacts[k.connection] else { return }
        let s = insertKeepAlive
        s.bind(1, sourceId)
        s.bind(2, connectionBase + Int64(k.connection))
        s.bind(3, c.chargePoint)
        s.bind(4, k.time.microseconds)
        s.bind(5, k.direction.wireName)
        s.bind(6, k.kind)
        attempt { try s.run() }
        if k.direction == .chargePointToCSMS { see(c.chargePoint, version: c.version, at: k.time.microseconds) }
    }

    public func issue(_ i: DecodeIssue) {
        guard failure == nil else { return }
        counted.issuesByLayer[i.layer.rawValue, default: 0] += 1
        let s = insertIssue
        s.bind(1, sourceId)
        s.bind(2, i.connection.map { connectionBase + Int64($0) })
        s.bind(3, i.layer.rawValue)
        s.bind(4, i.reason)
        s.bind(5, i.detail)
        s.bind(6, i.time?.microseconds)
        s.bind(7, i.frame)
        s.bindBlob(8, i.raw)
        attempt { try s.run() }
    }

    // MARK: Writing

    private func attempt(_ body: () throws -> Void) {
        do { try body() } catch { if failure == nil { failure = error } }
    }

    /// Writes the batch, `rowsPerInsert` rows to an INSERT and the rest one
    /// by one. Why several rows a statement: each execution of an INSERT
    /// opens its cursor and finds the end of the table from the root, and
    /// SQLite's per-statement work is shared by the rows.
    ///
    /// Why SQLite numbers the rows of a several-row INSERT: given an
    /// INTEGER PRIMARY KEY, SQLite checks it is an integer, a check that
    /// could abort the statement half-way, so it opens a statement journal
    /// for every execution and copies into it the table's last page, 16 KiB
    /// per execution (250 MB benchmark capture: 1.36 GB written to a
    /// temporary file in 166,672 writes). Rows numbered by SQLite get the
    /// largest id plus one, in order: the same ids, when the rows' own
    /// follow on from the largest without a gap, as a source's messages do
    /// (`messageBase` plus their sequence). Rows that do not are inserted
    /// one by one with their ids, and a numbering that came out otherwise
    /// fails the source.
    private func flush() {
        let n = SourceWriter.rowsPerInsert
        let columns = SourceWriter.messageColumns - 1
        var k = 0
        func followsOn(_ k: Int, in rows: UnsafeBufferPointer<DecodedMessage>) -> Bool {
            guard messageBase + rows[k].sequence == largestId + 1 else { return false }
            for r in 1..<n where rows[k + r].sequence != rows[k + r - 1].sequence + 1 { return false }
            return true
        }
        // Each message bound where it lies in the batch, through a pointer:
        // given as a value, even borrowed, every one was copied out (its
        // strings and buffers retained and released: perf, a fifth of the
        // writer thread's retains).
        batch.withUnsafeBufferPointer { rows in
            while k < rows.count, failure == nil {
                if rows.count - k >= n, followsOn(k, in: rows) {
                    for r in 0..<n {
                        bind(rows.baseAddress! + k + r, answer: batchAnswers[k + r], to: insertMessageRows, at: Int32(r) * columns, withId: false)
                    }
                    attempt { try insertMessageRows.run() }
                    let last = messageBase + rows[k + n - 1].sequence
                    if failure == nil, db.lastInsertRowid != last {
                        failure = StoreError("messages were numbered \(db.lastInsertRowid), not \(last): the source is not stored")
                    }
                    largestId = last
                    k += n
                } else {
                    bind(rows.baseAddress! + k, answer: batchAnswers[k], to: insertMessage, at: 0, withId: true)
                    attempt { try insertMessage.run() }
                    largestId = max(largestId, messageBase + rows[k].sequence)
                    k += 1
                }
            }
        }
        batch.removeAll(keepingCapacity: true)
        batchAnswers.removeAll(keepingCapacity: true)
        for id in unwrittenConnections.sorted() { if let c = open[id] { write(c) } }
        unwrittenConnections.removeAll(keepingCapacity: true)
        for id in endedSinceFlush { letGoOf(id) }
        endedSinceFlush.removeAll(keepingCapacity: true)
    }

    /// Lets go of a connection that ended with an identity of its own, once
    /// its rows are written: nothing more comes of it (ConnectionInfo.ended),
    /// and its version is settled here as the source's end would settle it.
    /// Only what that end still needs of it stays (SettledConnections).
    private func letGoOf(_ id: Int) {
        guard failure == nil, let c = open[id], c.ended, c.identitySource != .endpoint else { return }
        var inferred: String?
        attempt { inferred = try settleVersion(of: id, c) }
        settled.add(c, inferredVersion: inferred)
        open[id] = nil
        rowFacts[id] = nil
        inference[id] = nil
        bootSerial[id] = nil
        unversionedRows[id] = nil
        provisionalRows[id] = nil
    }

    /// Settles the stored version of connection `id`: `subprotocol` when it
    /// negotiated one; else the one its actions and payloads show, which its
    /// rows written without a version get too. Returns the version inferred.
    private func settleVersion(of id: Int, _ c: ConnectionInfo) throws -> String? {
        let w: VersionWrites
        if let v = versionWrites { w = v } else {
            w = VersionWrites(
                markSubprotocol: try db.prepare("UPDATE connections SET version_source = 'subprotocol' WHERE id = ?"),
                setVersion: try db.prepare("UPDATE connections SET ocpp_version = ?, version_source = ? WHERE id = ?"),
                versionMessages: try db.prepare("UPDATE messages SET ocpp_version = ? WHERE id = ?"))
            versionWrites = w
        }
        let dbId = connectionBase + Int64(id)
        if c.ocppVersion != nil {
            w.markSubprotocol.bind(1, dbId)
            try w.markSubprotocol.run()
            return nil
        }
        guard let inf = inference[id], let v = inf.version else { return nil }
        counted.versionsInferred += 1
        w.setVersion.bind(1, v)
        w.setVersion.bind(2, "inferred from \(inf.evidence ?? "messages")")
        w.setVersion.bind(3, dbId)
        try w.setVersion.run()
        for seq in unversionedRows[id] ?? [] {
            w.versionMessages.bind(1, v)
            w.versionMessages.bind(2, messageBase + seq)
            try w.versionMessages.run()
        }
        return v
    }

    /// Binds one message row to parameters `base + 1` to `base + 18`, or
    /// without its id to `base + 1` to `base + 17`.
    private func bind(_ row: UnsafePointer<DecodedMessage>, answer: String?, to s: Statement, at first: Int32, withId: Bool) {
        let conn = row.pointee.frame.connection
        let c = rowFacts[conn]
        let base = withId ? first : first - 1
        if withId { s.bind(base + 1, messageBase + row.pointee.sequence) }
        s.bind(base + 2, sourceId)
        s.bind(base + 3, connectionBase + Int64(conn))
        s.bind(base + 4, c?.chargePoint ?? "")
        s.bind(base + 5, row.pointee.frame.time.microseconds)
        s.bind(base + 6, row.pointee.frame.direction.wireName)
        s.bind(base + 7, row.pointee.message.type.name)
        // Stored properties only: through DecodedMessage's computed ones
        // (another module's), every row was copied out and destroyed.
        if let id = row.pointee.message.unusualUniqueId { s.bind(base + 8, id) } else {
            s.bindText(base + 8, row.pointee.frame.text[row.pointee.message.uniqueIdRange])
        }
        s.bind(base + 9, row.pointee.action)
        // In place: the batch holds the frame until the statement has run.
        if row.pointee.message.payload.isEmpty { s.bind(base + 10, "{}") } else {
            s.bindTextInPlace(base + 10, row.pointee.frame.text[row.pointee.message.payload])
        }
        s.bind(base + 11, row.pointee.message.errorCode)
        s.bind(base + 12, row.pointee.message.errorDescription)
        s.bind(base + 13, row.pointee.request.map { messageBase + $0 })
        s.bind(base + 14, row.pointee.latency)
        s.bind(base + 15, row.pointee.message.type == .call ? answer : nil)
        var version = c?.version
        if version == nil, c?.unnegotiated ?? true, let v = inference[conn]?.version { version = v }
        if version == nil { unversionedRows[conn, default: []].append(row.pointee.sequence) }
        if c?.provisional == true { provisionalRows[conn, default: []].append(row.pointee.sequence) }
        s.bind(base + 16, version)
        s.bind(base + 17, row.pointee.frame.frame)
        s.bind(base + 18, row.pointee.schemaViolations.map { Int64($0.count) })
        if let spill = historySpill { gather(row, connection: conn, facts: c, version: version, into: spill) }
    }

    /// Adds the row just bound to the history's spill, as it is stored.
    private func gather(_ row: UnsafePointer<DecodedMessage>, connection conn: Int, facts c: RowFacts?, version: String?,
                        into spill: HistorySpill) {
        guard let c, let stream = c.spillStream else {
            spill.leaveToIndex("")
            return
        }
        // Its version or identity is settled at the end of the source (resolveIdentitiesAndVersions).
        if version == nil || c.provisional {
            spill.leaveToIndex(stream: stream)
            return
        }
        let fields = SpillRecord.Fields(id: messageBase + row.pointee.sequence, time: row.pointee.frame.time.microseconds,
                                        connection: connectionBase + Int64(conn),
                                        request: row.pointee.request.map { messageBase + $0 } ?? SpillRecord.noRequest,
                                        direction: row.pointee.frame.direction, type: row.pointee.message.type)
        func add(_ payload: UnsafeRawBufferPointer) {
            spill.gather(to: stream, fields, action: row.pointee.action, errorCode: row.pointee.message.errorCode,
                         version: version, payload: payload)
        }
        if row.pointee.message.payload.isEmpty {
            SourceWriter.emptyPayload.withUnsafeBytes { add($0) }
        } else {
            row.pointee.frame.text[row.pointee.message.payload].withUnsafeBytes { add($0) }
        }
    }

    /// What a message without a payload stores as its payload.
    private static let emptyPayload: [UInt8] = Array("{}".utf8)

    /// Updated in place: copying the facts out and back (their strings
    /// retained and released) for every message was 51 M instructions of
    /// the 10 MB benchmark ingest's writer thread.
    private func see(_ cp: String, version: String?, at t: Int64) {
        facts[cp, default: ChargePointFacts(version: nil, first: t, last: t)].saw(version: version, at: t)
    }

    private func learnBoot(_ m: DecodedMessage, chargePoint: String) {
        guard let payload = try? JSONValue.parse(Array(m.payloadBytes)) else { return }
        var f = facts[chargePoint]!
        if m.message.type == .call {
            let d = StationDescription(bootNotification: payload)
            if let serial = d.serial { bootSerial[m.frame.connection] = serial }
            f.station = StationDescription(vendor: d.vendor ?? f.station.vendor, model: d.model ?? f.station.model,
                                           serial: d.serial ?? f.station.serial, firmware: d.firmware ?? f.station.firmware)
        } else if let interval = StationDescription.heartbeatInterval(bootNotificationResult: payload) {
            f.heartbeat = interval
        }
        facts[chargePoint] = f
    }

    /// Writes what is left, the charge points and the source's counts, and
    /// commits. Nothing of the source is visible to readers before this.
    public func finish(_ end: SourceEnd) throws -> SourceSummary {
        flush()
        defer { restoreConnectionSettings() }
        if let failure {
            try? db.execute("ROLLBACK")
            throw failure
        }
        do {
            try recreateIndexes(allowingPending: true)
            PhaseClock.mark("indexes")
            if let digestLater {
                try settleDigest(digestLater())
                PhaseClock.mark("digest")
            }
            try resolveIdentitiesAndVersions()
            counted.chargePoints = Set(facts.keys)
            var totals = settled.totals
            for c in open.values { totals.add(c) }
            totals.add(to: &counted)
            try writeChargePointsAndCounts(end)
            PhaseClock.mark("identities+counts")
            writeback?.stop()
            try db.execute("COMMIT")
            PhaseClock.mark("commit")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
        return summary
    }


    /// Upserts what this source learned of its charge points and records the
    /// source's counts so far.
    private func writeChargePointsAndCounts(_ end: SourceEnd) throws {
        let cp = try db.prepare("""
            INSERT INTO charge_points(identity, vendor, model, serial, firmware, ocpp_version, heartbeat_interval_s,
                first_seen_us, last_seen_us)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(identity) DO UPDATE SET
                vendor = coalesce(excluded.vendor, vendor),
                model = coalesce(excluded.model, model),
                serial = coalesce(excluded.serial, serial),
                firmware = coalesce(excluded.firmware, firmware),
                ocpp_version = coalesce(excluded.ocpp_version, ocpp_version),
                heartbeat_interval_s = coalesce(excluded.heartbeat_interval_s, heartbeat_interval_s),
                first_seen_us = min(coalesce(first_seen_us, excluded.first_seen_us), excluded.first_seen_us),
                last_seen_us = max(coalesce(last_seen_us, excluded.last_seen_us), excluded.last_seen_us)
            """)
        for (id, f) in facts.sorted(by: { $0.key < $1.key }) {
            cp.bind(1, id)
            cp.bind(2, f.station.vendor)
            cp.bind(3, f.station.model)
            cp.bind(4, f.station.serial)
            cp.bind(5, f.station.firmware)
            cp.bind(6, f.version)
            cp.bind(7, f.heartbeat)
            cp.bind(8, f.first)
            cp.bind(9, f.last)
            try cp.run()
        }
        let up = try db.prepare("""
            UPDATE sources SET packets = ?, connections = ?, messages = ?, decode_issues = ?, secrets_masked = ?,
                first_us = ?, last_us = ?, end_state = ?, end_detail = ? WHERE id = ?
            """)
        up.bind(1, end.packets)
        up.bind(2, Int64(summary.connections))
        up.bind(3, Int64(summary.messages))
        up.bind(4, Int64(summary.issues))
        up.bind(5, Int64(summary.secretsMasked))
        var first = firstTime, last = lastTime
        if let c = end.covers {
            first = min(first ?? c.from, c.from)
            last = max(last ?? c.to, c.to)
        }
        up.bind(6, first)
        up.bind(7, last)
        up.bind(8, end.state)
        up.bind(9, end.detail)
        up.bind(10, sourceId)
        try up.run()
    }

    /// Makes everything so far visible to readers (a live capture commits
    /// every few seconds) and opens the next transaction. The source row
    /// says `live` until `finish`.
    public func checkpoint(packets: Int64) throws {
        flush()
        if let failure { throw failure }
        try recreateIndexes()
        try writeChargePointsAndCounts(SourceEnd(state: "live", detail: nil, packets: packets))
        try db.execute("COMMIT")
        restoreConnectionSettings()
        try db.execute("BEGIN IMMEDIATE")
    }

    /// Connections whose handshake was not seen carry a provisional identity
    /// (the client endpoint) and no version. Here, once the whole source has
    /// been read, they learn what they can: the identity from another
    /// connection of the same client address and server endpoint whose
    /// handshake was seen, or from a BootNotification serial number that a
    /// known identity also gave; the version from their actions and payloads.
    private func resolveIdentitiesAndVersions() throws {
        let renameConnection = try db.prepare("UPDATE connections SET charge_point = ?, identity_source = ? WHERE id = ?")
        let renameMessages = try db.prepare("UPDATE messages SET charge_point = ? WHERE id = ?")
        let knownSerial = try db.prepare("SELECT identity FROM charge_points WHERE serial = ? AND identity NOT LIKE '%:%' ORDER BY identity")
        let knownPair = try db.prepare("""
            SELECT DISTINCT charge_point FROM connections
            WHERE client_addr = ? AND server_addr = ? AND server_port = ? AND identity_source = 'url-path'
            """)
        // A version inferred for a connection let go of reaches its charge
        // point here, in connection order among the others, as it did when
        // every connection was kept.
        var settledInferences: [Int: (chargePoint: String, version: String)] = [:]
        for (cp, e) in settled.inferredVersions { settledInferences[e.connection] = (cp, e.version) }
        for id in Set(open.keys).union(settledInferences.keys).sorted() {
            if let s = settledInferences[id] {
                facts[s.chargePoint]?.version = s.version
                continue
            }
            var c = open[id]!
            let dbId = connectionBase + Int64(id)
            if let v = try settleVersion(of: id, c) { facts[c.chargePoint]?.version = v }
            guard c.identitySource == .endpoint else { continue }
            var candidates = Set<String>()
            var how = IdentitySource.endpointPair
            // The same client address and server endpoint, with a handshake, in this source…
            let endpoint = SettledConnections.Endpoint(c)
            for o in open.values where o.identitySource == .urlPath && SettledConnections.Endpoint(o) == endpoint {
                candidates.insert(o.chargePoint)
            }
            candidates.formUnion(settled.identities(sharingEndpointOf: c))
            // …or in the database.
            if candidates.isEmpty, let ca = c.clientAddress, let sa = c.serverAddress, let sp = c.serverPort {
                knownPair.reset()
                knownPair.bind(1, ca)
                knownPair.bind(2, sa)
                knownPair.bind(3, Int64(sp))
                while try knownPair.step() { if let t = knownPair.text(0) { candidates.insert(t) } }
            }
            // A BootNotification serial that a known identity also gave.
            if candidates.count != 1, let serial = bootSerial[id] {
                candidates = []
                how = .bootSerial
                for (cp, f) in facts where f.station.serial == serial
                    && (settled.chargePoints.contains(cp)
                        || open.values.contains(where: { $0.chargePoint == cp && $0.identitySource != .endpoint })) {
                    candidates.insert(cp)
                }
                if candidates.isEmpty {
                    knownSerial.reset()
                    knownSerial.bind(1, serial)
                    while try knownSerial.step() { if let t = knownSerial.text(0) { candidates.insert(t) } }
                }
            }
            // Only an unambiguous answer is taken: chargers behind one NAT
            // address would otherwise be merged.
            guard candidates.count == 1, let identity = candidates.first else { continue }
            let old = c.chargePoint
            c.chargePoint = identity
            c.identitySource = how
            open[id] = c
            counted.identitiesLearned += 1
            counted.chargePoints.insert(identity)
            historySpill?.leaveToIndex(identity)
            renameConnection.bind(1, identity)
            renameConnection.bind(2, how.rawValue)
            renameConnection.bind(3, dbId)
            try renameConnection.run()
            let renameKeepAlives = try db.prepare("UPDATE keepalives SET charge_point = ? WHERE connection_id = ?")
            renameKeepAlives.bind(1, identity)
            renameKeepAlives.bind(2, dbId)
            try renameKeepAlives.run()
            for seq in provisionalRows[id] ?? [] {
                renameMessages.bind(1, identity)
                renameMessages.bind(2, messageBase + seq)
                try renameMessages.run()
            }
            if let f = facts.removeValue(forKey: old) {
                if var g = facts[identity] {
                    g.first = min(g.first, f.first)
                    g.last = max(g.last, f.last)
                    g.version = g.version ?? f.version
                    facts[identity] = g
                } else {
                    facts[identity] = f
                }
            }
            if !settled.chargePoints.contains(old), !open.values.contains(where: { $0.chargePoint == old }) {
                counted.chargePoints.remove(old)
            }
        }
    }

    /// Abandons the source: nothing of it stays.
    public func abort() {
        try? db.execute("ROLLBACK")
        restoreConnectionSettings()
    }

    /// Back to the connection's cache size after a bulk load, and to WAL
    /// mode after a source written under a rollback journal (between
    /// transactions: SQLite cannot change the journal inside one).
    /// Should it fail, the database stays correct in rollback-journal mode,
    /// and the next opening of the store asks for WAL again.
    private func restoreConnectionSettings() {
        writeback?.stop()
        writeback = nil
        if let cache = cacheToRestore {
            cacheToRestore = nil
            db.setCacheSize(cache)
        }
        guard underRollbackJournal else { return }
        underRollbackJournal = false
        db.backToWAL()
    }
}
