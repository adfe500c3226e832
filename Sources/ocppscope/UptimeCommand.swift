import Analysis
import ArgumentParser
import Compliance
import Foundation
import Frames
import Store

struct UptimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uptime",
        abstract: "Per-port uptime by a regulator's rules (NEVI by default, CEC, UK PCPR), with every outage and its cause.",
        discussion: """
        A port (1.6: connector; 2.x: EVSE and connector) is down while its charge
        point is offline, or while the port — or, for 1.6, connector 0 — is Faulted or
        Unavailable; it is up while Available, Preparing, Charging, Suspended*,
        Finishing, Reserved or Occupied. Minutes the data does not cover, or in which
        the state is not known, are unknown: not up. uptime_percent = (period −
        (outage − excluded) − unknown) / period × 100, the 23 CFR 680.116(b) formula
        generalised to the period; uptime_of_known_percent leaves the unknown minutes
        out. --exclusions takes a CSV charge_point,connector,from,to,reason (connector
        * for all). --explain lists each outage with the messages that began and ended
        it.

        --regime cec (California Energy Commission): the same formula, a 97% standard,
        and only grid power loss, natural disasters, vandalism (at most 10 days per
        incident) and planned maintenance (at most 72 hours per port per year)
        excluded, named by the exclusions file's reason column; anything beyond counts
        as outage.

        --regime uk-pcpr (Public Charge Point Regulations 2023, reg. 7): per EVSE and
        calendar year, rapid charge points only (--rapid-kw, default 50; power from
        the charger's rated power, else --power-map or the port map, else its observed
        peak), reliable while the OCPI status is AVAILABLE, CHARGING or RESERVED, not
        reliable while INOPERATIVE or OUTOFORDER (offline counts as OUTOFORDER;
        --offline-as unknown reads it as OCPI's UNKNOWN), UNKNOWN and BLOCKED left
        out, access hours only (--access-hours CSV charge_point,days,open,close in
        --timezone, default Europe/London); then the network average against 99%.

        Every report ends with the regime and the rules it applied (on standard error
        with --format csv or json).

        Examples:
          ocppscope uptime --period month
          ocppscope uptime --from 2026-01-01 --to 2026-04-01 --period quarter --exclusions excl.csv --format json
          ocppscope uptime --charge-point CP0001 --explain
          ocppscope uptime --regime cec --from 2026-01-01 --to 2026-07-01 --exclusions excl.csv
          ocppscope uptime --regime uk-pcpr --power-map power.csv --access-hours hours.csv
        """
    )

    @OptionGroup var window: WindowOptions

    @Option(name: .long, help: "month, quarter, year or all: one row per port per period.")
    var period: String = "all"

    @Option(name: .long, help: "CSV of excluded windows: charge_point,connector,from,to,reason.")
    var exclusions: String?

    @Flag(name: .long, help: "List every outage with the messages that began and ended it.")
    var explain = false

    @Option(name: .long, help: "table, csv or json (one object per port and period).")
    var format: OutputFormat = .table

    @Option(name: .long, help: "nevi (23 CFR 680.116), cec (California) or uk-pcpr (UK Public Charge Point Regulations 2023).")
    var regime: String = "nevi"

    @Option(name: .long, help: "uk-pcpr: the power from which a charge point is rapid, in kW.")
    var rapidKw: Double = 50

    @Option(name: .long, help: "uk-pcpr: CSV charge_point,connector,max_kw for chargers whose data gives no rated power.")
    var powerMap: String?

    @Option(name: .long, help: "uk-pcpr: CSV charge_point,days,open,close of sites open only at some hours.")
    var accessHours: String?

    @Option(name: .long, help: "uk-pcpr: the sites' time zone for --access-hours.")
    var timezone: String = "Europe/London"

    @Option(name: .long, help: "uk-pcpr: how offline time counts: outoforder (not reliable) or unknown (left out).")
    var offlineAs: String = "outoforder"

    func run() throws {
        guard let kind = PeriodKind(rawValue: period) else { throw ValidationError("--period takes month, quarter, year or all") }
        let (from, to) = try window.bounds()
        let excl = try loadExclusions(exclusions)
        let store = try openReadOnlyStore(window.db)
        guard let regime = Regime(rawValue: regime), regime != .afir else {
            throw ValidationError("--regime takes nevi, cec or uk-pcpr (AFIR has its own command: ocppscope afir)")
        }
        switch regime {
        case .nevi, .afir:
            let rows = try UptimeData.uptime(store: store, chargePoint: window.chargePoint, from: from, to: to, kind: kind, exclusions: excl)
            printUptime(rows, format: format, explain: explain)
        case .cec:
            let ports = try UptimeData.ports(store: store, chargePoint: window.chargePoint)
            let periods = dataWindow(ports, from: from, to: to).map { kind.periods(from: $0.from, to: $0.to) } ?? []
            let results = CECRules.uptime(ports: ports, periods: periods, exclusions: excl)
            let refused = Dictionary(results.map { ("\($0.uptime.chargePoint)|\($0.uptime.evse ?? -1)|\($0.uptime.connector)|\($0.uptime.period.from)", $0.refusedMicros) },
                                     uniquingKeysWith: { a, _ in a })
            printUptime(results.map(\.uptime), format: format, explain: explain,
                        extraColumns: ["exclusion_refused_minutes", "meets_97_percent"]) { u in
                let r = refused["\(u.chargePoint)|\(u.evse ?? -1)|\(u.connector)|\(u.period.from)"] ?? 0
                return [.number(minutes(r), decimals: 1), .text(u.uptimePercent.map { $0 >= CECRules.standardPercent ? "yes" : "no" })]
            }
            for p in ports {
                for a in CECRules.allow(excl, for: p) where !a.note.isEmpty {
                    printError("note: \(p.chargePoint) connector \(p.connector): exclusion \(Timestamp(microseconds: a.requested.span.from).iso8601) "
                               + "(\(a.requested.reason)): \(a.note)")
                }
            }
        case .ukPCPR:
            try printUK(store: store, from: from, to: to)
        }
        let statement = regime.statement + "\n"
        if format == .table { print("\n" + statement, terminator: "") } else { printError(statement) }
    }

    /// UK PCPR: one row per EVSE and calendar year, then the network's average.
    func printUK(store: Store, from: Int64?, to: Int64?) throws {
        guard let offline = ["outoforder": OCPIStatus.outOfOrder, "unknown": .unknown][offlineAs] else {
            throw ValidationError("--offline-as takes outoforder or unknown")
        }
        guard let zone = TimeZone(identifier: timezone) else { throw ValidationError("--timezone \(timezone) is not a known time zone") }
        var access: AccessHours?
        if let path = accessHours {
            do { access = try AccessHours(parsing: String(contentsOfFile: path, encoding: .utf8), timeZone: zone) } catch {
                printError("error: \(path): \(error)")
                throw Exit.failure
            }
        }
        var map: [(String, Int, Double)] = []
        if let path = powerMap {
            do { map = try PortPower.parseMap(String(contentsOfFile: path, encoding: .utf8)) } catch {
                printError("error: \(path): \(error)")
                throw Exit.failure
            }
        }
        let timelines = try StatusTimeline.load(store: store, chargePoint: window.chargePoint, window: nil, offlineAs: offline)
        let spans = timelines.compactMap { t in t.segments.first.map { Span($0.span.from, t.segments.last!.span.to) } }
        guard let lo = from ?? spans.map(\.from).min(), let hi = to ?? spans.map(\.to).max(), hi > lo else {
            RowPrinter(columns: ["charge_point"], format: format).finish()
            return
        }
        let window = Span(lo, hi)
        let clipped = timelines.map { AFIRStatus.clip($0, to: window) }
        let power = try PortPower.load(store: store, chargePoint: self.window.chargePoint, powerMap: map)
        let (ports, network) = UKReliability.measure(clipped, window: window, power: power, rapidKW: rapidKw, access: access)
        let p = RowPrinter(columns: ["charge_point", "evse", "connector", "year_from", "year_to", "power_kw", "power_source", "rapid",
                                     "access_minutes", "reliable_minutes", "not_reliable_minutes", "ineligible_minutes",
                                     "reliability_percent", "reliability_literal_percent", "meets_99_percent"], format: format)
        func yesNo(_ b: Bool?) -> Cell { .text(b.map { $0 ? "yes" : "no" }) }
        for u in ports {
            p.row([.text(u.key.chargePoint), .int(u.key.evse.map(Int64.init)), .int(u.key.connector.map(Int64.init)),
                   .text(Timestamp(microseconds: u.year.from).iso8601), .text(Timestamp(microseconds: u.year.to).iso8601),
                   .number(u.power.kw, decimals: 1), .text(u.power.source), yesNo(u.rapid),
                   .number(minutes(u.accessMicros), decimals: 1), .number(minutes(u.reliableMicros), decimals: 1),
                   .number(minutes(u.notReliableMicros), decimals: 1), .number(minutes(u.ineligibleMicros), decimals: 1),
                   .number(u.reliabilityPercent, decimals: 3), .number(u.literalPercent, decimals: 3), yesNo(u.meetsTarget)])
        }
        for n in network {
            p.row([.text("(network)"), .int(nil), .int(nil), .text(Timestamp(microseconds: n.year.from).iso8601),
                   .text(Timestamp(microseconds: n.year.to).iso8601), .number(nil, decimals: 1),
                   .text("\(n.rapidChargePoints) rapid charge points" + (n.powerUnknown > 0 ? ", \(n.powerUnknown) of unknown power left out" : "")),
                   .text(nil), .number(nil, decimals: 1), .number(nil, decimals: 1), .number(nil, decimals: 1), .number(nil, decimals: 1),
                   .number(n.reliabilityPercent, decimals: 3), .number(n.literalPercent, decimals: 3), yesNo(n.meetsTarget)])
        }
        p.finish()
    }
}

/// The span to report on: the options', else what the data covers.
func dataWindow(_ ports: [PortHistory], from: Int64?, to: Int64?) -> Span? {
    let all = ports.reduce(IntervalSet()) { $0.union($1.coverage) }
    guard let lo = from ?? all.spans.first?.from, let hi = to ?? all.spans.last?.to, hi > lo else { return nil }
    return Span(lo, hi)
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
