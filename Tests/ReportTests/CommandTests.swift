import Foundation
import Testing

/// `ocppscope report html` as users run it: what it writes and how it fails.
@Suite("report html command")
struct CommandTests {
    @Test func itWritesThePageAndFailsWithMessagesThatSayWhatToDo() throws {
        let (_, db) = try ReportFixture.ingest([ReportFixture.sample("fleet-small.pcap")])
        let out = ReportFixture.tempPath(".html")
        defer { ReportFixture.remove(db); try? FileManager.default.removeItem(atPath: out) }

        var (status, err) = try ReportFixture.run(["report", "html", "--db", db, "--out", out])
        #expect(status == 0, "\(err)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<section id=\"uptime\">"))

        (status, err) = try ReportFixture.run(["report", "html", "--db", db, "--charge-point", "CP 0003-Süd",
                                               "--from", "2025-03-03T06:00", "--to", "2025-03-03T07:00", "--out", out])
        #expect(status == 0, "\(err)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("<h2>5 Charge point CP 0003-Süd</h2>"))

        (status, err) = try ReportFixture.run(["report", "html", "--db", db, "--charge-point", "cp0001", "--out", out])
        #expect(status == 1)
        #expect(err.contains("no charge point 'cp0001'") && err.contains("'CP0001'") && err.contains("ocppscope chargers"))

        let missing = ReportFixture.tempPath(".sqlite")
        (status, err) = try ReportFixture.run(["report", "html", "--db", missing, "--out", out])
        #expect(status == 1)
        #expect(err.contains("no database at \(missing)") && err.contains("ocppscope ingest"))

        (status, err) = try ReportFixture.run(["report", "html", "--db", db, "--from", "yesterday", "--out", out])
        #expect(status == 64)
        #expect(err.contains("--from 'yesterday' is not a time") && err.contains("ISO 8601"))

        (status, err) = try ReportFixture.run(["report", "html", "--db", db, "--from", "2025-03-04", "--to", "2025-03-03", "--out", out])
        #expect(status == 64)
        #expect(err.contains("--to must be after --from"))

        (status, err) = try ReportFixture.run(["report", "html", "--db", db, "--out", "/nonexistent-folder/r.html"])
        #expect(status == 1)
        #expect(err.contains("cannot write /nonexistent-folder/r.html"))

        let exclusions = ReportFixture.tempPath(".csv")
        try "charge_point,connector,from,to,reason\nCP0006,*,yesterday,today,x\n".write(toFile: exclusions, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: exclusions) }
        (status, err) = try ReportFixture.run(["report", "html", "--db", db, "--exclusions", exclusions, "--out", out])
        #expect(status == 1)
        #expect(err.contains("exclusions line 2") && err.contains("ISO 8601"))

        (status, _) = try ReportFixture.run(["report", "html", "--db", db])
        #expect(status == 64)                                        // --out is required
    }

    @Test func anEmptyPeriodStillWritesAPage() throws {
        let (_, db) = try ReportFixture.ingest([ReportFixture.sample("fleet-small.pcap")])
        let out = ReportFixture.tempPath(".html")
        defer { ReportFixture.remove(db); try? FileManager.default.removeItem(atPath: out) }
        let (status, err) = try ReportFixture.run(["report", "html", "--db", db, "--from", "2024-01-01", "--to", "2024-01-02", "--out", out])
        #expect(status == 0, "\(err)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("No OCPP data in this period"))
    }

    @Test func helpHasADiscussionWithExamples() throws {
        let p = Process()
        p.executableURL = ReportFixture.executable
        p.arguments = ["report", "html", "--help"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let help = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(help.contains("self-contained") && help.contains("Examples:") && help.contains("ocppscope report html --out fleet.html"))
        #expect(help.contains("--charge-point") && help.contains("scripts/render-report.sh"))
    }
}
