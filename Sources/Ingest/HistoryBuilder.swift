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
        return try store.db.transaction {
            let writer = try HistoryWriter(store: store)
            var history: ChargePointHistory?
            // Applies one item; false at the end.
            func apply(_ item: HistoryFeedItem) throws -> Bool {
                switch item {
                case .chargePoint(let cp, let connections, let keepAlives, let dataEnd):
                    try store.clearHistory(cp)
                    history = ChargePointHistory(chargePoint: cp, connections: connections, keepAlives: keepAlives,
                                                 dataEnd: dataEnd, options: options, sink: writer)
                case .messages(let messages):
                    for m in messages { history!.message(m) }
                case .endOfChargePoint:
                    history!.finish()
                    history = nil
                    try writer.check()
                case .failed(let error):
                    throw error
                case .done:
                    return false
                }
                return true
            }
            if let readerPath {
                // The reader thread allocates from a malloc arena of its own; memory
                // that the decoding freed but glibc kept would stay resident beside
                // it (ingest of the 250 MB benchmark peaked 19 MB higher without this).
                FreedMemory.release()
                let feed = HistoryFeed.Reader(path: readerPath, chargePoints: ids)
                defer { feed.stop() }
                while true {
                    let item = feed.next()
                    guard try apply(item) else { break }
                    feed.recycle(item)
                }
            } else {
                try HistoryFeed.read(store, ids, emit: apply)
            }
            return writer.counts
        }
    }
}
