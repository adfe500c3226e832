import Analysis
import ArgumentParser
import Compliance
import Foundation
import Frames
import Queries
import Store

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports for regulators and people.",
        subcommands: [NEVIReport.self, CECReport.self, HTMLReportCommand.self]
    )
}

/// Writes a CSV file from rows, times as ISO 8601, streaming: a half-year of
/// 15-minute records for a fleet is millions of rows, never all in memory.
/// Written to a temporary name and renamed by `write()`, so a report cut
/// short leaves no half file under the real name.
final class CSVFile {
    private var text = ""
    let path: String
    private let partial: String
    private var handle: FileHandle?
    /// The first write that failed (a full disk): said by `write()`, which
    /// then leaves no file under the real name.
    private var failure: Error?

    struct CannotWrite: Error, CustomStringConvertible {
        var path: String
        var why: String
        var description: String { "cannot write \(path): \(why)" }
    }

    init(_ path: String, columns: [String]) throws {
        self.path = path
        partial = path + ".partial"
        let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CannotWrite(path: partial, why: String(cString: strerror(errno))) }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        text = columns.map(csvField).joined(separator: ",") + "\n"
    }
    func row(_ cells: [Cell]) {
        text += cells.map { csvField($0.plain) }.joined(separator: ",") + "\n"
        if text.utf8.count > 1 << 16 { flush() }
    }
    private func flush() {
        // The throwing write: the old one ends the process on an error.
        if failure == nil {
            do { try handle?.write(contentsOf: Data(text.utf8)) } catch { failure = CannotWrite(path: partial, why: "\(error)") }
        }
        text = ""
    }
    func write() throws {
        flush()
        try handle?.close()
        handle = nil
        if let failure {
            try? FileManager.default.removeItem(atPath: partial)
            throw failure
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: partial, toPath: path)
    }
}

struct NEVIReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nevi",
        abstract: "The quarterly data of 23 CFR 680.112(a) as CSV files.",
        discussion: """
        Writes into --out: sessions.csv (680.112(a)(1)–(6): station and port, session
        start and end, error codes of unsuccessful sessions, energy kWh, peak power
        kW, payment method), uptime.csv ((a)(7): port uptime, T_outage and T_excluded
        for each month of the quarter, by the 680.116(b) formula) and outages.csv
        ((a)(8): each outage with its duration in minutes and cause), and rules.txt
        (the regime and the rules applied). Station and port identifiers are the OCPP
        identity and [EVSE/]connector.

        Example:
          ocppscope report nevi --quarter 2026Q1 --out nevi-2026Q1 --exclusions excluded.csv
        """
    )

    @Option(name: .long, help: "The quarter, e.g. 2026Q1.")
    var quarter: String

    @Option(name: .long, help: "The folder to write the CSV files into (created).")
    var out: String

    @Option(name: .long, help: "CSV of excluded windows: charge_point,connector,from,to,reason.")
    var exclusions: String?

    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    func run() throws {
        guard let span = PeriodKind.named(quarter), quarter.uppercased().contains("Q") else {
            throw ValidationError("--quarter takes a quarter such as 2026Q1")
        }
        let store = try openReadOnlyStore(db)
        let excl = try loadExclusions(exclusions)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let params: [String: SQLValue] = ["from_us": .int(span.from), "to_us": .int(span.to)]

        let sessions = try CSVFile((out as NSString).appendingPathComponent("sessions.csv"),
                               columns: ["station_id", "port_id", "session_start", "session_end", "error_codes", "energy_kwh",
                                         "peak_power_kw", "payment_method", "transaction_id"])
        var sessionCount = 0
        try store.rows(QueryCatalog.named("nevi-sessions")!.sql, params) { r in
            sessionCount += 1
            sessions.row([.text(r.text("station_id")), .text(r.text("port_id")), .text(isoTime(r.int("session_start_us"))),
                          .text(isoTime(r.int("session_end_us"))), .text(r.text("error_codes")), .number(r.double("energy_kwh"), decimals: 3),
                          .number(r.double("peak_power_kw"), decimals: 2), .text(r.text("payment_method")), .text(r.text("transaction_id"))])
        }
        try sessions.write()

        let months = try UptimeData.uptime(store: store, chargePoint: nil, from: span.from, to: span.to, kind: .month, exclusions: excl)
        let uptime = try CSVFile((out as NSString).appendingPathComponent("uptime.csv"),
                             columns: ["station_id", "port_id", "month", "period_minutes", "uptime_percent", "t_outage_minutes",
                                       "t_excluded_minutes", "unknown_minutes"])
        let outages = try CSVFile((out as NSString).appendingPathComponent("outages.csv"),
                              columns: ["station_id", "port_id", "outage_start", "outage_end", "duration_minutes", "cause",
                                        "excluded_minutes", "exclusion_reason"])
        var outageCount = 0
        for u in months {
            let port = (u.evse.map { "\($0)/" } ?? "") + "\(u.connector)"
            uptime.row([.text(u.chargePoint), .text(port), .text(String(Timestamp(microseconds: u.period.from).iso8601.prefix(7))),
                        .number(minutes(u.periodMicros), decimals: 1), .number(u.uptimePercent, decimals: 3),
                        .number(minutes(u.outageMicros), decimals: 1), .number(minutes(u.excludedMicros), decimals: 1),
                        .number(minutes(u.unknownMicros), decimals: 1)])
            for o in u.outages {
                outageCount += 1
                outages.row([.text(u.chargePoint), .text(port), .text(Timestamp(microseconds: o.span.from).iso8601),
                             .text(Timestamp(microseconds: o.span.to).iso8601), .number(minutes(o.span.length), decimals: 1),
                             .text(o.cause), .number(minutes(o.excludedMicros), decimals: 1), .text(o.exclusionReasons.joined(separator: "; "))])
            }
        }
        try uptime.write()
        try outages.write()
        try (Regime.nevi.statement + "\n").write(toFile: (out as NSString).appendingPathComponent("rules.txt"), atomically: true, encoding: .utf8)
        print("wrote \(out)/sessions.csv (\(sessionCount) sessions), uptime.csv (\(months.count) port-months), outages.csv (\(outageCount) outages), rules.txt")
        print(Regime.nevi.statement)
    }
}
