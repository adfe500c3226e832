import Capture
import Foundation
import Frames
import History
import LogStream
import OCPP
import Store

/// What happened to one input of an ingest.
public enum InputOutcome: Sendable {
    case ingested(SourceSummary, SourceEndInfo)
    /// Its digest was already in the database: nothing changed.
    case alreadyIngested(sourceId: Int64)
    case failed(String)
}

/// Ingests files into a store, one source per file, each in one transaction.
public final class Ingester {
    public let store: Store
    public var options = CaptureOptions()
    public static let toolVersion = "0.1.0"

    public var historyOptions = HistoryOptions()
    /// Validate payloads against the official OCPP schemas (schema_errors, layer `schema` issues).
    public var validate = true
    /// Replace id tags (and serials) by a keyed hash: `ingest --redact`.
    public var redactor: Redactor?
    /// How logs are read (format, zone, year…); captures ignore it.
    public var logOptions = LogOptions()
    /// Whether the last input ingested was a log (its lines are counted
    /// where a capture's packets are).
    public internal(set) var lastInputWasLog = false

    /// Another store that may already hold a source, asked by digest before
    /// any decoding: PostgreSQL, when `store` is only the staging file of an
    /// ingest into it (a capture already there costs its SHA-256 only).
    public var knownElsewhere: ((String) throws -> Int64?)?

    /// Let each source's bulk load leave its secondary indexes pending, to be
    /// built beside the history by `rebuildHistory(after:)` (the ingest
    /// command; HistoryBuilder.rebuildBesidePendingIndexes). Off, `ingest`
    /// alone leaves a database with every index.
    public var indexesBesideHistory = false

    /// The history's messages, gathered while the sources are written
    /// (SourceWriter.historySpill), so that the history derived after them
    /// need not read every row back (250 MB benchmark capture: a pass of
    /// about 0.6 s on one core, before the trackers could start). Only into
    /// a database that had no messages; nil for good once a source was
    /// written without it or rolled back after writing: the history then
    /// reads the rows back as before.
    public private(set) var gatheredHistory: HistorySpill?
    private var gatheringStopped = false

    public init(store: Store) { self.store = store }

    /// Lets `writer` add its rows to `gatheredHistory`, made with the first
    /// source: only for a bulk load whose history is derived beside the
    /// indexes (the history's reader then takes the spill).
    func gatherHistory(into writer: SourceWriter) {
        guard !gatheringStopped else { return }
        guard writer.leavesIndexesPending else { return stopGathering() }
        if gatheredHistory == nil {
            guard writer.startedOnEmptyTable, let path = store.filePath,
                  let spill = try? HistorySpill(gatheringBeside: path) else { return stopGathering() }
            gatheredHistory = spill
        }
        writer.historySpill = gatheredHistory
    }

    func stopGathering() {
        gatheringStopped = true
        gatheredHistory = nil
    }

    /// Rebuilds the history of every charge point that the newly ingested
    /// sources touched (their whole history, so the result is the same as a
    /// full rebuild).
    @discardableResult
    public func rebuildHistory(after outcomes: [InputOutcome]) throws -> [String: Int] {
        let ids: [Int64] = outcomes.compactMap { if case .ingested(let s, _) = $0 { return s.sourceId } else { return nil } }
        guard !ids.isEmpty else {
            try store.buildPendingIndexes()
            return [:]
        }
        defer { PhaseClock.mark("history") }
        let chargePoints = try store.chargePoints(ofSources: ids)
        let gathered = gatheredHistory?.failed == false ? gatheredHistory : nil
        // Read once: the next ingest's sources gather anew, or not.
        gatheredHistory = nil
        gatheringStopped = false
        if indexesBesideHistory {
            return try HistoryBuilder.rebuildBesidePendingIndexes(store: store, chargePoints: chargePoints, options: historyOptions,
                                                                  gathered: gathered)
        }
        return try HistoryBuilder.rebuild(store: store, chargePoints: chargePoints, options: historyOptions)
    }

    /// Why a file's ingest ends before it starts: already there, or unreadable.
    struct EarlyOutcome: Error { var outcome: InputOutcome }

