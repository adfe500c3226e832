import Analysis
import ArgumentParser
import Compliance
import Foundation
import Frames
import Reconcile
import Store

struct AFIRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "afir",
        abstract: "EU AFIR dynamic data: each EVSE's operational status and availability, and what was published.",
        discussion: """
        Regulation (EU) 2023/1804 Art. 20(2) makes operators publish, per charging
        point, its operational status (operational / out of order) and availability
        (available / occupied). ocppscope rebuilds both from what the chargers said
        over OCPP: per EVSE (1.6: connector, connector 0 standing for the whole charge
        point; 2.x: EVSE), offline counting as out of order, unknown staying unknown.

        Examples:
          ocppscope afir status --from 2026-03-01 --to 2026-04-01
          ocppscope afir status --shares --format csv
          ocppscope afir compare --published evse-status.jsonl --evse-map evse-map.csv
        """,
        subcommands: [AFIRStatusCommand.self, AFIRCompareCommand.self]
    )
}

struct AFIRStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The AFIR status timeline per EVSE: one row per interval, then the share of time in each state.",
        discussion: """
        Columns: charge_point, evse, connector, from, to, minutes, operational_status
        (operational | out of order | empty when unknown), availability (available |
        occupied | empty), ocpi_status (AVAILABLE, CHARGING, RESERVED, BLOCKED,
        INOPERATIVE, OUTOFORDER, UNKNOWN; the mapping is
        queries/regime-ocpi-status.sql) and reported (what the charger said: Faulted
        (GroundFailure), offline (silent), no data, …). The table ends with each
        EVSE's share of time per state; --shares prints only those (in every format).

        Examples:
          ocppscope afir status --charge-point CP0001
          ocppscope afir status --format json | jq 'select(.operational_status=="out of order")'
          ocppscope afir status --shares
        """
    )

    @OptionGroup var window: WindowOptions

    @Flag(name: .long, help: "Print the share of time in each state per EVSE instead of the intervals.")
    var shares = false

    @Option(name: .long, help: "table, csv or json (one object per line).")
    var format: OutputFormat = .table

    func run() throws {
        let (_, timelines) = try window.timelines()
        if !shares {
            let p = RowPrinter(columns: ["charge_point", "evse", "connector", "from", "to", "minutes", "operational_status",
                                         "availability", "ocpi_status", "reported"], format: format)
            for t in timelines {
                for s in t.segments {
                    p.row(keyCells(t.key) + [.text(Timestamp(microseconds: s.span.from).iso8601), .text(Timestamp(microseconds: s.span.to).iso8601),
                                             .number(minutes(s.span.length), decimals: 1), .text(s.status.operationalStatus),
                                             .text(s.status.availability), .text(s.status.rawValue), .text(s.reported)])
                }
            }
            p.finish()
            if format != .table { printError(Regime.afir.statement); return }
            print("")
        }
        let p = RowPrinter(columns: ["charge_point", "evse", "connector", "window_minutes", "operational_percent", "out_of_order_percent",
                                     "unknown_percent", "available_percent", "occupied_percent"]
                           + OCPIStatus.allCases.map { $0.rawValue.lowercased() + "_minutes" }, format: format)
        for t in timelines {
            guard let a = t.segments.first?.span.from, let b = t.segments.last?.span.to else { continue }
            let sh = AFIRStatus.shares(t, window: Span(a, b))
            p.row(keyCells(t.key) + [.number(minutes(sh.window.length), decimals: 1), .number(sh.percent(sh.operational), decimals: 3),
                                     .number(sh.percent(sh.outOfOrder), decimals: 3), .number(sh.percent(sh.unknown), decimals: 3),
                                     .number(sh.percent(sh.available), decimals: 3), .number(sh.percent(sh.occupied), decimals: 3)]
                  + OCPIStatus.allCases.map { .number(minutes(sh.byStatus[$0] ?? 0), decimals: 1) })
        }
        p.finish()
        if format == .table { print("\n" + Regime.afir.statement) } else { printError(Regime.afir.statement) }
    }
}

func keyCells(_ k: EVSEKey) -> [Cell] {
    [.text(k.chargePoint), .int(k.evse.map(Int64.init)), .int(k.connector.map(Int64.init))]
}

