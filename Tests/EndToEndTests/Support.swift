import Foundation
import Ingest
import Store

/// Paths and helpers shared by the end-to-end tests.
enum Fixture {
    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sample(_ name: String) -> String { root.appendingPathComponent("samples").appendingPathComponent(name).path }

    static func tempPath(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ocppscope-e2e-\(UUID().uuidString)\(suffix)").path
    }

    /// An environment whose TMPDIR is `folder` (made here), for a child the
    /// test kills: the staging files it leaves go when the test removes the
    /// folder, not into the machine's temporary folder.
    static func environment(tmpdir folder: String) throws -> [String: String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment
        env["TMPDIR"] = folder
        return env
    }

    /// The generator's account of what it sent (written by Synth, not by the decoder).
    static func truth(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: sample(name + ".truth.json")))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// A classic pcap of the sample from its `skipping`th packet on, in the
    /// temporary folder: the connections already open start without their
    /// handshake, so their identity and version are learned at the end.
    static func lateStart(_ name: String, skipping: Int) throws -> String {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: sample(name))))
        var at = 24
        for _ in 0..<skipping {
            let caplen = Int(bytes[at + 8]) | Int(bytes[at + 9]) << 8 | Int(bytes[at + 10]) << 16 | Int(bytes[at + 11]) << 24
            at += 16 + caplen
        }
        let path = tempPath(".pcap")
        try Data(bytes[0..<24] + bytes[at...]).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Ingests files into a fresh database and returns it with the outcomes.
    static func ingest(_ paths: [String]) throws -> (Store, [InputOutcome], String) {
        let db = tempPath(".sqlite")
        let store = try Store(path: db)
        let ingester = Ingester(store: store)
        // As the ingest command does.
        ingester.indexesBesideHistory = true
        let outcomes = paths.map { ingester.ingest(path: $0) }
        try ingester.rebuildHistory(after: outcomes)
        return (store, outcomes, db)
    }

    /// Runs the built ocppscope with `args`; its exit status, standard output and standard error.
    static func run(_ args: [String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: root.appendingPathComponent(".build/debug/ocppscope").path)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    static func count(_ store: Store, _ sql: String, _ params: [SQLValue] = []) throws -> Int {
        Int(try store.db.scalarInt(sql, params) ?? -1)
    }

    /// A count from either store (SQLite or PostgreSQL); the query names its column `n`.
    static func count(_ store: Store, named sql: String) throws -> Int {
        var n = -1
        try store.rows(sql) { n = Int($0.int("n") ?? -1) }
        return n
    }

    /// Every row of every table, ids included (the time of the ingest aside),
    /// and every index with its definition.
    static func dump(_ store: Store) throws -> [String] {
        var out: [String] = []
        var tables: [String] = []
        try store.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_migrations', 'pending_indexes') ORDER BY name") { r in
            tables.append(r.text("name")!)
        }
        for table in tables {
            try store.rows("SELECT * FROM \(table) ORDER BY rowid") { r in
                let values = zip(r.columns, r.values).filter { $0.0 != "ingested_us" }.map { "\($0.1)" }
                out.append(table + ":" + values.joined(separator: "|"))
            }
        }
        try store.rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name") { r in
            out.append("index:\(r.text("name") ?? "")|\(r.text("sql") ?? "")")
        }
        return out
    }
}
