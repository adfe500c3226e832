// What the benchmark prints: the corpus, the main table, the ratios to
// tshark against issue 8's targets, peak memory by capture size, queries.

import Foundation

struct Report {
    var spec: CorpusSpec
    var corpus: Corpus
    var logCorpus: LogCorpus?
    var runs: Int
    var binary: String
    var rows: [RowResult]
    var tshark: RowResult?
    var scaledCorpus: Corpus?
    var scaled: [RowResult]
    var queries: [RowResult]
    var commandLine: String

    func render() -> String {
        var out = ""
        let messages = logCorpus?.messages ?? rows.compactMap(\.measurement).first?.messages ?? 0
        out += "ocppscope-bench: \(commandLine)\n"
        out += "corpus: \(corpus.path), \(formatMB(corpus.bytes)) MB, \(grouped(Double(messages))) OCPP messages, "
        out += "\(spec.chargePoints) charge points (OCPP 1.6 / 2.0.1 / 2.1), \(Int(spec.compressedShare * 100))% permessage-deflate (level \(spec.deflateLevel)), seed \(spec.seed)\n"
        if let l = logCorpus { out += "log:    \(l.path), \(formatMB(l.bytes)) MB (JSON lines, the same messages)\n" }
        if let v = ChildProcess.version(of: binary) { out += "binary: \(binary), version \(v)\n" }
        out += "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; each figure the median of \(runs) run(s); peak RSS from wait4\n\n"

        var t = TextTable(["run", "input MB", "MB/s", "msgs/s", "wall s", "CPU s", "peak RSS MB"])
        for r in rows {
            switch r {
            case .measured(let m):
                t.add([m.label, formatMB(m.inputBytes), fmt(m.megabytesPerSecond), grouped(m.messagesPerSecond),
                       fmt(m.wallSeconds, 2), fmt(m.cpuSeconds, 2), fmt(m.peakRSSMB, 0)])
            case .skipped(let s):
                let note = s.label.hasSuffix("log") ? "log: not supported yet" : "not measured"
                t.add([s.label, note, "", "", "", "", ""])
            }
        }
        out += t.render()
        let skipped = rows.compactMap { if case .skipped(let s) = $0 { return s } else { return nil } }
        for s in skipped { out += "  \(s.label): \(s.reason)\n" }

        let measured = rows.compactMap(\.measurement)
        func find(_ label: String) -> Measurement? { measured.first { $0.label == label } }

        if let ts = tshark?.measurement {
            out += "\nocppscope vs tshark on the same capture (issue 8 targets)\n"
            var r = TextTable(["ocppscope run", "speed × tshark (wall)", "(CPU time)", "target", "peak RSS MB", "tshark peak RSS MB"])
            func ratioRow(_ label: String, _ target: Double) {
                guard let m = find(label) else {
                    r.add([label, "–", "–", "≥ \(Int(target))×", "–", fmt(ts.peakRSSMB, 0)]); return
                }
                // Wall time is what the issue asks for; CPU time is shown beside it
                // because on a shared 2-core machine a loaded run stretches wall time.
                let ratio = ts.wallSeconds / m.wallSeconds
                let cpuRatio = ts.cpuSeconds / m.cpuSeconds
                r.add([label, fmt(ratio, 1) + "×" + (ratio >= target ? "" : " (below)"), fmt(cpuRatio, 1) + "×",
                       "≥ \(Int(target))×", fmt(m.peakRSSMB, 0), fmt(ts.peakRSSMB, 0)])
            }
            ratioRow("decode capture", 25)
            ratioRow("ingest capture", 10)
            out += r.render()
            var lines: [String] = []
            for label in ["decode capture", "ingest capture"] {
                if let rounds = find(label)?.perRound(against: ts) {
                    lines.append("  \(label): " + Report.spread(rounds) + "\n")
                }
            }
            if !lines.isEmpty { out += "per round (each run against the same round's tshark run):\n" + lines.joined() }
        }

        if let dl = find("decode log"), let dc = find("decode capture") {
            out += String(format: "\nlog vs capture (target: at least as fast, in messages/s): decode %.2f×", dl.messagesPerSecond / dc.messagesPerSecond)
            let ingest = find("ingest log").flatMap { il in find("ingest capture").map { (il, $0) } }
            if let (il, ic) = ingest {
                out += String(format: ", ingest %.2f×", il.messagesPerSecond / ic.messagesPerSecond)
            }
            out += "\n"
            if let rounds = dl.perRound(against: dc) {
                out += "per round:\n  decode: " + Report.spread(rounds, decimals: 2) + "\n"
                if let (il, ic) = ingest, let r = il.perRound(against: ic) { out += "  ingest: " + Report.spread(r, decimals: 2) + "\n" }
            }
        }

        if scaledCorpus != nil, !scaled.isEmpty {
            out += "\npeak memory by input size (target: under 150 MB whatever the size)\n"
            var s = TextTable(["run", "input MB", "MB/s", "peak RSS MB"])
            for label in ["decode capture", "ingest capture", "decode log", "ingest log"] {
                if let m = find(label) { s.add([label, formatMB(m.inputBytes), fmt(m.megabytesPerSecond), fmt(m.peakRSSMB, 0)]) }
                let bigRow = scaled.first {
                    switch $0 { case .measured(let m): return m.label.hasPrefix(label); case .skipped(let k): return k.label.hasPrefix(label) }
                }
                switch bigRow {
                case .measured(let m)?: s.add([m.label, formatMB(m.inputBytes), fmt(m.megabytesPerSecond), fmt(m.peakRSSMB, 0)])
                case .skipped(let k)?: s.add([k.label, "", "not measured: \(k.reason)", ""])
                case nil: break
                }
            }
            out += s.render()
        }

        if !queries.isEmpty {
            out += "\nqueries on the database of the capture (`--format csv` to /dev/null)\n"
            var q = TextTable(["command", "wall s", "peak RSS MB"])
            for r in queries {
                switch r {
                case .measured(let m): q.add([m.label, fmt(m.wallSeconds, 2), fmt(m.peakRSSMB, 0)])
                case .skipped(let s): q.add([s.label, s.reason, ""])
                }
            }
            out += q.render()
        }
        return out
    }

    /// "10.1× 10.9× 8.1× (median 10.1×, 8.1×–10.9×)": each round's ratio in
    /// run order, then their median and range.
    static func spread(_ ratios: [Double], decimals: Int = 1) -> String {
        let each = ratios.map { fmt($0, decimals) + "×" }.joined(separator: " ")
        guard ratios.count > 1, let low = ratios.min(), let high = ratios.max() else { return each }
        return each + " (median \(fmt(Measurement.median(ratios), decimals))×, \(fmt(low, decimals))×–\(fmt(high, decimals))×)"
    }
}
