import Analysis
import ArgumentParser
import Foundation
import Frames
import Report
import Store

/// `report html`: the report people read — one self-contained HTML file.
struct HTMLReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "html",
        abstract: "One self-contained HTML page with charts: fleet, uptime, energy, anomalies.",
        discussion: """
        Writes --out, a single HTML file that a browser opens directly, with no
        network access: inline CSS and SVG charts, no scripts, fonts or images to
        fetch. It holds

          1 Fleet overview: charge points by OCPP version, vendor and firmware;
            messages, sessions and energy in the period; decode issues by layer
            (how complete the data is)
          2 Uptime: a bar per port against the 97 % line (NEVI, 23 CFR
            680.116(b), as `ocppscope uptime` computes it), a status strip per
            connector (available, charging, faulted, unavailable, offline,
            unknown) and every outage with its cause
          3 Energy: energy per day (per hour for a period of two days or less)
            and the sessions with their flags
          4 Anomalies: findings per kind of `ocppscope anomalies` and the top
            findings
          5 With --charge-point: its timeline (connection, connectors, sessions)
            and its events

        --exclusions takes the CSV of `ocppscope uptime --exclusions`
        (charge_point,connector,from,to,reason): outage minutes inside it are
        excluded from the uptime, and the outage list says why.

        The period defaults to the span of the data (of the charge point, with
        --charge-point). All times are UTC. A period without data still gives a
        page, which says so. Print it to PDF from the browser, or with
        `chromium --headless --print-to-pdf=report.pdf report.html`;
        scripts/render-report.sh renders the bundled sample.

        Examples:
          ocppscope report html --out fleet.html
          ocppscope report html --from 2026-01-01 --to 2026-04-01 --out 2026Q1.html
          ocppscope report html --charge-point CP0001 \\
            --from 2026-03-02T14:00 --to 2026-03-02T15:00 --out incident.html

        Exit codes: 0 written; 1 the database cannot be read, the charge point is
        not in it, or the file cannot be written; 64 usage error (a time that is
        not ISO 8601, --to not after --from).
        """
    )

    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "Start of the period (inclusive; ISO 8601, UTC when no zone is given; default: start of the data).")
    var from: String?

    @Option(name: .long, help: "End of the period (exclusive; default: end of the data).")
    var to: String?

    @Option(name: .long, help: "Only this charge point, and add its timeline.")
    var chargePoint: String?

    @Option(name: .long, help: "CSV of excluded windows: charge_point,connector,from,to,reason (as for uptime).")
    var exclusions: String?

    @Option(name: .long, help: "The HTML file to write.")
    var out: String

    func validate() throws {
        do {
            let a = try from.map { try parseTime($0, option: "--from") }
            let b = try to.map { try parseTime($0, option: "--to") }
            if let a, let b, b.microseconds <= a.microseconds { throw ValidationError("--to must be after --from") }
        } catch let e as ValidationFailure {
            throw ValidationError(e.description)
        }
    }

    func run() throws {
        let from = try self.from.map { try parseTime($0, option: "--from").microseconds }
        let to = try self.to.map { try parseTime($0, option: "--to").microseconds }
        let store: Store
        do { store = try Store(readOnly: db) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        var gatherer = ReportGatherer(store: store)
        if let path = exclusions {
            do { gatherer.exclusions = try ExclusionFile.parse(String(contentsOfFile: path, encoding: .utf8)) } catch {
                printError("error: \(path): \(error)")
                throw Exit.failure
            }
        }
        if let cp = chargePoint {
            let known = try gatherer.chargePointIdentities()
            guard known.contains(cp) else {
                let some = known.prefix(10).map { "'\($0)'" }.joined(separator: ", ") + (known.count > 10 ? ", …" : "")
                printError("error: no charge point '\(cp)' in \(db)" + (known.isEmpty ? " (it holds none)" : "; it holds \(some)")
                           + ". Identities are exact and case-sensitive; `ocppscope chargers --db \(db)` lists them.")
                throw Exit.failure
            }
        }
        let nowUs = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let day: Int64 = 86_400_000_000
        // No data and no period given: the page still says what it looked at (the last day).
        let scope = try gatherer.scope(from: from, to: to, chargePoint: chargePoint)
            ?? ReportScope(from: from ?? (to ?? nowUs) - day, to: to ?? (from.map { $0 + day } ?? nowUs), chargePoint: chargePoint)
        let data = try gatherer.gather(scope, database: db, generatedAt: Timestamp(microseconds: nowUs).iso8601)
        do {
            try HTMLReport.render(data).write(toFile: out, atomically: true, encoding: .utf8)
        } catch {
            printError("error: cannot write \(out): \(error.localizedDescription); check that its folder exists and is writable")
            throw Exit.failure
        }
        print("wrote \(out): \(data.fleet.chargePoints.count) charge points, \(data.uptime.bars.count) ports, "
              + "\(data.energy.sessions.count) sessions, \(data.anomalies.total) anomaly findings"
              + (data.isEmpty ? " (no data in the period)" : ""))
    }
}
