import ArgumentParser
import Foundation
import Ingest
import Store

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Decode captures and store their OCPP messages in a database.",
        discussion: """
        Each file is one source, stored whole in one transaction: an interrupted ingest leaves
        no half source. A file already ingested (same SHA-256) is skipped. Folders are read
        recursively. Captures may be pcap or pcapng, plain or gzip-compressed, recognised by
        content, not by name.

        Examples:
          ocppscope ingest samples/fleet-small.pcap
          ocppscope ingest /var/captures/ --db site-a.sqlite
        """
    )

    @Argument(help: "Capture files or folders.")
    var paths: [String] = []

    @Option(name: .long, help: "The database file (created if missing).")
    var db: String = defaultDatabase

    @Flag(name: .long, help: "Print no progress bar and no per-file lines, only the summary.")
    var quiet = false

    func run() throws {
        let store: Store
        do { store = try Store(path: db) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        let files: [String]
        do { files = try InputFiles.expand(paths) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        let ingester = Ingester(store: store)
        let bar = ProgressBar()
        var failed = 0, ingested = 0, skipped = 0
        var byType: [String: Int] = [:], byLayer: [String: Int] = [:]
        var connections = 0, unanswered = 0, masked = 0
        var chargePoints = Set<String>()
        let out = StandardOutput()
        var outcomes: [InputOutcome] = []
        for file in files {
            let outcome = ingester.ingest(path: file) { done, total in
                if !quiet { bar.update(label: file, done: done, total: total) }
            }
            bar.clear()
            outcomes.append(outcome)
            switch outcome {
            case .ingested(let s, let end):
                ingested += 1
                for (k, v) in s.messagesByType { byType[k, default: 0] += v }
                for (k, v) in s.issuesByLayer { byLayer[k, default: 0] += v }
                connections += s.connections
                unanswered += s.unanswered
                masked += s.secretsMasked
                chargePoints.formUnion(s.chargePoints)
                if !quiet {
                    var line = "\(file): \(s.messages) messages, \(s.connections) connections, \(s.issues) decode issues, \(end.packets) packets"
                    if end.state != "complete" { line += " — \(end.state): \(end.detail ?? "")" }
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
        do { history = try ingester.rebuildHistory(after: outcomes) } catch {
            printError("error: the messages were stored, but deriving the history failed: \(error); run `ocppscope rebuild --db \(db)`")
            failed += 1
        }
        let order = ["CALL", "CALLRESULT", "CALLERROR", "CALLRESULTERROR", "SEND"]
        let total = byType.values.reduce(0, +)
        out.write("\nSummary (database \(db))\n")
        out.write("  sources:        \(ingested) ingested, \(skipped) already there, \(failed) failed\n")
        out.write("  connections:    \(connections)\n")
        out.write("  charge points:  \(chargePoints.count)\n")
        let types = order.compactMap { t in byType[t].map { "\(t) \($0)" } }.joined(separator: ", ")
        out.write("  messages:       \(total)\(types.isEmpty ? "" : " (\(types))")\n")
        out.write("  unanswered:     \(unanswered) calls\n")
        let issueTotal = byLayer.values.reduce(0, +)
        let layers = byLayer.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        out.write("  decode issues:  \(issueTotal)\(layers.isEmpty ? "" : " (\(layers))")\n")
        if masked > 0 { out.write("  secrets masked: \(masked)\n") }
        if !history.isEmpty {
            out.write("  history:        \(history["transactions"] ?? 0) sessions, \(history["meter_values"] ?? 0) meter values, \(history["status_intervals"] ?? 0) status intervals, \(history["connectivity"] ?? 0) connectivity intervals (rebuilt for \(Set(outcomes.compactMap { if case .ingested(let s, _) = $0 { return s.chargePoints } else { return nil } }.flatMap { $0 }).count) charge points)\n")
        }
        if let t = try? store.totals() {
            out.write("  database holds: \(t["sources"] ?? 0) sources, \(t["charge_points"] ?? 0) charge points, \(t["connections"] ?? 0) connections, \(t["messages"] ?? 0) messages, \(t["decode_issues"] ?? 0) decode issues\n")
        }
        out.flush()
        if failed > 0 { throw ingested + skipped > 0 ? Exit.partial : Exit.failure }
    }
}
