import Analysis
import ArgumentParser
import Compliance
import Foundation
import Frames
import Store

struct CECReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cec",
        abstract: "California's semiannual uptime report: 15-minute reliability records and the per-port summary, as CSV.",
        discussion: """
        The California Energy Commission's reliability standards for publicly funded
        DC fast chargers: 97% uptime per port; excluded downtime only for grid power
        loss, natural disasters, vandalism (at most 10 days per incident) and planned
        maintenance (at most 72 hours per port per calendar year), named by the
        exclusions file's reason column; anything else, and time beyond a cap, counts
        as outage. Writes into --out:
          intervals.csv   a row per port and 15-minute interval (hourly with
                          --interval-minutes 60): state up | down | excluded |
                          unknown, the minutes of each, an outage's cause;
          summary.csv     per port: uptime_percent, T_outage, T_excluded, the
                          exclusion time the rules refused, unknown minutes,
                          meets_97_percent;
          exclusions.csv  each exclusion as asked and as allowed, with its
                          category and note;
          rules.txt       the regime and the rules applied.
        Station and port identifiers are the OCPP identity and [EVSE/]connector.

        Examples:
          ocppscope report cec --half 2026H1 --out cec-2026H1 --exclusions excluded.csv
          ocppscope report cec --half 2026H2 --out cec-2026H2 --interval-minutes 60
        """
    )

    @Option(name: .long, help: "The half year, e.g. 2026H1 (January–June) or 2026H2.")
    var half: String

    @Option(name: .long, help: "The folder to write the CSV files into (created).")
    var out: String

    @Option(name: .long, help: "CSV of excluded windows: charge_point,connector,from,to,reason.")
    var exclusions: String?

    @Option(name: .long, help: "Length of the reliability records: 15 (default) or 60 minutes.")
    var intervalMinutes: Int = 15

    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    func run() throws {
        guard let span = PeriodKind.named(half), half.uppercased().contains("H") else {
            throw ValidationError("--half takes a half year such as 2026H1")
        }
        guard intervalMinutes == 15 || intervalMinutes == 60 else { throw ValidationError("--interval-minutes takes 15 or 60") }
        let store = try openReadOnlyStore(db)
        let excl = try loadExclusions(exclusions)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        func file(_ name: String) -> String { (out as NSString).appendingPathComponent(name) }
        let ports = try UptimeData.ports(store: store, chargePoint: nil)
        let results = CECRules.uptime(ports: ports, periods: [span], exclusions: excl)

        let intervals = try CSVFile(file("intervals.csv"), columns: ["station_id", "port_id", "interval_start", "interval_end", "state",
                                                                 "up_minutes", "outage_minutes", "excluded_minutes", "unknown_minutes", "cause"])
        let summary = try CSVFile(file("summary.csv"), columns: ["station_id", "port_id", "period_start", "period_end", "period_minutes",
                                                             "uptime_percent", "t_outage_minutes", "t_excluded_minutes",
                                                             "exclusion_refused_minutes", "unknown_minutes", "outages", "meets_97_percent"])
        let allowedFile = try CSVFile(file("exclusions.csv"), columns: ["station_id", "port_id", "from", "to", "reason", "category",
                                                                   "allowed_to", "outage_minutes", "excluded_minutes", "note"])
        var records = 0
        for (p, r) in zip(ports, results) {
            let port = (p.evse.map { "\($0)/" } ?? "") + "\(p.connector)"
            let allowed = CECRules.allow(excl, for: p)
            for a in allowed {
                allowedFile.row([.text(p.chargePoint), .text(port), .text(Timestamp(microseconds: a.requested.span.from).iso8601),
                                 .text(Timestamp(microseconds: a.requested.span.to).iso8601), .text(a.requested.reason),
                                 .text(a.category?.rawValue ?? "none"), .text(a.allowed.map { Timestamp(microseconds: $0.to).iso8601 }),
                                 .number(minutes(a.outageMicros), decimals: 1), .number(minutes(a.excludedMicros), decimals: 1), .text(a.note)])
            }
            let u = r.uptime
            summary.row([.text(p.chargePoint), .text(port), .text(Timestamp(microseconds: span.from).iso8601),
                         .text(Timestamp(microseconds: span.to).iso8601), .number(minutes(u.periodMicros), decimals: 1),
                         .number(u.uptimePercent, decimals: 3), .number(minutes(u.outageMicros), decimals: 1),
                         .number(minutes(u.excludedMicros), decimals: 1), .number(minutes(r.refusedMicros), decimals: 1),
                         .number(minutes(u.unknownMicros), decimals: 1), .int(Int64(u.outages.count)),
                         .text(r.meetsStandard.map { $0 ? "yes" : "no" })])
            for rec in CECRules.intervals(p, window: span, exclusions: CECRules.effective(allowed, for: p),
                                          step: Int64(intervalMinutes) * 60_000_000) {
                records += 1
                intervals.row([.text(p.chargePoint), .text(port), .text(Timestamp(microseconds: rec.span.from).iso8601),
                               .text(Timestamp(microseconds: rec.span.to).iso8601), .text(rec.state),
                               .number(minutes(rec.upMicros), decimals: 1), .number(minutes(rec.outageMicros), decimals: 1),
                               .number(minutes(rec.excludedMicros), decimals: 1), .number(minutes(rec.unknownMicros), decimals: 1),
                               .text(rec.cause)])
            }
        }
        try intervals.write()
        try summary.write()
        try allowedFile.write()
        try (Regime.cec.statement + "\n").write(toFile: file("rules.txt"), atomically: true, encoding: .utf8)
        print("wrote \(out)/intervals.csv (\(records) records of \(intervalMinutes) minutes), summary.csv (\(ports.count) ports), "
              + "exclusions.csv, rules.txt")
        print(Regime.cec.statement)
    }
}
