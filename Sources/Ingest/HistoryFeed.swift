import Foundation
import Frames
import History
import Store

/// What the History stage reads of one charge point, in the order it needs it.
enum HistoryFeedItem {
    case chargePoint(String, connections: [HistoryConnection], keepAlives: [Timestamp], dataEnd: Timestamp?)
    case messages([HistoryMessage])
    case endOfChargePoint
    case failed(Error)
    case done
}

/// Reads the stored messages of charge points for the History stage, on the
/// calling thread or on a second one.
///
/// Why a second thread: reading the messages back and parsing their payloads
/// is about a third of the rebuild's instructions (callgrind, 20 MB slice of
/// the benchmark: 1.29 G of 3.50 G), and it needs nothing from the trackers,
/// so it runs beside them on the other core, through its own read-only
/// connection. The trackers see the same messages in the same order either
/// way, so the history is the same.
enum HistoryFeed {
    /// Messages per item, and items in flight: at most 4 × 256 parsed
    /// messages wait between the threads, whatever the database's size.
    static let chunk = 256
    static let inFlight = 4

    private struct Stop: Error {}

    /// Reads `chargePoints` and hands each item to `emit`; `emit` returns
    /// false to stop early. Ends with `.done` unless stopped.
    ///
    /// `snapshotPerChargePoint`: each charge point is read in a read
    /// transaction of its own. Why: a reader's snapshot keeps SQLite from
    /// checkpointing whatever was committed after it, and beside the index
    /// builds (which commit 70 MB of index pages into the WAL for the 250 MB
    /// capture) one snapshot for the whole read left all of it to the copy
    /// in, on one core, waiting for the disk. The messages do not change
    /// while the history is derived (only indexes and history are written),
    /// so every snapshot reads the same rows.
    ///
    /// `spill`: the messages read before in rowid order (HistorySpill); a
    /// charge point it does not hold is read through the index.
    static func read(_ store: Store, _ chargePoints: [String], snapshotPerChargePoint: Bool = false, spill: HistorySpill? = nil,
                     emit: (HistoryFeedItem) throws -> Bool) throws {
        for cp in chargePoints {
            // (A reader stopped early leaves its transaction to the connection's closing.)
            if snapshotPerChargePoint { try store.db.execute("BEGIN") }
            let (connections, dataEnd) = try store.historyConnections(cp)
            guard try emit(.chargePoint(cp, connections: connections, keepAlives: try store.keepAlives(cp), dataEnd: dataEnd)) else { return }
            var batch: [HistoryMessage] = []
            batch.reserveCapacity(chunk)
            func add(_ m: HistoryMessage) throws {
                batch.append(m)
                if batch.count == chunk {
                    guard try emit(.messages(batch)) else { throw Stop() }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            do {
                if try spill?.messages(of: cp, add) != true { try store.historyMessages(cp, add) }
            } catch is Stop {
                return
            }
            if !batch.isEmpty { guard try emit(.messages(batch)) else { return } }
            if snapshotPerChargePoint { try store.db.execute("COMMIT") }
            guard try emit(.endOfChargePoint) else { return }
        }
        _ = try emit(.done)
    }

    /// `read` on a thread of its own, with its own read-only connection to
    /// the database file (which must be in WAL mode, so that it reads what
    /// was committed while the caller's connection writes).
    final class Reader: @unchecked Sendable {
        private let queue = BoundedQueue<HistoryFeedItem>(capacity: HistoryFeed.inFlight)
        private let finished = DispatchSemaphore(value: 0)
        private var stopped = false
        /// Items the consumer is done with, freed by the reader thread (see `recycle`).
        private let used = UsedItems()

        /// `inRowOrder`: the messages are first read in one pass in rowid
        /// order (HistorySpill), for a rebuild of all or nearly all charge
        /// points, where that pass costs less than a page read per message;
        /// `gathered`, the messages already so, as the ingest wrote them,
        /// saves the pass.
        init(path: String, chargePoints: [String], inRowOrder: Bool = false, gathered: HistorySpill? = nil) {
            let queue = self.queue, finished = self.finished, used = self.used
            startThread(named: "history-feed") {
                defer { finished.signal() }
                do {
                    let store = try Store(readOnly: path)
                    var spill: HistorySpill?
                    if inRowOrder, let gathered {
                        gathered.endGathering()
                        if !gathered.failed { spill = gathered }
                    }
                    if inRowOrder, spill == nil {
                        // Only a faster way to the same messages: should it fail (no room
                        // beside the database for its file), the index reads them all.
                        do {
                            try store.db.execute("BEGIN")
                            // A pass in page order reads no page twice: the small cache.
                            spill = try store.db.withSmallCache { try store.spillHistoryMessages(of: chargePoints) }
                            try store.db.execute("COMMIT")
                        } catch {
                            try? store.db.execute("COMMIT")
                            spill = nil
                        }
                    }
                    try HistoryFeed.read(store, chargePoints, snapshotPerChargePoint: true, spill: spill) { item in
                        used.free()
                        return queue.put(item)
                    }
                } catch {
                    _ = queue.put(.failed(error))
                }
            }
        }

        /// The next item; `.failed` carries the reader's error.
        func next() -> HistoryFeedItem { queue.take() }

        /// Hands an item the consumer is done with back to the reader
        /// thread, which frees it before it reads on. Why: the messages and
        /// their parsed payloads (three allocations each since JSONTape; a
        /// tree of many before) are made by the reader; freed by the
        /// consumer, they cost the trackers' thread the frees, on glibc's
        /// slower path for memory of another thread's arena.
        func recycle(_ item: HistoryFeedItem) { used.add(item) }

        /// Stops the reader (if it is still reading) and waits for its thread to end.
        func stop() {
            guard !stopped else { return }
            stopped = true
            queue.cancel()
            finished.wait()
        }

        deinit { stop() }
    }
}

/// What the consumer hands back, under a lock; at most the items in flight
/// plus one, as the reader frees them before each item it hands on.
private final class UsedItems: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [HistoryFeedItem] = []

    func add(_ item: HistoryFeedItem) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }

    /// Frees what was handed back, on the calling thread.
    func free() {
        lock.lock()
        let done = items
        items = []
        lock.unlock()
        _ = consume done
    }
}
