import Foundation
import History
import Ingest
import Store
import Testing

/// The history's messages read once in rowid order (HistorySpill) must be
/// those the index gives, in the same order, or the spill must say it does
/// not hold them.
@Suite("History's messages in rowid order")
struct HistorySpillTests {
    /// Everything the trackers read of a message, as text.
    func describe(_ m: HistoryMessage) -> String {
        [String(m.id), String(m.time.microseconds), String(m.connection), m.direction.wireName, m.type.name, m.action ?? "-",
         String(m.kind.rawValue), m.payload.value.serialized, String(m.payloadKey), m.request.map(String.init) ?? "-",
         m.errorCode ?? "-", m.ocppVersion ?? "-"].joined(separator: "|")
    }

    func throughIndex(_ store: Store, _ cp: String) throws -> [String] {
        var out: [String] = []
        try store.historyMessages(cp) { out.append(describe($0)) }
        return out
    }

    /// `nil` when the spill leaves the charge point to the index.
    func throughSpill(_ spill: HistorySpill, _ cp: String) throws -> [String]? {
        var out: [String] = []
        return try spill.messages(of: cp) { out.append(describe($0)) } ? out : nil
    }

    /// Budgets from one that sends every few records to the file to one that keeps all in memory.
    @Test(arguments: [4096, 64 << 10, HistorySpill.defaultBudget])
    func theSameMessagesInTheSameOrder(budget: Int) throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        let cps = try store.allChargePoints()
        #expect(cps.count > 5)
        let spill = try store.spillHistoryMessages(of: cps, budget: budget)
        #expect(spill.rows == Int(try store.db.scalarInt("SELECT count(*) FROM messages") ?? -1))
        #expect(spill.unordered == 0)
        // All in the file once the pass is over, whatever the budget.
        #expect(spill.fileBytes > 0)
        #expect(spill.heldBytes == 0)
        var seen = 0
        for cp in cps {
            let expected = try throughIndex(store, cp)
            let got = try throughSpill(spill, cp)
            #expect(got == expected, "\(cp)")
            seen += expected.count
            // Read once: its memory is given back, and a second read is the index's.
            #expect(try throughSpill(spill, cp) == nil || expected.isEmpty)
        }
        #expect(seen == spill.rows)
        #expect(seen > 1000)
    }

    @Test func chargePointsNotAskedForArePassedOver() throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        let cps = try store.allChargePoints()
        let some = Array(cps.prefix(2))
        let spill = try store.spillHistoryMessages(of: some, budget: 4096)
        for cp in some { #expect(try throughSpill(spill, cp) == throughIndex(store, cp)) }
        #expect(try throughSpill(spill, cps.last!) == nil)
        #expect(spill.rows == some.reduce(0) { $0 + ((try? throughIndex(store, $1).count) ?? 0) })
    }

    /// No room for the file: a clear error (the history's reader then reads
    /// through the index), and the database untouched.
    @Test func aFolderThatCannotHoldTheFileIsAClearError() throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        #expect {
            _ = try store.spillHistoryMessages(of: try store.allChargePoints(), directory: "/nonexistent-folder")
        } throws: { "\($0)".contains("cannot make a temporary file in /nonexistent-folder") }
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages") ?? 0 > 1000)
    }

    /// Ingests `paths` into a new database as the ingest command does, up
    /// to the history: the spill gathered while the rows were written.
    func gathered(_ paths: [String]) throws -> (Store, HistorySpill?, String) {
        let db = Fixture.tempPath(".sqlite")
        let store = try Store(path: db)
        let ingester = Ingester(store: store)
        ingester.indexesBesideHistory = true
        for p in paths { if case .failed(let why) = ingester.ingest(path: p) { Issue.record("\(why)") } }
        let spill = ingester.gatheredHistory
        spill?.endGathering()
        return (store, spill, db)
    }

    /// Gathered as the rows are written, the spill holds what the pass after would read.
    @Test func gatheredWhileWrittenTheSameAsThroughTheIndex() throws {
        let (store, gathered, db) = try gathered([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        let spill = try #require(gathered)
        #expect(!spill.failed)
        #expect(spill.rows == Int(try store.db.scalarInt("SELECT count(*) FROM messages") ?? -1))
        #expect(spill.unordered == 0)
        #expect(spill.heldBytes == 0)
        var seen = 0
        for cp in try store.allChargePoints() {
            let expected = try throughIndex(store, cp)
            #expect(try throughSpill(spill, cp) == expected, "\(cp)")
            seen += expected.count
        }
        #expect(seen == spill.rows)
    }

    /// Connections without their handshake learn identity and version at the
    /// end of the source: their charge points are left to the index, the
    /// others come from the spill as the index gives them.
    @Test func rowsSettledAtTheEndAreLeftToTheIndex() throws {
        let late = try Fixture.lateStart("fleet-small.pcap", skipping: 3000)
        defer { try? FileManager.default.removeItem(atPath: late) }
        let (store, gathered, db) = try gathered([late])
        defer { Store.removeFiles(atPath: db) }
        let spill = try #require(gathered)
        #expect(try Fixture.count(store, "SELECT count(*) FROM connections WHERE identity_source <> 'url-path'") > 0)
        #expect(spill.unordered > 0)
        var fromSpill = 0
        for cp in try store.allChargePoints() {
            guard let got = try throughSpill(spill, cp) else { continue }
            #expect(got == (try throughIndex(store, cp)), "\(cp)")
            fromSpill += 1
        }
        #expect(fromSpill > 0)
    }

    /// Into a database that holds messages already, no spill is gathered
    /// (it would lack them): the history reads the rows back.
    @Test func noSpillIsGatheredBesideEarlierMessages() throws {
        let (store, first, db) = try gathered([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        #expect(first != nil)
        let ingester = Ingester(store: store)
        ingester.indexesBesideHistory = true
        _ = ingester.ingest(path: Fixture.sample("fleet-small.pcapng"))
        #expect(ingester.gatheredHistory == nil)
        // Nor without the indexes beside the history (a PostgreSQL staging file, `ingest` as a library).
        let (other, _, db2) = try Fixture.ingest([])
        defer { Store.removeFiles(atPath: db2) }
        let plain = Ingester(store: other)
        _ = plain.ingest(path: Fixture.sample("fleet-small.pcap"))
        #expect(plain.gatheredHistory == nil)
    }

    /// The same fleet from two files: each charge point's times go back where
    /// the second file's rows begin, so the index must read it.
    @Test func timesThatGoBackAreLeftToTheIndex() throws {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcapng"), Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        let cps = try store.allChargePoints()
        let spill = try store.spillHistoryMessages(of: cps, budget: 4096)
        #expect(spill.unordered > 0)
        var left = 0
        for cp in cps {
            if let got = try throughSpill(spill, cp) { #expect(got == (try throughIndex(store, cp)), "\(cp)") } else { left += 1 }
        }
        #expect(left == spill.unordered)
    }
}