struct AFIRCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Where what was published about each EVSE disagreed with what its charger said.",
        discussion: """
        --published takes what the operator sent to the national access point or
        roaming platform: OCPI Location or EVSE objects, or EVSE status updates, one
        JSON object per line or as an array (or an OCPI response envelope), each with
        a time (last_updated), evse_id or uid, and status. --evse-map is the CSV
        evse_id,charge_point,connector that reconcile uses.

        A disagreement is time in which the published status and the charger's differ
        in AFIR's terms (operational status, or availability): published AVAILABLE
        while the port was Faulted or offline, published OUTOFORDER while it charged.
        kind is late when the publication caught up with a change at the charger,
        wrong otherwise. Unknown time on either side is not compared. The table ends
        with, per EVSE, the minutes compared and in disagreement, the changes at the
        charger, how many the publication missed, and the median and longest delay;
        --summary prints only those.

        Examples:
          ocppscope afir compare --published status.jsonl --evse-map evse-map.csv
          ocppscope afir compare --published locations.json --evse-map evse-map.csv --format json
          ocppscope afir compare --published status.jsonl --evse-map evse-map.csv --summary --format csv

        Exit codes: 0 compared (whatever was found); 1 the database or a file cannot
        be read; 64 usage error.
        """
    )

    @OptionGroup var window: WindowOptions

    @Option(name: .long, help: "What was published: OCPI Locations/EVSEs or status updates (JSON or JSON lines).")
    var published: String

    @Option(name: .long, help: "CSV evse_id,charge_point,connector linking OCPI EVSEs to OCPP ports.")
    var evseMap: String

    @Flag(name: .long, help: "Print the per-EVSE summary instead of the disagreements.")
    var summary = false

    @Option(name: .long, help: "table, csv or json (one object per line).")
    var format: OutputFormat = .table

    func run() throws {
        let pub: PublishedStatus.Result
        let map: EVSEMap
        do {
            pub = try PublishedStatus.read(path: published)
            map = try EVSEMap.load(path: evseMap)
        } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        for p in pub.problems { printError("skipped: \(published): \(p)") }
        let (_, timelines) = try window.timelines()
        let result = AFIRCompare.compare(updates: pub.updates, map: map, timelines: timelines)
        for p in result.problems { printError("not compared: \(p)") }
        if !summary {
            let p = RowPrinter(columns: ["evse_id", "charge_point", "evse", "connector", "from", "to", "minutes", "published", "reported",
                                         "reported_ocpp", "kind"], format: format)
            for d in result.disagreements {
                p.row([.text(d.evseId)] + keyCells(d.key) + [.text(Timestamp(microseconds: d.span.from).iso8601),
                                                            .text(Timestamp(microseconds: d.span.to).iso8601),
                                                            .number(minutes(d.span.length), decimals: 1), .text(d.published.rawValue),
                                                            .text(d.reported.rawValue), .text(d.reportedText), .text(d.kind)])
            }
            p.finish()
            if format != .table { printError(Regime.afir.statement); return }
            print("")
        }
        let p = RowPrinter(columns: ["evse_id", "charge_point", "evse", "connector", "compared_minutes", "disagreement_minutes",
                                     "disagreement_percent", "changes", "missed_changes", "median_delay_s", "max_delay_s"], format: format)
        for s in result.summaries {
            p.row([.text(s.evseId)] + keyCells(s.key) + [.number(minutes(s.comparedMicros), decimals: 1),
                                                        .number(minutes(s.disagreementMicros), decimals: 1),
                                                        .number(s.comparedMicros > 0 ? Double(s.disagreementMicros) / Double(s.comparedMicros) * 100 : nil, decimals: 3),
                                                        .int(Int64(s.changes)), .int(Int64(s.missedChanges)),
                                                        .number(s.medianDelay.map { Double($0) / 1_000_000 }, decimals: 1),
                                                        .number(s.maxDelay.map { Double($0) / 1_000_000 }, decimals: 1)])
        }
        p.finish()
        if format == .table { print("\n" + Regime.afir.statement) } else { printError(Regime.afir.statement) }
    }
}
