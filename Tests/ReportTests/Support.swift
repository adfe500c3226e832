import Foundation
import Ingest
import Report
import Store
import Testing

/// Paths and databases the report tests use.
enum ReportFixture {
    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sample(_ name: String) -> String { root.appendingPathComponent("samples").appendingPathComponent(name).path }

    static func tempPath(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ocppscope-report-\(UUID().uuidString)\(suffix)").path
    }

    /// Ingests files into a fresh database (history included) and returns it with its path.
    static func ingest(_ paths: [String]) throws -> (Store, String) {
        let db = tempPath(".sqlite")
        let store = try Store(path: db)
        let ingester = Ingester(store: store)
        let outcomes = paths.map { ingester.ingest(path: $0) }
        try ingester.rebuildHistory(after: outcomes)
        return (store, db)
    }

    static func remove(_ db: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
    }

    /// The bundled sample's report data, for a period or the whole data.
    static func sampleReport(chargePoint: String? = nil) throws -> (ReportData, Store, String) {
        let (store, db) = try ingest([sample("fleet-small.pcap")])
        let g = ReportGatherer(store: store)
        let scope = try #require(try g.scope(from: nil, to: nil, chargePoint: chargePoint))
        return (try g.gather(scope, database: db, generatedAt: "2026-01-01T00:00:00Z"), store, db)
    }

    /// The built ocppscope executable (swift test builds it with the tests).
    static var executable: URL { root.appendingPathComponent(".build/debug/ocppscope") }

    /// Runs the executable; returns its exit status and standard error.
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
