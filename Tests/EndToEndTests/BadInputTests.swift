import Foundation
import Ingest
import Store
import Testing

/// Inputs from the field: not captures, cut short, compressed, damaged.
@Suite("Bad and unusual inputs")
struct BadInputTests {
    func write(_ bytes: [UInt8], _ suffix: String) throws -> String {
        let p = Fixture.tempPath(suffix)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    var sampleBytes: [UInt8] { get throws { Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.sample("fleet-small.pcap")))) } }

    /// Numbers on the command line that no run can use (NaN, infinity, zero)
    /// are refused before any work, as usage errors: converted to
    /// microseconds they used to trap.
    @Test func unusableNumericOptionsAreUsageErrors() throws {
        let (nan, _, nanErr) = try Fixture.run(["rebuild", "--db", "/nonexistent/x.db", "--silence-multiple", "nan"])
        #expect(nan == 64 && nanErr.contains("--silence-multiple must be a positive number"))
        let (zero, _, zeroErr) = try Fixture.run(["rebuild", "--db", "/nonexistent/x.db", "--default-heartbeat", "0"])
        #expect(zero == 64 && zeroErr.contains("--default-heartbeat must be a positive number"))
        let (inf, _, infErr) = try Fixture.run(["reconcile", "--cdrs", "/nonexistent/cdrs.json", "--time-tolerance", "inf"])
        #expect(inf == 64 && infErr.contains("tolerances must be numbers of zero or more"))
    }

    @Test func aFileThatIsNotACaptureIsAClearFailure() throws {
        let text = try write(Array("2026-03-02 06:00:00 hello, not a capture\n".utf8), ".pcap")
        let empty = try write([], ".pcap")
        defer { for p in [text, empty] { try? FileManager.default.removeItem(atPath: p) } }
        let (store, outcomes, db) = try Fixture.ingest([text, empty])
        defer { Store.removeFiles(atPath: db) }
        for o in outcomes {
            guard case .failed(let why) = o else { Issue.record("expected failure, got \(o)"); continue }
            #expect(why.contains("not a pcap or pcapng capture"))
        }
        #expect(try Fixture.count(store, "SELECT count(*) FROM sources") == 0)
    }

    @Test func aTruncatedCaptureKeepsEverythingBeforeTheCut() throws {
        let all = try sampleBytes
        let cut = try write(Array(all.prefix(all.count / 2 + 7)), ".pcap")
        defer { try? FileManager.default.removeItem(atPath: cut) }
        let (store, outcomes, db) = try Fixture.ingest([cut])
        defer { Store.removeFiles(atPath: db) }
        guard case .ingested(let summary, let end)? = outcomes.first else { Issue.record("\(outcomes)"); return }
        #expect(end.state == "truncated")
        #expect(end.detail?.contains("after packet") == true)
        #expect(summary.messages > 500)
        #expect(summary.messages < 1701)
        #expect(try Fixture.count(store, "SELECT count(*) FROM decode_issues WHERE layer = 'pcap' AND reason = 'truncated-file'") == 1)
        #expect(try Fixture.count(store, "SELECT count(*) FROM sources WHERE end_state = 'truncated'") == 1)
        // Calls still open at the cut are "open", not "unanswered".
        #expect(try Fixture.count(store, "SELECT count(*) FROM messages WHERE answer = 'none'") <= 1)
    }

    @Test func aGzipCaptureIsReadAsAStream() throws {
        let gz = Fixture.tempPath(".bin")   // no .gz name: recognised by content
        defer { try? FileManager.default.removeItem(atPath: gz) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c '\(Fixture.sample("fleet-small.pcapng"))' > '\(gz)'"]
        try p.run()
        p.waitUntilExit()
        let (store, outcomes, db) = try Fixture.ingest([gz])
        defer { Store.removeFiles(atPath: db) }
        guard case .ingested(let summary, let end)? = outcomes.first else { Issue.record("\(outcomes)"); return }
        let truth = try Fixture.truth("fleet-small.pcapng")
        #expect(end.state == "complete")
        #expect(summary.messages == (truth["messages"] as! [String: Any])["total"] as! Int)
        #expect(try Fixture.count(store, "SELECT count(*) FROM sources WHERE kind = 'pcapng.gz'") == 1)
    }

    @Test func garbageAfterAValidHeaderNeverCrashes() throws {
        var bytes = Array(try sampleBytes.prefix(24 + 16 + 200))  // header, one record
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<4096 { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
        let p = try write(bytes, ".pcap")
        defer { try? FileManager.default.removeItem(atPath: p) }
        let (_, outcomes, db) = try Fixture.ingest([p])
        defer { Store.removeFiles(atPath: db) }
        switch outcomes.first {
        case .ingested(_, let end)?: #expect(end.state != "complete" || end.packets >= 1)
        case .failed?: break
        default: Issue.record("\(outcomes)")
        }
    }

    @Test func damagedPayloadBytesBecomeIssuesNotCrashes() throws {
        // Flip bytes all over the packet data (not the record headers' lengths):
        // every packet stays readable, the contents are wrong.
        var bytes = try sampleBytes
        var state: UInt64 = 42
        var offset = 24
        while offset + 16 <= bytes.count {
            let caplen = Int(bytes[offset + 8]) | Int(bytes[offset + 9]) << 8 | Int(bytes[offset + 10]) << 16
            let start = offset + 16
            if caplen > 60 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                if state >> 61 == 0 {   // one packet in eight
                    let at = start + 54 + Int((state >> 20) % UInt64(caplen - 54))
                    bytes[at] ^= 0x5A
                }
            }
            offset = start + caplen
        }
        let p = try write(bytes, ".pcap")
        defer { try? FileManager.default.removeItem(atPath: p) }
        let (store, outcomes, db) = try Fixture.ingest([p])
        defer { Store.removeFiles(atPath: db) }
        guard case .ingested(let summary, _)? = outcomes.first else { Issue.record("\(outcomes)"); return }
        // A damaged compressed message also costs every later message of its
        // direction (context takeover): far fewer than 1701 survive, but many do.
        #expect(summary.messages > 800)
        #expect(summary.issues > 100)
        #expect(try Fixture.count(store, "SELECT count(*) FROM decode_issues WHERE layer = 'deflate' AND reason = 'missing-history'") > 0)
        // Whatever was stored is valid JSON.
        #expect(try Fixture.count(store, "SELECT count(*) FROM messages WHERE json_valid(payload) = 0") == 0)
    }
}
