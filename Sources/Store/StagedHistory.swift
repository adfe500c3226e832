/// The history derived into a staging file while this database builds its
/// pending indexes (HistoryBuilder.rebuildBesidePendingIndexes), then taken
/// in: SQLite lets one connection write a file at a time, and the index
/// builds hold this one's write transaction.
extension Store {
    /// The tables the History stage derives; it also sets columns of `charge_points`.
    static let historyTables = ["transactions", "meter_values", "status_intervals", "connectivity", "attempts"]
    /// The columns of `charge_points` that the History stage sets (HistoryWriter.chargePoint).
    static let derivedChargePointColumns = ["clock_skew_s", "clock_samples", "boots", "sessions", "heartbeat_interval_s", "energy_wh"]

    /// Whether nothing has been derived yet (a new database): only then is
    /// history derived elsewhere and copied in the same as derived here,
    /// ids included.
    public var historyIsEmpty: Bool {
        get throws {
            for table in Store.historyTables where try db.scalarInt("SELECT EXISTS (SELECT 1 FROM \(table))") == 1 {
                return false
            }
            return true
        }
    }

    /// Runs `body` with the database file at `path` attached as `staged`.
    private func withStaged<R>(_ path: String, _ body: () throws -> R) throws -> R {
        let attach = try db.prepare("ATTACH DATABASE ? AS staged")
        attach.bind(1, path)
        try attach.run()
        defer { try? db.execute("DETACH DATABASE staged") }
        return try body()
    }

    /// Gives a staging store (a new file, same schema) the charge points, whose
    /// derived columns the history sets there.
    public func copyChargePoints(into path: String) throws {
        try withStaged(path) {
            let columns = try db.columns(of: "charge_points").joined(separator: ", ")
            try db.execute("INSERT INTO staged.charge_points(\(columns)) SELECT \(columns) FROM main.charge_points")
        }
    }

    /// Takes in the history a staging store derived, in one transaction:
    /// its rows in id order into the empty history tables (so with the ids
    /// they would have had if derived here), and the derived columns of the
    /// charge points.
    public func adoptHistory(from path: String) throws {
        // Under a rollback journal, like a bulk load (SourceWriter).
        let leftWAL = db.leaveWAL()
        defer { if leftWAL { db.backToWAL() } }
        // Appended in page order into empty tables: the small cache (peak memory).
        try db.withSmallCache {
            try withStaged(path) {
                try db.transaction {
                    for table in Store.historyTables {
                        // Exactly this form lets SQLite copy the records and index entries as
                        // they are, in rowid order, without decoding them (its "transfer
                        // optimization"; 250 MB benchmark: the copy 1.12 s to 0.38 s); it needs the
                        // same columns in the same order, which the same migrations give.
                        let columns = try db.columns(of: table)
                        guard try columns == db.columns(of: table, in: "staged") else { throw StoreError("the staged \(table) has other columns") }
                        try db.execute("INSERT INTO main.\(table) SELECT * FROM staged.\(table)")
                    }
                    let set = Store.derivedChargePointColumns.map { "\($0) = s.\($0)" }.joined(separator: ", ")
                    try db.execute("UPDATE main.charge_points SET \(set) FROM staged.charge_points AS s WHERE s.identity = charge_points.identity")
                }
            }
        }
    }
}
