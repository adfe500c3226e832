import Analysis
import ArgumentParser
import Foundation
import Frames
import Store

struct UptimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uptime",
        abstract: "Per-port uptime by the NEVI rule, with every outage and its cause.",
        discussion: """
        A port (1.6: connector; 2.x: EVSE and connector) is down while its charge point is
        offline, or while the port — or, for 1.6, connector 0 — is Faulted or Unavailable; it is
        up while Available, Preparing, Charging, Suspended*, Finishing, Reserved or Occupied.
        Minutes the data does not cover, or in which the state is not known, are unknown:
        not up. uptime_percent = (period − (outage − excluded) − unknown) / period × 100, the
        23 CFR 680.116(b) formula generalised to the period; uptime_of_known_percent leaves the
        unknown minutes out. --exclusions takes a CSV charge_point,connector,from,to,reason
        (connector * for all). --explain lists each outage with the messages that began and
        ended it.

        Examples:
          ocppscope uptime --period month
          ocppscope uptime --from 2026-01-01 --to 2026-04-01 --period quarter --exclusions excl.csv --format json
          ocppscope uptime --charge-point CP0001 --explain
        """
    )

    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "Only this charge point.")
    var chargePoint: String?

    @Option(name: .long, help: "Start of the window (default: the start of the data).")
    var from: String?

    @Option(name: .long, help: "End of the window, exclusive (default: the end of the data).")
    var to: String?

    @Option(name: .long, help: "month, quarter, year or all: one row per port per period.")
    var period: String = "all"

    @Option(name: .long, help: "CSV of excluded windows: charge_point,connector,from,to,reason.")
    var exclusions: String?

    @Flag(name: .long, help: "List every outage with the messages that began and ended it.")
    var explain = false

    @Option(name: .long, help: "table, csv or json (one object per port and period).")
    var format: OutputFormat = .table

    func run() throws {
        guard let kind = PeriodKind(rawValue: period) else { throw ValidationError("--period takes month, quarter, year or all") }
        let from = try self.from.map { try parseTime($0, option: "--from").microseconds }
        let to = try self.to.map { try parseTime($0, option: "--to").microseconds }
        var excl: [Exclusion] = []
        if let path = exclusions {
            do { excl = try ExclusionFile.parse(String(contentsOfFile: path, encoding: .utf8)) } catch {
                printError("error: \(path): \(error)")
                throw Exit.failure
            }
        }
        let store: Store
        do { store = try Store(readOnly: db) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        let rows = try UptimeData.uptime(store: store, chargePoint: chargePoint, from: from, to: to, kind: kind, exclusions: excl)
        printUptime(rows, format: format, explain: explain)
    }
}

func minutes(_ us: Int64) -> Double { (Double(us) / 60_000_000 * 10).rounded() / 10 }

/// Prints uptime rows; JSON carries the outages as an array per port.
func printUptime(_ rows: [PortUptime], format: OutputFormat, explain: Bool, extraColumns: [String] = [], extra: (PortUptime) -> [Cell] = { _ in [] }) {
    let p = RowPrinter(columns: ["charge_point", "evse", "connector", "period_from", "period_to", "period_minutes", "unknown_minutes",
                                 "outage_minutes", "excluded_minutes", "uptime_percent", "uptime_of_known_percent"] + extraColumns
                           + [format == .json ? "outages" : "outage_count"], format: format)
    for u in rows {
        var cells: [Cell] = [.text(u.chargePoint), .int(u.evse.map(Int64.init)), .int(Int64(u.connector)),
                             .text(Timestamp(microseconds: u.period.from).iso8601), .text(Timestamp(microseconds: u.period.to).iso8601),
                             .number(minutes(u.periodMicros), decimals: 1), .number(minutes(u.unknownMicros), decimals: 1),
                             .number(minutes(u.outageMicros), decimals: 1), .number(minutes(u.excludedMicros), decimals: 1),
                             .number(u.uptimePercent, decimals: 3), .number(u.uptimePercentOfKnown, decimals: 3)] + extra(u)
        if format == .json {
            let list = u.outages.map { o -> String in
                var s = "{\"from\":\"\(Timestamp(microseconds: o.span.from).iso8601)\",\"to\":\"\(Timestamp(microseconds: o.span.to).iso8601)\""
                s += ",\"minutes\":\(minutes(o.span.length)),\"cause\":" + Cell.text(o.cause).jsonText
                s += ",\"excluded_minutes\":\(minutes(o.excludedMicros))"
                if !o.exclusionReasons.isEmpty { s += ",\"exclusion\":" + Cell.text(o.exclusionReasons.joined(separator: "; ")).jsonText }
                if explain { s += ",\"start_message\":" + Cell.int(o.startMessage).jsonText + ",\"end_message\":" + Cell.int(o.endMessage).jsonText }
                return s + "}"
            }
            cells.append(.json("[" + list.joined(separator: ",") + "]"))
        } else {
            cells.append(.int(Int64(u.outages.count)))
        }
        p.row(cells)
    }
    p.finish()
    if explain && format != .json {
        let out = StandardOutput()
        for u in rows where !u.outages.isEmpty {
            out.write("\n\(u.chargePoint) \(u.evse.map { "evse \($0) " } ?? "")connector \(u.connector), \(Timestamp(microseconds: u.period.from).iso8601) – \(Timestamp(microseconds: u.period.to).iso8601):\n")
            for o in u.outages {
                var line = "  \(Timestamp(microseconds: o.span.from).iso8601) → \(Timestamp(microseconds: o.span.to).iso8601)  \(minutes(o.span.length)) min  \(o.cause)"
                if o.excludedMicros > 0 { line += "  (excluded \(minutes(o.excludedMicros)) min: \(o.exclusionReasons.joined(separator: "; ")))" }
                line += "  began: " + (o.startMessage.map { "message \($0)" } ?? "—") + ", ended: " + (o.endMessage.map { "message \($0)" } ?? "—")
                out.write(line + "\n")
            }
        }
        out.flush()
    }
}
