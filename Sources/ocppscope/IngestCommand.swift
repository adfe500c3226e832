import ArgumentParser
import Foundation
import Ingest
import OCPP
import Capture
import LogStream
import Store
import Frames

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Decode captures and logs and store their OCPP messages in a database.",
        discussion: """
        Each file is one source, stored whole in one transaction: an interrupted
        ingest leaves no half source. A file already ingested (same SHA-256) is
        skipped. Folders are read recursively. Captures may be pcap or pcapng, logs
        any of the formats of `--log-format`, all plain or gzip-compressed, recognised
        by content, not by name. `-` reads a log from standard input; `--follow` keeps
        reading a growing log (like `tail -F`) until Ctrl-C, committing every few
        seconds.

        Examples:
          ocppscope ingest samples/fleet-small.pcap
          ocppscope ingest /var/captures/ /var/log/csms/ --db site-a.sqlite
          ocppscope ingest csms.log.gz --timezone Europe/Berlin
          journalctl -u evcc -o cat | ocppscope ingest - --log-format evcc
          ocppscope ingest /var/log/csms/ocpp.log --follow
          PGPASSWORD=… ocppscope ingest site-a/ --db postgresql://ocpp@db.example:5432/fleet
        """
    )

    @Argument(help: "Capture or log files, folders, or - for a log on standard input.")
    var paths: [String] = []

    @OptionGroup(title: "Logs")
    var log: LogOptionGroup

    @Option(name: .long, help: "The database file (created if missing), or postgresql://USER@HOST:PORT/DB.")
    var db: String = defaultDatabase

    @Flag(name: .long, help: "Print no progress bar and no per-file lines, only the summary.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Replace personal data by a keyed hash in every table and payload: ids (id tags and tokens), serials (charger and meter serial numbers). Repeatable.", valueName: "what"))
    var redact: [String] = []

    @Option(name: .long, help: "The secret key (a file of at least 16 bytes) for --redact; keep it to get the same hashes next time.")
    var redactKeyFile: String?

    @Flag(name: .long, help: "Do not validate payloads against the official OCPP JSON schemas.")
    var noValidate = false

    @Option(name: .long, help: "CSV of client address[:port] or port → identity, for connections whose handshake is not in the capture.")
    var identityMap: String?

    func run() throws {
        PhaseClock.start()
        // A PostgreSQL store: decode into a private SQLite file, then move each
        // source whole into PostgreSQL (see PostgresStore).
        var fleet: PostgresStore?
        var stagingPath: String?
        if PostgresURL.isURL(db) {
            do { fleet = try PostgresStore(url: db) } catch {
                printError("error: \(error)")
                throw Exit.failure
            }
            stagingPath = Store.stagingPath("ingest")
        }
        defer { if let p = stagingPath { Store.removeFiles(atPath: p) } }
        let store: Store
        do { store = try Store(path: stagingPath ?? db) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        store.isStaging = fleet != nil
        let logOptions = try log.options()
        if log.follow && (paths.count != 1 || paths == ["-"]) {
            throw ValidationError("--follow takes exactly one log file")
        }
        let files: [String]
        do { files = try InputFiles.expand(paths.filter { $0 != "-" }) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        if log.follow && files.count != 1 {
            throw ValidationError("--follow takes exactly one log file, not a folder")
        }
        // A followed log goes into PostgreSQL commit by commit (PostgresLiveMirror).
        var mirror: PostgresLiveMirror?
        if let fleet, log.follow {
            do { mirror = try PostgresLiveMirror(staging: store, pg: fleet) } catch {
                printError("error: \(error)")
                throw Exit.failure
            }
        }
        let ingester = Ingester(store: store)
        // Built beside the history (into PostgreSQL the staging file needs none).
        ingester.indexesBesideHistory = fleet == nil
        if let fleet { ingester.knownElsewhere = { try fleet.source(withDigest: $0) } }
        ingester.logOptions = logOptions
        ingester.validate = !noValidate
        if !redact.isEmpty {
            let scopes = try Set(redact.flatMap { $0.split(separator: ",") }.map { w -> Redactor.Scope in
                guard let s = Redactor.Scope(rawValue: String(w)) else { throw ValidationError("--redact takes ids or serials, not \(w)") }
                return s
            })
            guard let keyFile = redactKeyFile else {
                throw ValidationError("--redact needs --redact-key-file FILE: a secret of at least 16 bytes, e.g. `head -c 32 /dev/urandom | base64 > key`")
            }
            do { ingester.redactor = try KeyedHash.redactor(keyFile: keyFile, scopes: scopes) } catch {
                printError("error: \(error)")
                throw Exit.failure
            }
        }
        ingester.options.identityMap = try loadIdentityMap(identityMap)
        let bar = ProgressBar()
        var failed = 0, ingested = 0, skipped = 0
        var byType: [String: Int] = [:], byLayer: [String: Int] = [:]
        var connections = 0, unanswered = 0, masked = 0
        var withoutHandshake = 0, holes = 0, learned = 0, inferred = 0
        var holeBytes: UInt64 = 0, seenBytes: UInt64 = 0, decodedBytes: UInt64 = 0
        var chargePoints = Set<String>()
        let out = StandardOutput()
        var outcomes: [InputOutcome] = []
        var moved = PostgresLoad.Summary()
        var inputs = files
        if paths.contains("-") { inputs.insert("-", at: min(paths.firstIndex(of: "-")!, inputs.count)) }
        if log.follow { StopSignal.install() }
        for file in inputs {
            let outcome: InputOutcome
            if file == "-" {
                outcome = ingester.ingestLog(descriptor: 0)
            } else if log.follow {
                if !quiet { out.write("\(file): following; Ctrl-C to stop\n"); out.flush() }
                let report = MirrorFailureReport()
                outcome = ingester.followLog(path: file, mirror: mirror, onMirrorFailure: { report($0) }) { s in
                    if !quiet { bar.update(label: "\(file): \(s.messages) messages", done: 0, total: 0) }
                }
            } else {
                outcome = ingester.ingest(path: file) { done, total in
                    if !quiet { bar.update(label: file, done: done, total: total) }
                }
            }
            bar.clear()
            outcomes.append(outcome)
            if let fleet, mirror == nil, case .ingested(let decoded, _) = outcome {
                // Each source goes into PostgreSQL as soon as it is decoded, whole, in one transaction.
                do {
                    let m = try PostgresLoad.copy(from: store, to: fleet, sourceIds: [decoded.sourceId])
                    try store.clearStagedRows()
                    moved.copied += m.copied
                    moved.alreadyThere += m.alreadyThere
                    for c in m.alreadyThere {
                        ingested -= 1
                        skipped += 1
                        if !quiet { out.write("\(c.path): already in \(fleet.pg.url); nothing changed\n") }
                    }
                } catch {
                    printError("error: moving \(file) into \(fleet.pg.url) failed: \(error); run the ingest again")
                    failed += 1
                    ingested -= 1
                }
            }
            switch outcome {
            case .ingested(let s, let end):
                ingested += 1
                for (k, v) in s.messagesByType { byType[k, default: 0] += v }
                for (k, v) in s.issuesByLayer { byLayer[k, default: 0] += v }
                connections += s.connections
                unanswered += s.unanswered
                masked += s.secretsMasked
                withoutHandshake += s.withoutHandshake
                holes += s.holes
                holeBytes += s.holeBytes
                seenBytes += s.bytesSeen
                decodedBytes += s.bytesDecoded
                learned += s.identitiesLearned
                inferred += s.versionsInferred
                chargePoints.formUnion(s.chargePoints)
                if !quiet {
                    let unit = ingester.lastInputWasLog ? "lines" : "packets"
                    var line = "\(file): \(s.messages) messages, \(s.connections) connections, \(s.issues) decode issues, \(end.packets) \(unit)"
                    if end.state != "complete" { line += " — \(end.state): \(end.detail ?? "")" }
                    else if ingester.lastInputWasLog, let notes = end.detail { line += " (\(notes))" }
                    out.write(line + "\n")
                }
            case .alreadyIngested(let id):
                skipped += 1
                if !quiet { out.write("\(file): already ingested (source \(id)); nothing changed\n") }
            case .failed(let why):
                failed += 1
                out.flush()
                printError("error: \(why)")
            }
        }
        var history: [String: Int] = [:]
        if let fleet {
            do {
                let touched = Set(moved.copied.flatMap(\.chargePoints)).union(mirror?.chargePoints ?? [])
                try PostgresLoad.rebuild(touched.sorted(), in: fleet)
                history["charge_points"] = touched.count
            } catch {
                printError("error: the sources are stored in \(fleet.pg.url), but deriving the history failed: \(error); run `ocppscope rebuild --db \(db)`")
                failed += 1
            }
        } else {
            do { history = try ingester.rebuildHistory(after: outcomes) } catch {
            printError("error: the messages were stored, but deriving the history failed: \(error); run `ocppscope rebuild --db \(db)`")
            failed += 1
            }
        }
        let order = ["CALL", "CALLRESULT", "CALLERROR", "CALLRESULTERROR", "SEND"]
        let total = byType.values.reduce(0, +)
        out.write("\nSummary (database \(db))\n")
        out.write("  sources:        \(ingested) ingested, \(skipped) already there, \(failed) failed\n")
        out.write("  connections:    \(connections)\(withoutHandshake > 0 ? " (\(withoutHandshake) first seen after their handshake: \(learned) identities learned, \(inferred) versions inferred)" : "")\n")
        if seenBytes > 0 {
            // How far to trust the result: what share of the TCP bytes ended in decoded frames.
            let share = Double(decodedBytes) / Double(seenBytes) * 100
            out.write("  bytes decoded:  \(String(format: "%.1f", share))% of \(seenBytes) TCP bytes of OCPP connections\(holes > 0 ? "; \(holes) holes, \(holeBytes) bytes lost" : "")\n")
        }
        out.write("  charge points:  \(chargePoints.count)\n")
        let types = order.compactMap { t in byType[t].map { "\(t) \($0)" } }.joined(separator: ", ")
        out.write("  messages:       \(total)\(types.isEmpty ? "" : " (\(types))")\n")
        out.write("  unanswered:     \(unanswered) calls\n")
        let issueTotal = byLayer.values.reduce(0, +)
        let layers = byLayer.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        out.write("  decode issues:  \(issueTotal)\(layers.isEmpty ? "" : " (\(layers))")\n")
        if masked > 0 { out.write("  secrets masked: \(masked)\n") }
        if fleet != nil, let n = history["charge_points"] {
            out.write("  history:        rebuilt in PostgreSQL for \(n) charge points\n")
        } else if !history.isEmpty {
            out.write("  history:        \(history["transactions"] ?? 0) sessions, \(history["meter_values"] ?? 0) meter values, \(history["status_intervals"] ?? 0) status intervals, \(history["connectivity"] ?? 0) connectivity intervals (rebuilt for \(Set(outcomes.compactMap { if case .ingested(let s, _) = $0 { return s.chargePoints } else { return nil } }.flatMap { $0 }).count) charge points)\n")
        }
        if let t = try? (fleet != nil ? Store(readOnly: db) : store).totals() {
            out.write("  database holds: \(t["sources"] ?? 0) sources, \(t["charge_points"] ?? 0) charge points, \(t["connections"] ?? 0) connections, \(t["messages"] ?? 0) messages, \(t["decode_issues"] ?? 0) decode issues\n")
        }
        out.flush()
        if failed > 0 { throw ingested + skipped > 0 ? Exit.partial : Exit.failure }
    }
}

/// The options that say how to read logs, shared by `ingest` and `decode`.
struct LogOptionGroup: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The log format, instead of detecting it: \(LogFormat.names).", valueName: "name"))
    var logFormat: String?

    @Option(name: .long, help: ArgumentHelp("A regular expression with named groups time, cp, dir and msg, for logs no built-in format reads.", valueName: "regex"))
    var pattern: String?

    @Option(name: .long, help: ArgumentHelp("How the pattern's time group (or a generic line's leading time) is written, strftime style: %Y-%m-%d %H:%M:%S.%f %z, %b, %s.", valueName: "format"))
    var timeFormat: String?

    @Option(name: .long, help: ArgumentHelp("The zone of log times written without one: UTC (default), +02:00, Europe/Berlin.", valueName: "zone"))
    var timezone: String = "UTC"

    @Option(name: .long, help: "The year of syslog-style times, which carry none (default: this year).")
    var year: Int?

    @Option(name: .long, help: ArgumentHelp("The charge point of a log that names none (a charger's own log).", valueName: "id"))
    var identity: String?

    @Flag(name: .long, help: "Keep reading the log as it grows, across rotation and truncation, until Ctrl-C or SIGTERM.")
    var follow = false

    func options() throws -> LogOptions {
        var o = LogOptions()
        if let name = logFormat {
            guard let f = LogFormat(name: name) else { throw ValidationError("--log-format: unknown format '\(name)'; one of \(LogFormat.names)") }
            o.format = f
        }
        if let pattern {
            guard pattern.contains("(?<msg>") else { throw ValidationError("--pattern needs a named group (?<msg>…) for the OCPP-J message") }
            o.pattern = pattern
            o.format = .pattern
        }
        if let t = timeFormat {
            guard let f = TimeFormat(t) else { throw ValidationError("--time-format: cannot read '\(t)'") }
            o.timeFormat = f
        }
        guard let zone = TimeZoneRule(timezone) else { throw ValidationError("--timezone: unknown zone '\(timezone)' (UTC, +02:00 or a name such as Europe/Berlin)") }
        o.zone = zone
        if let year {
            guard (1970...2200).contains(year) else { throw ValidationError("--year: \(year) is not a plausible year") }
            o.year = year
        }
        if let identity { o.identity = identity }
        return o
    }
}
