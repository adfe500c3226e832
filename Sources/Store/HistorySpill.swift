import Foundation
import Frames
import History
import OCPP

/// What the history reads of every stored message, taken in one pass over
/// the messages table in rowid order and kept per charge point in a
/// temporary file beside the database, so that each charge point's history
/// then reads its own messages in a few large reads.
///
/// Why: read through `messages_cp_time`, each message costs a page read of
/// its own, since a charge point's rows lie among every other's (250 MB
/// benchmark capture: 831,015 rows, the history's reader 2.4 s of CPU and
/// 1.1 s in the kernel). In rowid order every page is read once.
///
/// The history needs each charge point's messages in (time_us, id) order.
/// Rowid order is that order when a charge point's times never go back
/// (one capture, in packet order); a charge point whose times do go back
/// (several sources out of time order, a log whose clock stepped back) is
/// dropped from the spill and `messages(of:)` says so, and its messages are
/// read through the index as before. Either way the same messages come in
/// the same order.
///
/// Memory: the records wait in memory per charge point until `budget`
/// bytes are held, and then all go to the file, one write each, as does
/// what is held when the pass ends; reading holds one chunk at a time. The
/// file is unlinked as soon as it is made, so nothing stays behind
/// whatever stops the process.
///
/// A spill is had either way: by that pass, after the messages were
/// stored (`Store.spillHistoryMessages`), or gathered while they are
/// written (`init(gatheringBeside:)`, SourceWriter.historySpill), which
/// saves the pass and its reading of every row back from SQLite.
public final class HistorySpill: @unchecked Sendable {
    /// Bytes held in memory before they go to the file.
    public static let defaultBudget = 8 << 20

    private struct Stream {
        let chargePoint: [UInt8]
        var buffer = SpillBuffer()
        var chunks: [(offset: Int64, count: Int)] = []
        var lastTime = Int64.min
        var lastId = Int64.min
        var ordered = true
        /// Given to `records(of:)` once; after that the index reads it.
        var read = false
    }

    private let fd: Int32
    private let budget: Int
    private var fileEnd: Int64 = 0
    private var streams: [Stream] = []
    private var streamOf: [String: Int]
    /// A gathering spill could not write its file: it holds too little to be read.
    public private(set) var failed = false
    private var held = 0
    private var readBuffer = SpillBuffer()
    /// The actions' kinds, for a gathering spill (`gather`).
    private var names = ActionNames()
    /// A gathering spill keeps its streams' buffers from one flush to the
    /// next: freed and grown again, they were a realloc copy and fresh
    /// pages to fault in for every record, on the writer's thread.
    private var keepsBuffers = false
    /// A gathering spill's flushes are written on a thread of their own
    /// (SpillWriter), until gathering ends.
    private var writer: SpillWriter?
    /// Rows read, and charge points left to the index; for tests and notes.
    public internal(set) var rows = 0
    public var fileBytes: Int64 { fileEnd }
    /// Bytes of records held in memory, not in the file.
    public var heldBytes: Int { held }
    public var unordered: Int { streams.count(where: { !$0.ordered }) }

