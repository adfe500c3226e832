import History
import Store

/// Rebuilds the derived history tables of some charge points from their
/// stored messages, in one transaction: readers see the old history or the
/// new one, never a mix. Rebuilding twice gives the same tables.
public enum HistoryBuilder {
    /// Rebuilds `chargePoints` (all when nil). Returns row counts per table.
    @discardableResult
    public static func rebuild(store: Store, chargePoints: [String]? = nil, options: HistoryOptions = HistoryOptions()) throws -> [String: Int] {
        let ids = try chargePoints ?? store.allChargePoints()
        return try store.db.transaction {
            let writer = try HistoryWriter(store: store)
            for cp in ids {
                try store.clearHistory(cp)
                let (connections, dataEnd) = try store.historyConnections(cp)
                let history = ChargePointHistory(chargePoint: cp, connections: connections, keepAlives: try store.keepAlives(cp),
                                                 dataEnd: dataEnd, options: options, sink: writer)
                try store.historyMessages(cp) { history.message($0) }
                history.finish()
                try writer.check()
            }
            return writer.counts
        }
    }
}
