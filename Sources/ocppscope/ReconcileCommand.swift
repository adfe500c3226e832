import ArgumentParser
import Foundation
import Frames
import Reconcile
import Store

struct ReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare billed CDRs with the sessions the chargers reported: energy, time, token.",
        discussion: """
        --cdrs takes OCPI 2.2.1 CDRs (a JSON array, the OCPI response envelope
        {"data":[…]}, or one object per line) or CSV with a header, recognised by
        content. OCPI total_energy is kWh, the chargers' energy Wh: both are compared
        in Wh. CSV columns are found by common names (charge_point or station,
        connector or port, token/uid/id_tag, start/start_time, end/stop_time,
        energy_kwh/kwh or energy_wh, id, cost, currency, evse_id) or named with --map
        field=column.

        OCPI EVSE ids are not OCPP identities: --evse-map takes a CSV
        evse_id,charge_point,connector (connector: the 1.6 connector, the 2.x EVSE id,
        or EVSE/connector). CDRs whose EVSE is not mapped are matched by token and
        time.

        Each CDR goes to at most one session: same port (or same token), times
        overlapping within --time-tolerance; agreeing tokens first, then the closest
        start. Results: matched; energy_mismatch (beyond both --energy-tolerance-wh
        and --energy-tolerance-percent of the measured energy); time_mismatch;
        token_mismatch; unreliable_session (the session's own energy is flagged:
        estimated, missing_stop, meter_reset, …); duplicate_cdr; cdr_without_session;
        session_without_cdr (energy delivered inside the CDRs' time span, never
        billed; sessions still running when the data ends are not due yet).
        difference_wh is billed minus delivered. A summary follows (on standard error
        with --format csv or json): counts, kWh delivered vs billed, the value of the
        differences at the CDRs' prices.

        Examples:
          ocppscope reconcile --cdrs cdrs.json --evse-map evse-map.csv
          ocppscope reconcile --cdrs export.csv --map charge_point=station,energy_wh=wh
          ocppscope reconcile --cdrs cdrs.json --format json | jq 'select(.result!="matched")'

        Exit codes: 0 reconciled (whatever was found); 1 failure (the database or the
        CDR file cannot be read, or it holds no usable CDR); 64 usage error.
        """
    )

    @Option(name: .long, help: "The CDR file: OCPI JSON (array, envelope, or one per line) or CSV.")
    var cdrs: String

    @Option(name: .long, help: "The database file.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "CSV evse_id,charge_point,connector linking OCPI EVSEs to OCPP ports.")
    var evseMap: String?

    @Option(name: .long, parsing: .singleValue,
            help: "For CSV: field=column pairs (charge_point, connector, evse_id, token, start, end, energy_kwh or energy_wh, id, cost, currency).")
    var map: [String] = []

    @Option(name: .long, help: "Energies differ when they differ by more than this many Wh and …")
    var energyToleranceWh: Double = 100

    @Option(name: .long, help: "… by more than this percentage of the measured energy.")
    var energyTolerancePercent: Double = 2

    @Option(name: .long, help: "Seconds CDR and session times may differ (clock drift, receipt times).")
    var timeTolerance: Double = 300

    @Option(name: .long, help: "table, csv or json (one object per finding).")
    var format: OutputFormat = .table

    func validate() throws {
        guard [energyToleranceWh, energyTolerancePercent, timeTolerance].allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw ValidationError("tolerances must be numbers of zero or more, e.g. --time-tolerance 300")
        }
        do { _ = try ColumnMap(parsing: map) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let columns = try ColumnMap(parsing: map)
        let input: CDRReader.Result
        var evses = EVSEMap()
        do {
            input = try CDRReader.read(path: cdrs, columns: columns)
            if let evseMap { evses = try EVSEMap.load(path: evseMap) }
        } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        for p in input.problems { printError("warning: \(cdrs): \(p) (skipped)") }
        guard !input.records.isEmpty else {
            printError("error: \(cdrs) holds no usable CDR (read as \(input.form.rawValue))")
            throw Exit.failure
        }
        let records = evses.resolve(input.records)
        let unmapped = records.filter { $0.chargePoint == nil && ($0.evseId ?? $0.evseUid) != nil }.count
        if evseMap != nil && unmapped > 0 {
            printError("note: \(unmapped) CDRs name an EVSE the map does not list; they are matched by token and time")
        }

        let store: Store
        do { store = try Store(readOnly: db) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        let options = ReconcileOptions(energyToleranceWh: energyToleranceWh, energyTolerancePercent: energyTolerancePercent,
                                       timeToleranceSeconds: timeTolerance)
        // Sessions that started up to two days before the first CDR: a long
        // session's CDR may start late, and one of the day before may be billed today.
        let span = Reconciler.span(of: records)
        let sessions = try SessionSource.load(
            store: store,
            from: span.map { Timestamp(microseconds: $0.0.microseconds - 2 * 86_400_000_000) },
            to: span.map { Timestamp(microseconds: $0.1.microseconds + options.toleranceMicros + 1) })
        let result = Reconciler(options: options).reconcile(cdrs: records, sessions: sessions)
        printFindings(result.findings, format: format)

        var summary = ["CDRs read as \(input.form.rawValue): \(input.records.count)"
                       + (input.problems.isEmpty ? "" : ", \(input.problems.count) skipped")
                       + (evseMap != nil ? "; EVSE map: \(evses.count) EVSEs" : "")]
        summary += result.summaryLines
        if format == .table {
            let out = StandardOutput()
            out.write("\n" + summary.joined(separator: "\n") + "\n")
            out.flush()
        } else {
            for line in summary { printError(line) }
        }
    }
}

/// Prints one row per finding. JSON and CSV carry every column (JSON the
/// flags as an array); the table keeps the columns that fit and lists each
/// finding's detail below it, since details are sentences.
func printFindings(_ findings: [Finding], format: OutputFormat) {
    if format == .table || format == .text {
        let p = RowPrinter(columns: ["#", "result", "cdr_id", "charge_point", "port", "transaction_id", "cdr_start", "session_start",
                                     "cdr_energy_wh", "ocpp_energy_wh", "difference_wh"], format: format)
        for (n, f) in findings.enumerated() {
            let port = f.session?.portText ?? f.cdr?.port?.description
            p.row([.int(Int64(n + 1)), .text(f.result.rawValue), .text(f.cdr?.id), .text(f.chargePoint), .text(port),
                   .text(f.session?.transactionId), .text(f.cdr?.start?.iso8601), .text(f.session?.start?.iso8601),
                   .number(f.cdrEnergyWh, decimals: 0), .number(f.ocppEnergyWh, decimals: 0), .number(f.differenceWh, decimals: 0)])
        }
        p.finish()
        let out = StandardOutput()
        if !findings.isEmpty { out.write("\n") }
        for (n, f) in findings.enumerated() { out.write("#\(n + 1) \(f.result.rawValue): \(f.detail)\n") }
        out.flush()
        return
    }
    let p = RowPrinter(columns: ["result", "cdr_id", "charge_point", "evse", "connector", "transaction_id", "session",
                                 "cdr_token", "session_token", "cdr_start", "cdr_end", "session_start", "session_end",
                                 "cdr_energy_wh", "ocpp_energy_wh", "difference_wh", "value", "currency", "energy_source",
                                 "flags", "detail"], format: format)
    for f in findings {
        let flags = f.session.map { s in "[" + s.flags.map { Cell.text($0).jsonText }.joined(separator: ",") + "]" }
        p.row([.text(f.result.rawValue), .text(f.cdr?.id), .text(f.chargePoint), .int(f.evse.map(Int64.init)),
               .int(f.connector.map(Int64.init)), .text(f.session?.transactionId), .int(f.session.map { Int64($0.sessionNo) }),
               .text(f.cdr?.token), .text(f.session?.idToken),
               .text(f.cdr?.start?.iso8601), .text(f.cdr?.effectiveEnd?.iso8601),
               .text(f.session?.start?.iso8601), .text(f.session?.end?.iso8601),
               .number(f.cdrEnergyWh, decimals: 0), .number(f.ocppEnergyWh, decimals: 0), .number(f.differenceWh, decimals: 0),
               .number(f.value, decimals: 2), .text(f.currency), .text(f.session?.energySource),
               flags.map { Cell.json($0) } ?? (format == .json ? .json("null") : .text(nil)), .text(f.detail)])
    }
    p.finish()
}
