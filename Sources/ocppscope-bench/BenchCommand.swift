// ocppscope-bench: throughput and peak memory of `ocppscope decode` and
// `ocppscope ingest` on a large generated corpus, beside tshark on the same
// file (issue 8). Every figure is the median of several runs of a child
// process, so peak RSS is that process's own.

import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocppscope-bench",
        abstract: "Measure decode and ingest throughput and peak memory on a generated corpus.",
        discussion: """
        Generates (or reuses) a capture with the project's generator in the work
        folder, derives a JSON-lines log of the same messages, then times `ocppscope
        decode` and `ocppscope ingest` on both, and tshark's WebSocket text extraction
        on the capture. Each figure is the median of --runs runs; peak RSS is the
        child's own (wait4).

        Build and run (release, own scratch folder):
          swift build -c release --scratch-path .build-bench -j 1 --product ocppscope
          swift build -c release --scratch-path .build-bench -j 1 --product ocppscope-bench
          .build-bench/release/ocppscope-bench --ocppscope .build-bench/release/ocppscope

        Examples:
          ocppscope-bench --mb 250 --runs 3 --scale 4 --queries
          ocppscope-bench --mb 20 --runs 1 --no-tshark        # a quick look
        """)

    @Option(help: "Size of the generated capture, MB (10^6 bytes).")
    var mb: Int = 250

    @Option(help: "Runs per measurement; the table shows the median.")
    var runs: Int = 3

    @Option(name: .customLong("work"), help: "Work folder for the corpus and databases (reused between runs).")
    var workDirectory: String = "bench-out"

    @Option(help: "The ocppscope binary to measure (default: next to this one).")
    var ocppscope: String?

    @Option(name: .customLong("charge-points"), help: "Charge points in the generated fleet.")
    var chargePoints: Int = 500

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 8

    @Option(name: .customLong("compressed-share"), help: "Share of charge points using permessage-deflate.")
    var compressedShare: Double = 0.5

    @Option(name: .customLong("deflate-level"), help: "zlib level of the generated permessage-deflate (6: what WebSocket libraries use).")
    var deflateLevel: Int32 = 6

    @Option(help: "Also measure decode and ingest (once each) on a capture this many times larger, to show peak memory does not grow with capture size (1 = off).")
    var scale: Int = 1

    @Flag(help: "Time the query commands (transactions, and uptime and anomalies when they exist) on the ingested database.")
    var queries = false

    @Option(help: ArgumentHelp("Also ingest into this PostgreSQL database, which the benchmark drops and creates again (e.g. postgresql://postgres@127.0.0.1:5432/ocppscope_bench; psql must be installed): one writer, then two at once (the capture and the log), and the query times there.", valueName: "url"))
    var postgres: String?

    @Flag(name: .customLong("no-tshark"), help: "Skip tshark even when it is installed.")
    var noTshark = false

    @Flag(name: .customLong("no-log"), help: "Skip the JSON-lines log rows.")
    var noLog = false

    mutating func validate() throws {
        guard mb >= 1 else { throw ValidationError("--mb must be at least 1") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard scale >= 1 else { throw ValidationError("--scale must be at least 1") }
        guard (0...1).contains(compressedShare) else { throw ValidationError("--compressed-share must be between 0 and 1") }
        guard (1...9).contains(deflateLevel) else { throw ValidationError("--deflate-level must be 1...9") }
        guard chargePoints >= 1 else { throw ValidationError("--charge-points must be at least 1") }
    }

    /// The trampoline (Trampoline.swift) before the command line is parsed.
    static func main() {
        let args = CommandLine.arguments
        if args.count > 1, args[1] == Trampoline.flag { Glibc.exit(Trampoline.run(Array(args.dropFirst()))) }
        main(nil)
    }

    func run() throws {
        let binary = ocppscope ?? Bench.defaultBinary()
        guard ChildProcess.isAvailable(binary) else {
            throw ValidationError("no ocppscope binary at \(binary); build it with `swift build -c release --scratch-path .build-bench -j 1 --product ocppscope` or pass --ocppscope PATH")
        }
        let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let spec = CorpusSpec(megabytes: mb, chargePoints: chargePoints, seed: seed,
                              compressedShare: compressedShare, deflateLevel: deflateLevel)
        let corpus = try CorpusBuilder.capture(spec, in: workDirectory, log: log)
        let logCorpus = try LogExport.log(for: corpus, log: log)
        let messages = logCorpus.messages
        let suite = Suite(binary: binary, work: workDirectory, runs: runs, log: log)

        // The rows compared with each other run in rounds, side by side (Runner.alternate).
        var plans = [suite.decode(label: "decode capture", path: corpus.path, bytes: corpus.bytes, messages: messages)]
        if !noLog { plans.append(suite.decode(label: "decode log", path: logCorpus.path, bytes: logCorpus.bytes, messages: messages)) }
        plans.append(suite.ingest(label: "ingest capture", path: corpus.path, bytes: corpus.bytes, messages: messages,
                                  db: workDirectory + "/bench.sqlite"))
        if !noLog {
            plans.append(suite.ingest(label: "ingest log", path: logCorpus.path, bytes: logCorpus.bytes, messages: messages,
                                      db: workDirectory + "/bench-log.sqlite"))
        }
        let withTshark = !noTshark && ChildProcess.isAvailable("tshark")
        if withTshark { plans.append(suite.tshark(path: corpus.path, bytes: corpus.bytes, messages: messages, ports: spec.serverPorts)) }
        let measured = Runner.alternate(plans, runs: runs, log: log)
        try? FileManager.default.removeItem(atPath: workDirectory + "/bench-log.sqlite")
        let row = { (label: String) in measured[plans.firstIndex { $0.label == label }!] }
        let ingestCapture = row("ingest capture")
        var rows = [row("decode capture"), ingestCapture]
        if !noLog { rows += [row("decode log"), row("ingest log")] }
        let tshark: RowResult? = withTshark ? row("tshark capture") : nil
        if let tshark { rows.append(tshark) }

        var scaled: [RowResult] = []
        var scaledCorpus: Corpus? = nil
        if scale > 1 {
            var big = spec
            big.megabytes = mb * scale
            let c = try CorpusBuilder.capture(big, in: workDirectory, log: log)
            scaledCorpus = c
            let once = Suite(binary: binary, work: workDirectory, runs: 1, log: log)
            // The message count of the larger file comes from its own decode run.
            scaled.append(Runner.measure(once.decode(label: "decode capture ×\(scale)", path: c.path, bytes: c.bytes, messages: nil),
                                         runs: 1, log: log))
            let count = scaled.last?.measurement?.messages ?? 0
            scaled.append(Runner.measure(once.ingest(label: "ingest capture ×\(scale)", path: c.path, bytes: c.bytes, messages: count,
                                                     db: workDirectory + "/bench-scaled.sqlite"), runs: 1, log: log))
            try? FileManager.default.removeItem(atPath: workDirectory + "/bench-scaled.sqlite")
            if !noLog {
                // The log of the larger capture too: a log's memory must not grow with it either.
                let bigLog = try LogExport.log(for: c, log: log)
                scaled.append(Runner.measure(once.decode(label: "decode log ×\(scale)", path: bigLog.path, bytes: bigLog.bytes,
                                                         messages: bigLog.messages), runs: 1, log: log))
                scaled.append(Runner.measure(once.ingest(label: "ingest log ×\(scale)", path: bigLog.path, bytes: bigLog.bytes,
                                                         messages: bigLog.messages, db: workDirectory + "/bench-scaled.sqlite"),
                                             runs: 1, log: log))
                try? FileManager.default.removeItem(atPath: workDirectory + "/bench-scaled.sqlite")
            }
        }

        var queryRows: [RowResult] = []
        if queries, ingestCapture.measurement != nil {
            queryRows = suite.queries(db: workDirectory + "/bench.sqlite")
        }
        if let url = postgres {
            // The same corpus into PostgreSQL: one writer, then the capture and its log at once.
            rows.append(suite.postgresIngest(label: "ingest capture → PostgreSQL, 1 writer", paths: [corpus.path], bytes: corpus.bytes,
                                             messages: messages, url: url))
            if !noLog {
                rows.append(suite.postgresIngest(label: "ingest capture + log → PostgreSQL, 2 writers", paths: [corpus.path, logCorpus.path],
                                                 bytes: corpus.bytes + logCorpus.bytes, messages: 2 * messages, url: url))
            }
            if queries {
                // On the database the last run left (the capture alone, or the capture and its log).
                queryRows += suite.queries(db: url).map { r -> RowResult in
                    switch r {
                    case .measured(var m): m.label += " (PostgreSQL)"; return .measured(m)
                    case .skipped(var k): k.label += " (PostgreSQL)"; return .skipped(k)
                    }
                }
            }
        }

        let report = Report(spec: spec, corpus: corpus, logCorpus: noLog ? nil : logCorpus, runs: runs, binary: binary,
                            rows: rows, tshark: tshark, scaledCorpus: scaledCorpus, scaled: scaled, queries: queryRows,
                            commandLine: CommandLine.arguments.joined(separator: " "))
        print(report.render())
    }

    /// `ocppscope` next to this executable, else the bench scratch folder's.
    static func defaultBinary() -> String {
        let me = CommandLine.arguments[0]
        if let slash = me.lastIndex(of: "/") {
            let sibling = String(me[..<slash]) + "/ocppscope"
            if access(sibling, X_OK) == 0 { return sibling }
        }
        return ".build-bench/release/ocppscope"
    }
}