    /// A spill for `chargePoints`, its file made in `directory`; with no
    /// charge points given, each gets its stream when first seen (`stream(for:)`).
    init(chargePoints: [String], directory: String, budget: Int) throws {
        var template = Array((directory + "/.ocppscope-history-spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw StoreError("cannot make a temporary file in \(directory) for the history's messages: \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        self.budget = budget
        var index: [String: Int] = [:]
        for cp in chargePoints where index[cp] == nil {
            index[cp] = streams.count
            streams.append(Stream(chargePoint: Array(cp.utf8)))
        }
        streamOf = index
    }

    /// A spill that gathers the messages as they are written into the
    /// database at `databasePath` (SourceWriter.historySpill), its file made
    /// beside it. It must see every row of the messages table, in rowid
    /// order, and nothing that is rolled back: the ingest drops it otherwise.
    ///
    /// Its budget is a quarter of the pass's: it is held beside the
    /// decoding's memory, and with its buffers kept (`keepsBuffers`) it may
    /// hold up to twice its budget (250 MB benchmark capture: peak 77 MB
    /// with 2 MiB, 80 MB with 4 MiB, against 70 MB without gathering).
    public convenience init(gatheringBeside databasePath: String, budget: Int = HistorySpill.defaultBudget / 4) throws {
        try self.init(chargePoints: [], directory: HistorySpill.folder(beside: databasePath), budget: budget)
        keepsBuffers = true
        writer = SpillWriter(fd: fd)
    }

    /// The folder of the database at `path`, where its spill's file is made.
    static func folder(beside path: String) -> String {
        let beside = (path as NSString).deletingLastPathComponent
        return beside.isEmpty ? "." : beside
    }

    deinit {
        _ = writer?.finish()
        close(fd)
        for i in streams.indices { streams[i].buffer.free() }
        readBuffer.free()
    }

    /// The stream of a charge point given by its bytes, nil when not spilled for.
    func stream(named raw: UnsafeRawBufferPointer) -> Int? {
        streamOf[String(decoding: raw, as: UTF8.self)]
    }

    /// Whether stream `s` is the charge point `raw` names.
    func stream(_ s: Int, is raw: UnsafeRawBufferPointer) -> Bool {
        streams[s].chargePoint.withUnsafeBytes { StoredWords.equals(raw, $0) }
    }

    /// The stream of `chargePoint`, made when it has none yet.
    func stream(for chargePoint: String) -> Int {
        if let s = streamOf[chargePoint] { return s }
        streamOf[chargePoint] = streams.count
        streams.append(Stream(chargePoint: Array(chargePoint.utf8)))
        return streams.count - 1
    }

    /// The charge point's messages are to be read through the index, not
    /// from here: what the spill holds of it is not what will be stored
    /// (rows whose identity or version is settled only at the end of their
    /// source, rows renamed to it).
    func leaveToIndex(_ chargePoint: String) { leaveToIndex(stream: stream(for: chargePoint)) }

    func leaveToIndex(stream s: Int) {
        guard streams[s].ordered else { return }
        streams[s].ordered = false
        held -= streams[s].buffer.count
        streams[s].buffer.free()
        streams[s].chunks = []
    }

    /// Adds message `id` at `time` to stream `s`, its record written by
    /// `write` into the `size` bytes given to it.
    func append(to s: Int, id: Int64, time: Int64, size: Int, _ write: (UnsafeMutableRawPointer) -> Void) throws {
        guard streams[s].ordered else { return }
        // Rowid order is not (time, id) order here: the index will read it.
        // (Ids go back only in a gathering spill, should rows come unsorted.)
        if time < streams[s].lastTime || id <= streams[s].lastId {
            leaveToIndex(stream: s)
            return
        }
        streams[s].lastTime = time
        streams[s].lastId = id
        write(streams[s].buffer.grow(by: size))
        held += size
        if held > budget { try flush() }
    }

    /// Adds a message as its row is written (SourceWriter), to stream `s`:
    /// the texts as stored, the payload kept only for the actions the
    /// history reads (as the pass after keeps it). A file that cannot be
    /// written makes the spill `failed` (the ingest then drops it), not
    /// the source.
    func gather(to s: Int, _ fields: SpillRecord.Fields, action: String?, errorCode: String?, version: String?,
                payload: UnsafeRawBufferPointer) {
        rows += 1
        guard !failed, streams[s].ordered else { return }
        HistorySpill.withBytes(action) { action in
            let keepsPayload = action.map { names.name($0).1.payloadRead } ?? false
            HistorySpill.withBytes(errorCode) { error in
                HistorySpill.withBytes(version) { version in
                    let kept = keepsPayload ? payload : nil
                    do {
                        try append(to: s, id: fields.id, time: fields.time, size: SpillRecord.size(action, error, version, kept)) {
                            SpillRecord.write(fields, (action, error, version, kept), at: $0)
                        }
                    } catch {
                        failed = true
                    }
                }
            }
        }
    }

    /// A string's UTF-8 bytes, nil for nil, without copying a native string.
    private static func withBytes<R>(_ s: String?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let s else { return body(nil) }
        if let r = s.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
        return Array(s.utf8).withUnsafeBytes { body($0) }
    }

    /// Whether every one of `chargePoints` will be read from here, none
    /// through the index (`records(of:)`): each has messages, in time order,
    /// not read yet, and the spill has not failed.
    public func holdsInOrder(_ chargePoints: [String]) -> Bool {
        !failed && chargePoints.allSatisfy { cp in streamOf[cp].map { streams[$0].ordered && !streams[$0].read } ?? false }
    }

    /// The end of gathering: what is still held goes to the file (as at the
    /// end of the pass), so that only one charge point's records are in
    /// memory while the history reads them. Ending it again does nothing.
    public func endGathering() {
        if !failed { do { try flush() } catch { failed = true } }
        if let w = writer {
            // Everything written before anything is read (or the spill is given up).
            if w.finish() != nil { failed = true }
            writer = nil
        }
        keepsBuffers = false
        for i in streams.indices { streams[i].buffer.free() }
    }

    /// Every stream's records held in memory go to the file.
    func flush() throws {
        if let writer {
            // One block, written on the writer's thread; the chunks are where it will lie.
            var parts: [UnsafeRawBufferPointer] = []
            var at = fileEnd
            for s in streams.indices where streams[s].buffer.count > 0 {
                let b = streams[s].buffer
                parts.append(UnsafeRawBufferPointer(start: b.base, count: b.count))
                streams[s].chunks.append((at, b.count))
                at += Int64(b.count)
            }
            if !parts.isEmpty { writer.write(parts, at: fileEnd) }
            fileEnd = at
            for s in streams.indices { streams[s].buffer.count = 0 }
            held = 0
            return
        }
        for s in streams.indices where streams[s].buffer.count > 0 {
            let b = streams[s].buffer
            if let why = b.write(to: fd, at: fileEnd) { throw StoreError("cannot write the history's temporary file: \(why)") }
            streams[s].chunks.append((fileEnd, b.count))
            fileEnd += Int64(b.count)
            if keepsBuffers { streams[s].buffer.count = 0 } else { streams[s].buffer.free() }
        }
        held = 0
    }

    /// Calls `body` with the records of a charge point, chunk by chunk, in
    /// the order they came; false (and no call) when the charge point is not
    /// in the spill, its times went back, or it was read before. Its memory
    /// is given back after.
    func records(of chargePoint: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard !failed, let s = streamOf[chargePoint], streams[s].ordered, !streams[s].read else { return false }
        defer {
            streams[s].read = true
            held -= streams[s].buffer.count
            streams[s].buffer.free()
            streams[s].chunks = []
        }
        for (offset, count) in streams[s].chunks {
            readBuffer.count = 0
            let base = readBuffer.grow(by: count)
            var done = 0
            while done < count {
                let n = pread(fd, base + done, count - done, off_t(offset) + off_t(done))
                guard n > 0 else {
                    throw StoreError("cannot read the history's temporary file: \(n < 0 ? String(cString: strerror(errno)) : "it ended early")")
                }
                done += n
            }
            try body(UnsafeRawBufferPointer(start: base, count: count))
        }
        let tail = streams[s].buffer
        if tail.count > 0 { try body(UnsafeRawBufferPointer(start: tail.base, count: tail.count)) }
        return true
    }
}

/// A growable byte buffer of malloc'd memory: records are written into it
/// in place (no Array bounds checks or generic appends on the hot path).
struct SpillBuffer {
    var base: UnsafeMutableRawPointer?
    var count = 0
    var capacity = 0

    /// Room for `n` more bytes at the end, counted as used.
    mutating func grow(by n: Int) -> UnsafeMutableRawPointer {
        if count + n > capacity {
            capacity = max(4096, max(count + n, capacity * 2))
            base = realloc(base, capacity)
            precondition(base != nil, "out of memory for the history's messages")
        }
        defer { count += n }
        return base! + count
    }

    /// Writes every byte held to `fd` at `offset`; nil, or why it failed.
    /// Shared by the spill's own flushes and its writer thread (SpillWriter).
    func write(to fd: Int32, at offset: Int64) -> String? {
        var written = 0
        while written < count {
            let n = pwrite(fd, base! + written, count - written, off_t(offset) + off_t(written))
            guard n > 0 else { return n < 0 ? String(cString: strerror(errno)) : "nothing was written" }
            written += n
        }
        return nil
    }

    mutating func free() {
        Foundation.free(base)
        base = nil
        count = 0
        capacity = 0
    }
}

/// One message as the spill holds it: a fixed header, then the bytes of
/// its action, error code, version and (for the actions the history reads)
/// payload, each length given in the header, `absent` for NULL.
enum SpillRecord {
    static let absent = UInt32.max
    // id, time, connection, request: 4 × 8; direction, type: 2 × 1; 4 lengths: 4 × 4.
    static let header = 32 + 2 + 16
    static let noRequest = Int64.min

    struct Fields {
        var id: Int64
        var time: Int64
        var connection: Int64
        var request: Int64
        var direction: Direction
        var type: MessageType
    }

    static func size(_ a: UnsafeRawBufferPointer?, _ b: UnsafeRawBufferPointer?, _ c: UnsafeRawBufferPointer?,
                     _ d: UnsafeRawBufferPointer?) -> Int {
        header + (a?.count ?? 0) + (b?.count ?? 0) + (c?.count ?? 0) + (d?.count ?? 0)
    }

    /// Writes the record at `p`: `texts` are action, error code, version, payload.
    static func write(_ f: Fields, _ texts: (UnsafeRawBufferPointer?, UnsafeRawBufferPointer?, UnsafeRawBufferPointer?, UnsafeRawBufferPointer?),
                      at p: UnsafeMutableRawPointer) {
        p.storeBytes(of: f.id, toByteOffset: 0, as: Int64.self)
        p.storeBytes(of: f.time, toByteOffset: 8, as: Int64.self)
        p.storeBytes(of: f.connection, toByteOffset: 16, as: Int64.self)
        p.storeBytes(of: f.request, toByteOffset: 24, as: Int64.self)
        p.storeBytes(of: f.direction.rawValue, toByteOffset: 32, as: UInt8.self)
        p.storeBytes(of: UInt8(f.type.rawValue), toByteOffset: 33, as: UInt8.self)
        var at = header
        func put(_ t: UnsafeRawBufferPointer?, _ i: Int) {
            p.storeBytes(of: t.map { UInt32($0.count) } ?? absent, toByteOffset: 34 + 4 * i, as: UInt32.self)
            if let t, t.count > 0 {
                memcpy(p + at, t.baseAddress!, t.count)
                at += t.count
            }
        }
        put(texts.0, 0)
        put(texts.1, 1)
        put(texts.2, 2)
        put(texts.3, 3)
    }

    /// The record at the start of `raw`: its fields, its four texts (nil
    /// for NULL), and its size.
    static func read(_ raw: UnsafeRawBufferPointer)
        -> (Fields, UnsafeRawBufferPointer?, UnsafeRawBufferPointer?, UnsafeRawBufferPointer?, UnsafeRawBufferPointer?, Int) {
        let f = Fields(id: raw.loadUnaligned(fromByteOffset: 0, as: Int64.self),
                       time: raw.loadUnaligned(fromByteOffset: 8, as: Int64.self),
                       connection: raw.loadUnaligned(fromByteOffset: 16, as: Int64.self),
                       request: raw.loadUnaligned(fromByteOffset: 24, as: Int64.self),
                       direction: Direction(rawValue: raw[32]) ?? .chargePointToCSMS,
                       type: MessageType(rawValue: Int(raw[33])) ?? .call)
        var at = header
        func text(_ i: Int) -> UnsafeRawBufferPointer? {
            let n = raw.loadUnaligned(fromByteOffset: 34 + 4 * i, as: UInt32.self)
            guard n != absent else { return nil }
            defer { at += Int(n) }
            return UnsafeRawBufferPointer(rebasing: raw[at..<at + Int(n)])
        }
        let action = text(0), error = text(1), version = text(2), payload = text(3)
        return (f, action, error, version, payload, at)
    }
}

extension Store {
    /// Reads every message once in rowid order into a spill for
    /// `chargePoints` (rows of other charge points are passed over), its
    /// file made beside the database (a spill as large as the messages'
    /// payloads would not belong in a temporary folder that may be memory).
    /// `directory`: where the file is made, by default the database's.
    public func spillHistoryMessages(of chargePoints: [String], budget: Int = HistorySpill.defaultBudget,
                                     directory: String? = nil) throws -> HistorySpill {
        let spill = try HistorySpill(chargePoints: chargePoints, directory: directory ?? HistorySpill.folder(beside: db.path), budget: budget)
        let s = try db.prepare("""
            SELECT charge_point, id, time_us, connection_id, direction, type, action, payload, request_id, error_code, ocpp_version
            FROM messages ORDER BY id
            """)
        var words = StoredHistoryMessage()
        // The stream of the last connection seen, checked by the charge point's bytes.
        var lastConnection = Int64.min, lastStream: Int? = nil
        while try s.step() {
            let connection = s.int64(3)
            let stream: Int? = s.withText(0) { cp -> Int? in
                if connection == lastConnection, let l = lastStream, spill.stream(l, is: cp) { return l }
                lastConnection = connection
                lastStream = spill.stream(named: cp)
                return lastStream
            } ?? nil
            guard let stream else { continue }
            let action = s.rawText(6)
            let kind = words.action(action).kind
            let payload = kind.payloadRead ? s.rawText(7) : nil
            let error = s.rawText(9), version = s.rawText(10)
            let fields = SpillRecord.Fields(
                id: s.int64(1), time: s.int64(2), connection: connection, request: s.isNull(8) ? SpillRecord.noRequest : s.int64(8),
                direction: s.withText(4, StoredWords.direction) ?? .chargePointToCSMS, type: s.withText(5, StoredWords.type) ?? .call)
            try spill.append(to: stream, id: fields.id, time: fields.time, size: SpillRecord.size(action, error, version, payload)) {
                SpillRecord.write(fields, (action, error, version, payload), at: $0)
            }
            spill.rows += 1
        }
        // What is still held goes to the file too: read back one charge point
        // at a time, it would otherwise stay beside the trackers' memory.
        try spill.flush()
        return spill
    }
}

extension HistorySpill {
    /// Calls `body` with each message of a charge point in time order, as
    /// `Store.historyMessages` makes them; false (and no call) when the
    /// charge point is to be read through the index (its times went back,
    /// it was not asked for, or it was read before).
    public func messages(of chargePoint: String, _ body: (HistoryMessage) throws -> Void) throws -> Bool {
        var make = StoredHistoryMessage()
        return try records(of: chargePoint) { chunk in
            var at = 0
            while at < chunk.count {
                let (f, action, error, version, payload, size) = SpillRecord.read(UnsafeRawBufferPointer(rebasing: chunk[at...]))
                at += size
                let named = make.action(action)
                try body(make.message(id: f.id, time: f.time, connection: f.connection, direction: f.direction, type: f.type,
                                      action: named, payload: payload,
                                      request: f.request == SpillRecord.noRequest ? nil : f.request, errorCode: error, version: version))
            }
        }
    }
}
