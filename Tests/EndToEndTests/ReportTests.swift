import Foundation
import Store
import Testing

/// `ocppscope report nevi` on the bundled sample: the 680.112(a) CSV files.
@Suite("NEVI quarterly report")
struct ReportTests {
    @Test func theQuarterlyFilesHoldTheSampleSessionsAndEveryPortMonth() throws {
        let (_, _, db) = try Fixture.ingest([Fixture.sample("fleet-small.pcap")])
        let out = Fixture.tempPath("-nevi")
        defer { Store.removeFiles(atPath: db); try? FileManager.default.removeItem(atPath: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Fixture.root.appendingPathComponent(".build/debug/ocppscope").path)
        p.arguments = ["report", "nevi", "--quarter", "2025Q1", "--out", out, "--db", db]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        func lines(_ f: String) throws -> [String] {
            try String(contentsOfFile: "\(out)/\(f)", encoding: .utf8).split(separator: "\n").map(String.init)
        }
        let truth = try Fixture.truth("fleet-small.pcap")
        let sessions = try lines("sessions.csv")
        #expect(sessions.first == "station_id,port_id,session_start,session_end,error_codes,energy_kwh,peak_power_kw,payment_method,transaction_id")
        #expect(sessions.count - 1 == (truth["transactions"] as! [[String: Any]]).count)
        let uptime = try lines("uptime.csv")
        #expect(uptime.first?.hasPrefix("station_id,port_id,month,period_minutes,uptime_percent,t_outage_minutes,t_excluded_minutes") == true)
        // Every port, for each of the quarter's three months.
        let ports = Set(uptime.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") })
        #expect(uptime.count - 1 == ports.count * 3)
        #expect(uptime.dropFirst().filter { $0.contains(",2025-03,") }.count == ports.count)
        #expect(try lines("outages.csv").first == "station_id,port_id,outage_start,outage_end,duration_minutes,cause,excluded_minutes,exclusion_reason")
    }
}
