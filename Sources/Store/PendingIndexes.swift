/// Indexes of `messages` that a bulk load dropped and has not built yet
/// (migration 008): an ingest commits its messages with the one index the
/// history reads by, and builds the others on one core while the history is
/// derived on the other (HistoryBuilder.rebuildBesidePendingIndexes).
///
/// Why: on the 250 MB benchmark capture the six index builds were 3.1 s of
/// one core with the other idle, and the history 3.8 s on both; run side by
/// side, the two take about as long as the history alone.
extension Store {
    /// Whether an ingest left indexes to build.
    public var hasPendingIndexes: Bool {
        get throws { try db.scalarInt("SELECT EXISTS (SELECT 1 FROM pending_indexes)") == 1 }
    }

    /// Builds every pending index (or only the one `named`, if it is
    /// pending), in one transaction that also forgets them; a read and
    /// nothing else when there are none. The list is read inside the
    /// transaction, so that two processes never build the same index.
    ///
    /// `besideOtherWork`: the history is derived on the other core meanwhile,
    /// so SQLite's sorter gets no helper thread (SQLiteDatabase.buildingIndexes).
    public func buildPendingIndexes(named name: String? = nil, besideOtherWork: Bool = false) throws {
        guard try hasPendingIndexes else { return }
        let which = name == nil ? "" : " WHERE name = ?"
        try db.transaction {
            var statements: [String] = []
            let s = try db.prepare("SELECT sql FROM pending_indexes\(which) ORDER BY name")
            if let name { s.bind(1, name) }
            while try s.step() { if let sql = s.text(0) { statements.append(sql) } }
            try db.buildingIndexes(sorterThreads: besideOtherWork ? 0 : 1) {
                for sql in statements { try db.execute(sql) }
            }
            let forget = try db.prepare("DELETE FROM pending_indexes\(which)")
            if let name { forget.bind(1, name) }
            try forget.run()
        }
    }
}