    /// How a file's digest is had: already, or from a thread that hashes it
    /// while the file is decoded (SourceWriter.digestLater). Why then: the
    /// decoding's three threads leave about a quarter of a core idle, and
    /// after the decoding the hashing would be waited for (250 MB capture:
    /// 0.19 s once no index is built there to hide it).
    enum Digest {
        case known(String)
        case later(BackgroundDigest)

        /// What the source's row holds until `finish` learns the digest: unique, and no SHA-256.
        var stored: String {
            if case .known(let d) = self { return d }
            return "hashing:\(UUID().uuidString)"
        }

        /// Hands the late digest to `writer` and starts the hashing, beside
        /// the decoding that comes next.
        func arrange(_ writer: SourceWriter) {
            guard case .later(let background) = self else { return }
            writer.digestLater = { try background.value() }
            background.start()
        }
    }

    /// The file's digest, or the outcome that ends its ingest here: a
    /// source with that digest is already in the database, so nothing
    /// changes. Hashed later when no stored source has the file's `size`
    /// (then it cannot be one of them; the writer checks again inside its
    /// transaction), and not when PostgreSQL is asked too.
    func digestOrOutcome(_ path: String, size: Int64) -> Result<Digest, EarlyOutcome> {
        do {
            if knownElsewhere == nil, try !store.hasSource(ofSize: size) {
                return .success(.later(BackgroundDigest(path: path)))
            }
            let digest = try FileDigest.sha256(path: path)
            PhaseClock.mark("digest")
            if let existing = try store.source(withDigest: digest) ?? knownElsewhere?(digest) {
                return .failure(EarlyOutcome(outcome: .alreadyIngested(sourceId: existing)))
            }
            return .success(.known(digest))
        } catch {
            return .failure(EarlyOutcome(outcome: .failed("\(error)")))
        }
    }

    /// `writer.finish`, with a late digest that another source turns out to
    /// have reported as that source.
    func finish(_ writer: SourceWriter, _ end: SourceEnd, info: SourceEndInfo) -> InputOutcome {
        do {
            return .ingested(try writer.finish(end), info)
        } catch let stored as SourceWriter.AlreadyStored {
            // Rolled back: the spill holds rows that are not stored.
            stopGathering()
            return .alreadyIngested(sourceId: stored.sourceId)
        } catch {
            stopGathering()
            return .failed("cannot write to the database (nothing of this source was kept): \(error)")
        }
    }

    /// Ingests one file, a capture or a log, told apart by content: the
    /// capture reader first, the log reader when it says "not a capture".
    /// Never throws for bad input: a file that cannot be read is reported as
    /// `.failed` and the next one goes on.
    public func ingest(path: String, progress: ProgressReport? = nil) -> InputOutcome {
        lastInputWasLog = false
        let reader: PcapFileReader
        do {
            reader = try PcapFileReader(path: path)
        } catch {
            if case .notACapture = error { return ingestLog(path: path, progress: progress) }
            return .failed(error.description)
        }
        let digest: Digest
        switch digestOrOutcome(path, size: reader.fileSize) {
        case .success(let d): digest = d
        case .failure(let early): return early.outcome
        }
        let kind = reader.isPcapng ? "pcapng" : "pcap"
        let description = SourceDescription(kind: kind + (reader.compressed ? ".gz" : ""), path: path, size: reader.fileSize,
                                            digest: digest.stored, linkType: reader.linkType.name, toolVersion: Ingester.toolVersion)
        let writer: SourceWriter
        do {
            writer = try SourceWriter(store: store, source: description,
                                      ingestedAt: Int64(Date().timeIntervalSince1970 * 1_000_000), bulkLoad: true)
        } catch {
            return .failed("cannot write to the database: \(error)")
        }
        writer.leavesIndexesPending = indexesBesideHistory
        gatherHistory(into: writer)
        digest.arrange(writer)
        // SQLite writes on a second thread while this one decodes (SinkThread).
        let sink = SinkThread(target: writer)
        let (end, _, _) = CaptureRun.run(reader, into: sink, options: options, redactor: redactor, validate: validate, progress: progress)
        sink.finish()
        PhaseClock.mark("decode+insert")
        // Before the indexes are built (FreedMemory).
        FreedMemory.release()
        return finish(writer, SourceEnd(state: end.state, detail: end.detail, packets: end.packets, covers: end.covers), info: end)
    }
}
