import Foundation
import Frames
import History
import Store

/// Rebuilds the derived history tables of some charge points from their
/// stored messages, in one transaction: readers see the old history or the
/// new one, never a mix. Rebuilding twice gives the same tables.
public enum HistoryBuilder {
    /// Rebuilds `chargePoints` (all when nil). Returns row counts per table.
    ///
    /// The messages are read on a second thread when the database allows it
    /// (HistoryFeed), else on this one; the result is the same.
    @discardableResult
    public static func rebuild(store: Store, chargePoints: [String]? = nil, options: HistoryOptions = HistoryOptions(),
                               concurrentRead: Bool = true) throws -> [String: Int] {
        let ids = try chargePoints ?? store.allChargePoints()
        let readerPath = concurrentRead && !ids.isEmpty ? store.pathForConcurrentReader : nil
        return try derive(ids, from: store, readerPath: readerPath, into: store, options: options)
    }

    /// Rebuilds `chargePoints` while the indexes an ingest left pending
    /// (PendingIndexes) are built, each on a core of its own; the database
    /// ends as if the indexes had been built first and `rebuild` had run.
    ///
    /// The history is derived into a staging file (one connection writes a
    /// file at a time, and the index builds hold this one's), its messages
    /// read through a read-only connection of their own, and then copied in
    /// id order. Only into a database with no history yet (a new one), where
    /// that copy gives the same ids; otherwise, and when the messages cannot
    /// be read beside the writer, the indexes come first and `rebuild`
    /// follows.
    ///
    /// `gathered`: the messages as the ingest wrote them (Ingester.gatheredHistory),
    /// which spares the reader its pass over every row.
    @discardableResult
    public static func rebuildBesidePendingIndexes(store: Store, chargePoints: [String],
                                                   options: HistoryOptions = HistoryOptions(),
                                                   gathered: HistorySpill? = nil) throws -> [String: Int] {
        guard !chargePoints.isEmpty, try store.hasPendingIndexes, try store.historyIsEmpty,
              let readerPath = store.pathForConcurrentReader else {
            try store.buildPendingIndexes()
            return try rebuild(store: store, chargePoints: chargePoints, options: options)
        }
        let path = Store.stagingPath("history")
        defer { Store.removeFiles(atPath: path) }
        let staging = try Store(path: path)
        staging.isStaging = true
        // Written once and thrown away: no journal to keep, nothing to sync,
        // and a small cache beside the index builds' (peak memory).
        try staging.db.execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-\(SQLiteDatabase.smallCacheKiB);")
        try store.copyChargePoints(into: path)
        // The index the history reads a charge point by when the gathered
        // messages do not hold it (or there are none) comes first; else it is
        // built beside the history with the others. Why: beside the history,
        // the index builds' thread ended about a second before the history,
        // and the index alone took 0.43 s on both cores before it (250 MB
        // benchmark capture, 26 interleaved pairs, with the file's hashing
        // moved to the decoding, Ingester.Digest: median 0.15 s less, 19 faster).
        gathered?.endGathering()
        if !(gathered?.holdsInOrder(chargePoints) ?? false) {
            try store.buildPendingIndexes(named: SourceWriter.historyIndex)
            PhaseClock.mark("history's index first")
        }
        let indexes = IndexBuilds(store)
        let counts: [String: Int]
        do {
            counts = try derive(chargePoints, from: store, readerPath: readerPath, into: staging, options: options, inRowOrder: true,
                                gathered: gathered)
        } catch {
            _ = indexes.wait()
            throw error
        }
        if let failure = indexes.wait() { throw failure }
        // What the history's threads freed (the reader's arena held its
        // spill's buffers) would stay resident beside the copy (1 GB
        // capture: 76 MB during the copy without this, 58 MB before the spill).
        FreedMemory.release()
        PhaseClock.mark("history beside indexes")
        try store.adoptHistory(from: path)
        PhaseClock.mark("history copied in")
        return counts
    }

    /// Derives the history of `ids` into `target`, reading the messages
    /// through `readerPath` on a second thread when given, else from `store`
    /// on this one (then `store` must be `target`'s database or idle).
    private static func derive(_ ids: [String], from store: Store, readerPath: String?, into target: Store,
                               options: HistoryOptions, inRowOrder: Bool = false, gathered: HistorySpill? = nil) throws -> [String: Int] {
        try target.db.transaction {
            let writer = try HistoryWriter(store: target)
            // Beside a reader thread, the writes get a thread of their own too (HistorySinkThread).
            let writes = readerPath == nil ? nil : HistorySinkThread(writer: writer, store: target)
            let sink: HistorySink = writes ?? writer
            var history: ChargePointHistory?
            // Applies one item; false at the end.
            func apply(_ item: HistoryFeedItem) throws -> Bool {
                switch item {
                case .chargePoint(let cp, let connections, let keepAlives, let dataEnd):
                    if let writes { writes.clearHistory(cp) } else { try target.clearHistory(cp) }
                    history = ChargePointHistory(chargePoint: cp, connections: connections, keepAlives: keepAlives,
                                                 dataEnd: dataEnd, options: options, sink: sink)
                case .messages(let messages):
                    for m in messages { history!.message(m) }
                case .endOfChargePoint:
                    history!.finish()
                    history = nil
                    if let writes { writes.endOfChargePoint() } else { try writer.check() }
                case .failed(let error):
                    throw error
                case .done:
                    return false
                }
                return true
            }
            if let readerPath, let writes {
                // The reader thread allocates from a malloc arena of its own; memory
                // that the decoding freed but glibc kept would stay resident beside
                // it (ingest of the 250 MB benchmark peaked 19 MB higher without this).
                FreedMemory.release()
                let feed = HistoryFeed.Reader(path: readerPath, chargePoints: ids, inRowOrder: inRowOrder, gathered: gathered)
                defer { feed.stop() }
                do {
                    while true {
                        let item = feed.next()
                        guard try apply(item) else { break }
                        feed.recycle(item)
                    }
                } catch {
                    try? writes.finish()
                    throw error
                }
                try writes.finish()
            } else {
                try HistoryFeed.read(store, ids, emit: apply)
            }
            return writer.counts
        }
    }
}

/// `Store.buildPendingIndexes` on a thread of its own, through the store's
/// connection, which nothing else may use until `wait` returns.
private final class IndexBuilds: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var failure: Error?

    init(_ store: Store) {
        // Handed over: the caller leaves the store alone until `wait`.
        nonisolated(unsafe) let store = store
        startThread(named: "index-builds") { [self] in
            defer { done.signal() }
            do {
                try store.buildPendingIndexes(besideOtherWork: true)
                store.db.checkpointWhileReadersMove()
            } catch { failure = error }
        }
    }

    /// Waits for the builds to end; their error, if any.
    func wait() -> Error? {
        done.wait()
        return failure
    }
}
