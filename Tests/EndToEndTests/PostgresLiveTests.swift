import Capture
import Foundation
import Frames
import Ingest
import OCPP
import Store
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Live sources into PostgreSQL (`capture`, `ingest --follow`): carried over
/// commit by commit while other writers write, every batch whole, and in
/// the end the same rows as the source written into SQLite in one go.
@Suite("Live sources into PostgreSQL", .serialized)
struct PostgresLiveTests {
    static var binary: String { Fixture.root.appendingPathComponent(".build/debug/ocppscope").path }

    func cluster() throws -> PostgresCluster { try PostgresCluster.required() }

    /// Writes the sample capture, from packet `skip` on (so some connections
    /// start without their handshake and learn identity and version only at
    /// the end), as one live source; with a mirror, committed and synced
    /// every `every` packets.
    func writeLive(into store: Store, mirror: PostgresLiveMirror?, skip: Int64, every: Int64,
                   midway: (() throws -> Void)? = nil) throws {
        let reader = try PcapFileReader(path: Fixture.sample("fleet-small.pcap"))
        let source = SourceDescription(kind: "live", path: "lo", size: 0, digest: "live:lo:test", linkType: reader.linkType.name, toolVersion: "test")
        let writer = try SourceWriter(store: store, source: source, ingestedAt: 1_000_000)
        let decoder = CaptureDecoder(sink: MessageDecoder(sink: writer))
        var failure: Error?
        var packets: Int64 = 0
        _ = reader.forEach { data, wire, time, number in
            packets = number
            guard number > skip, failure == nil else { return }
            decoder.process(data, wireLength: wire, time: time, number: number, linkType: reader.linkType)
            guard let mirror, number % every == 0 else { return }
            do {
                try writer.checkpoint(packets: number)
                try mirror.sync()
                if number == every * 3 { try midway?() }
            } catch { failure = error }
        }
        if let failure { throw failure }
        decoder.finish()
        _ = try writer.finish(SourceEnd(state: "complete", detail: nil, packets: packets))
        try mirror?.finish()
    }

    /// A table's rows with ids replaced by their rank (ids differ between the
    /// stores; their order and what they point at must not).
    func canonical(_ fetch: (String) throws -> [[SQLValue]], columns: [String: [String]]) throws -> [String: [String]] {
        var rank: [String: [Int64: Int]] = [:]
        var rows: [String: [[SQLValue]]] = [:]
        for t in ["connections", "messages", "decode_issues", "keepalives"] {
            rows[t] = try fetch("SELECT \(columns[t]!.joined(separator: ", ")) FROM \(t) ORDER BY id")
            var r: [Int64: Int] = [:]
            for (i, row) in rows[t]!.enumerated() { if case .int(let id) = row[0] { r[id] = i } }
            rank[t] = r
        }
        var out: [String: [String]] = [:]
        for (t, list) in rows {
            out[t] = list.map { row in
                zip(columns[t]!, row).map { c, v -> String in
                    guard case .int(let i) = v else { return "\(c)=\(v)" }
                    switch c {
                    case "id": return "id=#\(rank[t]![i]!)"
                    case "source_id": return "source"
                    case "connection_id": return "connection=#\(rank["connections"]![i].map(String.init) ?? "?")"
                    case "request_id": return "request=#\(rank["messages"]![i].map(String.init) ?? "?")"
                    default: return "\(c)=\(v)"
                    }
                }.joined(separator: " ")
            }
        }
        out["sources"] = try fetch("SELECT kind, path, digest, link_type, packets, connections, messages, decode_issues, first_us, last_us, end_state FROM sources")
            .map { "\($0)" }
        out["charge_points"] = try fetch("SELECT identity, vendor, model, serial, firmware, ocpp_version, heartbeat_interval_s, first_seen_us, last_seen_us FROM charge_points ORDER BY identity")
            .map { "\($0)" }
        return out
    }

    func sqliteRows(_ db: SQLiteDatabase) -> (String) throws -> [[SQLValue]] {
        { sql in
            let s = try db.prepare(sql)
            var out: [[SQLValue]] = []
            while try s.step() { out.append((0..<s.columnCount).map { s.value($0) }) }
            return out
        }
    }

