import Foundation
import Ingest
import Store
import Testing

/// The ingest command builds the indexes of messages beside the history
/// (PendingIndexes, HistoryBuilder.rebuildBesidePendingIndexes): the
/// database must be the one that building them first gives, and an ingest
/// stopped before they are built must not leave them missing for good.
@Suite("Indexes built beside the history")
struct IndexesBesideHistoryTests {
    /// Ingests into a new database, the indexes beside the history or not.
    func ingest(_ paths: [String], beside: Bool, rebuild: Bool = true) throws -> (Store, String) {
        let db = Fixture.tempPath(".sqlite")
        let store = try Store(path: db)
        let ingester = Ingester(store: store)
        ingester.indexesBesideHistory = beside
        let outcomes = paths.map { ingester.ingest(path: $0) }
        for o in outcomes { if case .failed(let why) = o { Issue.record("\(why)") } }
        if rebuild { try ingester.rebuildHistory(after: outcomes) }
        return (store, db)
    }

    func pending(_ store: Store) throws -> Int {
        try Fixture.count(store, "SELECT count(*) FROM pending_indexes")
    }

    /// Samples, and a late start (connections without their handshake, left to the index by the gathered spill).
    @Test(arguments: [["fleet-small.pcap"], ["fleet-small.pcapng", "fleet-small.pcap"], ["late-start"]])
    func theDatabaseIsTheSameAsWithTheIndexesFirst(samples: [String]) throws {
        // Only the file made here is removed (a clone may itself lie in the temporary folder).
        let late = samples == ["late-start"] ? try Fixture.lateStart("fleet-small.pcap", skipping: 3000) : nil
        defer { if let late { try? FileManager.default.removeItem(atPath: late) } }
        let paths = late.map { [$0] } ?? samples.map(Fixture.sample)
        let (first, a) = try ingest(paths, beside: false)
        let (beside, b) = try ingest(paths, beside: true)
        defer { for p in [a, b] { Store.removeFiles(atPath: p) } }
        let expected = try Fixture.dump(first)
        #expect(expected.contains { $0.hasPrefix("meter_values:") })
        #expect(expected.contains { $0.hasPrefix("index:messages_unanswered|") })
        let got = try Fixture.dump(beside)
        #expect(got.count == expected.count)
        if let (x, y) = zip(expected, got).first(where: { $0 != $1 }) { Issue.record("first:  \(x)\nbeside: \(y)") }
        #expect(try pending(beside) == 0)
        if samples == ["late-start"] {
            // Identities learned at the end of the source, not from a handshake.
            #expect(try Fixture.count(beside, "SELECT count(*) FROM connections WHERE identity_source <> 'url-path'") > 0)
        }
        // The copy in went under a rollback journal; the WAL is back for readers.
        #expect(try beside.db.scalarText("PRAGMA journal_mode") == "wal")
        // The bulk load, the index builds and the copy in ran with the small cache; the connection has its own back.
        for store in [first, beside] {
            #expect(try store.db.scalarInt("PRAGMA cache_size") == -32768)
            #expect(try store.db.scalarInt("PRAGMA threads") == 0)
        }
    }

    @Test func indexesLeftPendingAreBuiltAtTheNextOpen() throws {
        // As if the ingest had stopped after committing the messages.
        let (store, db) = try ingest([Fixture.sample("fleet-small.pcap")], beside: true, rebuild: false)
        defer { Store.removeFiles(atPath: db) }
        func messageIndexes(_ s: Store) throws -> Set<String> {
            var names = Set<String>()
            try s.rows("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL") { names.insert($0.text("name")!) }
            return names
        }
        // Only the three kept row by row during the load (SourceWriter.keptDuringBulkLoad); the history's too is pending.
        #expect(try messageIndexes(store) == ["messages_time", "messages_unanswered", "messages_slow_answers"])
        #expect(try pending(store) == 3)
        let reopened = try Store(path: db)
        #expect(try messageIndexes(reopened) == ["messages_cp_time", "messages_action_time", "messages_time", "messages_unanswered",
                                                 "messages_slow_answers", "messages_life"])
        #expect(try pending(reopened) == 0)
    }

    /// The index by charge point and time waits for the history's phase only
    /// when the gathered messages hold every charge point in time order (an
    /// in-order capture); a late start leaves charge points to the index,
    /// which then comes first (HistoryBuilder.rebuildBesidePendingIndexes).
    @Test func theHistoryIndexComesFirstOnlyWhenTheHistoryReadsByIt() throws {
        let late = try Fixture.lateStart("fleet-small.pcap", skipping: 3000)
        defer { try? FileManager.default.removeItem(atPath: late) }
        for (path, inOrder) in [(Fixture.sample("fleet-small.pcap"), true), (late, false)] {
            let db = Fixture.tempPath(".sqlite")
            defer { Store.removeFiles(atPath: db) }
            let store = try Store(path: db)
            let ingester = Ingester(store: store)
            ingester.indexesBesideHistory = true
            guard case .ingested = ingester.ingest(path: path) else { Issue.record("not ingested: \(path)"); continue }
            let spill = try #require(ingester.gatheredHistory)
            spill.endGathering()
            #expect(spill.holdsInOrder(try store.allChargePoints()) == inOrder, "\(path)")
            #expect(!spill.holdsInOrder(["no such charge point"]))
            // Built alone, and no longer pending.
            #expect(try pending(store) == 3)
            try store.buildPendingIndexes(named: SourceWriter.historyIndex)
            #expect(try pending(store) == 2)
            #expect(try Fixture.count(store, "SELECT count(*) FROM sqlite_master WHERE name = 'messages_cp_time'") == 1)
            try store.buildPendingIndexes(named: SourceWriter.historyIndex)
            #expect(try pending(store) == 2)
        }
    }

    @Test func withHistoryAlreadyThereTheIndexesComeFirst() throws {
        let (store, db) = try ingest([Fixture.sample("fleet-small.pcap")], beside: true, rebuild: false)
        defer { Store.removeFiles(atPath: db) }
        // A history row the staged copy could not keep the ids of.
        try store.db.execute("INSERT INTO connectivity(charge_point, online, from_us, to_us, began, ended) VALUES ('x', 1, 0, 1, 'connect', 'closed')")
        try store.db.execute("DELETE FROM connectivity")
        #expect(try store.historyIsEmpty)
        try store.db.execute("INSERT INTO connectivity(charge_point, online, from_us, to_us, began, ended) VALUES ('x', 1, 0, 1, 'connect', 'closed')")
        #expect(try !store.historyIsEmpty)
        let counts = try HistoryBuilder.rebuildBesidePendingIndexes(store: store, chargePoints: try store.allChargePoints())
        #expect(try pending(store) == 0)
        #expect(counts["transactions", default: 0] > 0)
        #expect(try Fixture.count(store, "SELECT count(*) FROM transactions") == counts["transactions"])
    }
}