    @Test func aLiveSourceMirroredCommitByCommitEqualsTheSameSourceInSQLite() throws {
        let url = try cluster().database()
        let referencePath = Fixture.tempPath(".sqlite")
        defer { Store.removeFiles(atPath: referencePath) }
        let reference = try Store(path: referencePath)
        try writeLive(into: reference, mirror: nil, skip: 40, every: 1)
        let stagingPath = Fixture.tempPath(".sqlite")
        defer { Store.removeFiles(atPath: stagingPath) }
        let staging = try Store(path: stagingPath)
        let pg = try PostgresStore(url: url)
        let mirror = try PostgresLiveMirror(staging: staging, pg: pg)
        var seenMidway = -1
        try writeLive(into: staging, mirror: mirror, skip: 40, every: 97) {
            // Readers see the source grow while it is written.
            seenMidway = Int(try Store(readOnly: url).totals()["messages"] ?? -1)
        }
        let total = try Fixture.count(reference, "SELECT count(*) FROM messages")
        #expect(seenMidway > 0 && seenMidway < total)
        // Rows changed after they were first carried over, which the sync had to send again.
        #expect(try Fixture.count(reference, "SELECT count(*) FROM connections WHERE identity_source <> 'url-path'") > 0)
        #expect(try Fixture.count(reference, "SELECT count(*) FROM connections WHERE closed_us IS NOT NULL") > 0)

        var columns: [String: [String]] = [:]
        for t in ["connections", "messages", "decode_issues", "keepalives"] {
            let s = try reference.db.prepare("SELECT name FROM pragma_table_info('\(t)') ORDER BY cid")
            while try s.step() { columns[t, default: []].append(s.text(0)!) }
        }
        let expected = try canonical(sqliteRows(reference.db), columns: columns)
        let got = try canonical({ try pg.pg.query($0, []).rows }, columns: columns)
        for t in expected.keys.sorted() {
            #expect(expected[t]!.count == got[t]!.count, "\(t): \(expected[t]!.count) rows in SQLite, \(got[t]!.count) in PostgreSQL")
            for (a, b) in zip(expected[t]!, got[t]!) where a != b {
                Issue.record("\(t) differs:\nSQLite:     \(a)\nPostgreSQL: \(b)")
                break
            }
        }
        #expect(mirror.chargePoints == Set(try sqliteRows(reference.db)("SELECT identity FROM charge_points").compactMap {
            if case .text(let t) = $0[0] { return t } else { return nil }
        }))
    }

    /// The sample capture's messages as a JSON-lines log, as a CSMS writes one.
    func logLines() throws -> [String] {
        let (store, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        defer { Store.removeFiles(atPath: db) }
        func quoted(_ s: String) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed]), as: UTF8.self)
        }
        var lines: [String] = []
        let s = try store.db.prepare("""
            SELECT time_us, charge_point, direction, type, unique_id, action, payload, error_code, error_description
            FROM messages ORDER BY time_us, id
            """)
        while try s.step() {
            let uid = quoted(s.text(4) ?? ""), payload = s.text(6) ?? "{}"
            let message: String
            switch s.text(3) {
            case "CALL": message = "[2,\(uid),\(quoted(s.text(5) ?? "")),\(payload)]"
            case "CALLRESULT": message = "[3,\(uid),\(payload)]"
            default: message = "[4,\(uid),\(quoted(s.text(7) ?? "GenericError")),\(quoted(s.text(8) ?? "")),\(payload)]"
            }
            lines.append("{\"time\":\"\(Timestamp(microseconds: s.int64(0)).iso8601)\",\"charge_point\":\(quoted(s.text(1) ?? "")),"
                         + "\"direction\":\"\(s.text(2) ?? "")\",\"message\":\(message)}")
        }
        return lines
    }

    func start(_ args: [String], output: Pipe? = nil, environment: [String: String]? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        if let environment { p.environment = environment }
        p.standardOutput = output ?? FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func append(_ lines: ArraySlice<String>, to path: String) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? h.close() }
        try h.seekToEnd()
        h.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// Messages PostgreSQL holds of the live sources (kind), polled until `n` or `seconds` pass.
    func waitForMessages(_ url: String, _ n: Int, seconds: Double = 40, where clause: String) -> Int {
        var seen = -1
        let until = Date().addingTimeInterval(seconds)
        while seen < n && Date() < until {
            Thread.sleep(forTimeInterval: 0.3)
            seen = (try? Fixture.count(Store(readOnly: url), named: "SELECT count(*) AS n FROM messages m JOIN sources s ON s.id = m.source_id WHERE \(clause)")) ?? -1
        }
        return seen
    }

    @Test func aFollowedLogGoesIntoPostgresCommitByCommitWhileAnotherIngestWrites() throws {
        let url = try cluster().database()
        let lines = try logLines()
        // The reference: the whole log (at the path followed later) and another capture, into SQLite one after the other.
        let log = Fixture.tempPath("-followed.log")
        defer { try? FileManager.default.removeItem(atPath: log) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let other = Fixture.sample("fleet-small.pcapng")
        let (_, _, reference) = try Fixture.ingest([log, other])
        defer { Store.removeFiles(atPath: reference) }

        // Cut where a CALL's answer comes after the cut, so a row already in
        // PostgreSQL must change with the next commit.
        let third = lines.count / 3
        let cut1 = (third..<lines.count).first { lines[$0].contains("\"message\":[2,") }! + 1
        let cut2 = (2 * third..<lines.count).first { lines[$0].contains("\"message\":[2,") }! + 1
        try (lines[..<cut1].joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let out = Pipe()
        let follower = try start(["ingest", log, "--follow", "--db", url], output: out)
        let writer = try start(["ingest", other, "--db", url, "--quiet"])
        let followed = "s.kind <> 'pcapng'"
        #expect(waitForMessages(url, cut1, where: followed) == cut1, "the first part is visible while the log is followed")
        try append(lines[cut1..<cut2], to: log)
        #expect(waitForMessages(url, cut2, where: followed) == cut2)
        try append(lines[cut2...], to: log)
        #expect(waitForMessages(url, lines.count, where: followed) == lines.count)
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        #expect(follower.isRunning)
        kill(follower.processIdentifier, SIGTERM)
        follower.waitUntilExit()
        #expect(follower.terminationStatus == 0)
        let summary = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(summary.contains("history:        rebuilt in PostgreSQL"), "\(summary)")

        let store = try Store(readOnly: url)
        #expect(try Fixture.count(store, named: "SELECT count(*) AS n FROM sources WHERE \(followed.replacingOccurrences(of: "s.", with: "")) AND end_state = 'stopped'") == 1)
        try StoreComparison.same(["uptime", "--format", "csv"], sqlite: reference, postgres: url)
        try StoreComparison.sameRowsWithoutIds(sqlite: reference, postgres: url)
        #expect(try store.totals() == Store(readOnly: reference).totals())
    }

    @Test func aFollowKilledMidwayLeavesEveryCommittedBatchWhole() throws {
        let url = try cluster().database()
        let lines = try logLines()
        let log = Fixture.tempPath("-killed.log")
        defer { try? FileManager.default.removeItem(atPath: log) }
        try "".write(toFile: log, atomically: true, encoding: .utf8)
        let tmp = Fixture.tempPath("-tmp")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let follower = try start(["ingest", log, "--follow", "--db", url], environment: try Fixture.environment(tmpdir: tmp))
        var written = 0
        // Lines keep coming in small pieces; the follower is killed once PostgreSQL has some.
        while written < lines.count {
            let next = min(lines.count, written + 40)
            try append(lines[written..<next], to: log)
            written = next
            Thread.sleep(forTimeInterval: 0.15)
            if waitForMessages(url, 1, seconds: 0.01, where: "true") > 0 && written > lines.count / 2 { break }
        }
        #expect(waitForMessages(url, 1, where: "true") > 0)
        kill(follower.processIdentifier, SIGKILL)
        follower.waitUntilExit()
        let store = try Store(readOnly: url)
        // The source as of its last commit: its counts are its rows, it says live, and each message's connection is there.
        #expect(try Fixture.count(store, named: "SELECT count(*) AS n FROM sources WHERE end_state = 'live'") == 1)
        #expect(try Fixture.count(store, named: """
            SELECT count(*) AS n FROM sources s WHERE s.messages <> (SELECT count(*) FROM messages m WHERE m.source_id = s.id)
               OR s.connections <> (SELECT count(*) FROM connections c WHERE c.source_id = s.id)
               OR s.decode_issues <> (SELECT count(*) FROM decode_issues d WHERE d.source_id = s.id)
            """) == 0)
        #expect(try Fixture.count(store, named: "SELECT count(*) AS n FROM messages m WHERE NOT EXISTS (SELECT 1 FROM connections c WHERE c.id = m.connection_id)") == 0)
        // `rebuild` derives the history of what is there.
        let (code, _, err) = try Fixture.run(["rebuild", "--db", url])
        #expect(code == 0, "\(err)")
    }

    @Test(.enabled(if: geteuid() == 0, "capturing needs root"))
    func aLiveCaptureGoesIntoPostgresWhileItRuns() throws {
        let url = try cluster().database()
        let peer = try LoopbackPeer()
        defer { close(peer.listener) }
        let out = Pipe()
        let p = try start(["capture", "--interface", "lo", "--filter", "tcp port \(peer.port)", "--db", url, "--commit-seconds", "0.5"], output: out)
        let banner = LoopbackPeer.firstLine(of: out)
        #expect(banner.hasPrefix("capturing on lo"))
        #expect(!banner.contains(PostgresCluster.password))
        Thread.sleep(forTimeInterval: 0.5)
        try peer.converse(identity: "LIVE-PG", calls: 5)
        // Another process reads what was committed while the capture runs.
        #expect(waitForMessages(url, 10, seconds: 20, where: "m.charge_point = 'LIVE-PG'") == 10)
        #expect(p.isRunning)
        let store = try Store(readOnly: url)
        #expect(try Fixture.count(store, named: "SELECT count(*) AS n FROM sources WHERE kind = 'live' AND end_state = 'live'") == 1)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let summary = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(summary.contains("stopped:"))
        #expect(try Fixture.count(store, named: "SELECT count(*) AS n FROM sources WHERE kind = 'live' AND end_state = 'complete'") == 1)
        #expect(try Fixture.count(store, named: "SELECT count(*) AS n FROM messages WHERE type = 'CALLRESULT' AND action = 'Heartbeat'") == 5)
        #expect(try Fixture.count(store, named: "SELECT count(*) AS n FROM messages WHERE type = 'CALL' AND answer = 'result'") == 5)
        #expect(try Fixture.count(store, named: "SELECT count(*) AS n FROM connections WHERE charge_point = 'LIVE-PG' AND close_code = 1000") == 1)
        #expect(try Fixture.count(store, named: "SELECT count(*) AS n FROM connectivity WHERE charge_point = 'LIVE-PG'") > 0, "the history was derived in PostgreSQL")
    }
}
