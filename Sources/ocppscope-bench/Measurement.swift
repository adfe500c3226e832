// One row of the benchmark: a command run N times on one input, summarised
// by medians.

import Foundation

/// The figures of one row, each the median over the runs.
struct Measurement: Sendable {
    var label: String
    var inputBytes: Int64
    var messages: Int
    var runs: [ChildRun]

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Round by round, how many times faster than `other` this row ran
    /// (messages per second, so that inputs of other sizes compare); nil
    /// unless both have the same number of runs, which rows measured
    /// side by side (Runner.alternate) have. Why: the machine's speed drifts
    /// between rounds, and a ratio of two medians may pair a fast round of
    /// one row with a slow round of the other; each round's ratio pairs runs
    /// made a minute apart, and their spread shows how far one run's figure
    /// can be trusted.
    func perRound(against other: Measurement) -> [Double]? {
        guard runs.count == other.runs.count, !runs.isEmpty else { return nil }
        let scale = Double(max(messages, 1)) / Double(max(other.messages, 1))
        return zip(runs, other.runs).map { mine, theirs in scale * theirs.wallSeconds / mine.wallSeconds }
    }

    var wallSeconds: Double { Measurement.median(runs.map(\.wallSeconds)) }
    var cpuSeconds: Double { Measurement.median(runs.map(\.cpuSeconds)) }
    var peakRSSMB: Double { Measurement.median(runs.map { Double($0.peakRSSBytes) / 1_048_576 }) }
    var megabytesPerSecond: Double { Double(inputBytes) / 1e6 / wallSeconds }
    var messagesPerSecond: Double { Double(messages) / wallSeconds }
}

/// A row that could not be measured, with the reason.
struct Skipped: Sendable {
    var label: String
    var reason: String
}

enum RowResult: Sendable {
    case measured(Measurement)
    case skipped(Skipped)

    var measurement: Measurement? {
        if case .measured(let m) = self { return m }
        return nil
    }
}

/// How to measure one row: the command and what to do around each run.
struct RowPlan {
    var label: String
    var inputBytes: Int64
    var messages: Int
    var arguments: [String]
    var stdoutPath = "/dev/null"
    var prepare: () -> Void = {}
    /// Checked on the first run; a problem skips the row.
    var check: (ChildRun) -> String? = { _ in nil }
    /// Last touches on the measured row (a message count learned from the runs).
    var finish: (Measurement) -> Measurement = { $0 }
}

enum Runner {
    /// Runs the plans `runs` times each, in rounds (each plan once per round,
    /// in order), so that rows to be compared run side by side: on a shared
    /// or throttled machine the speed drifts over minutes, and rows measured
    /// one after the other would compare different machines. The first
    /// failure of a row skips it, with the child's last error line as the
    /// reason; the other rows go on.
    static func alternate(_ plans: [RowPlan], runs: Int, log: (String) -> Void) -> [RowResult] {
        var done = [[ChildRun]](repeating: [], count: plans.count)
        var skipped = [Skipped?](repeating: nil, count: plans.count)
        for i in 0..<runs {
            for (k, plan) in plans.enumerated() where skipped[k] == nil {
                plan.prepare()
                let r: ChildRun
                do { r = try ChildProcess.run(plan.arguments, stdoutPath: plan.stdoutPath) } catch {
                    skipped[k] = Skipped(label: plan.label, reason: "\(error)")
                    continue
                }
                guard r.succeeded else {
                    let last = r.standardError.split(separator: "\n").last.map(String.init) ?? ""
                    skipped[k] = Skipped(label: plan.label, reason: "exit \(r.exitStatus)" + (last.isEmpty ? "" : ": \(last)"))
                    continue
                }
                if i == 0, let problem = plan.check(r) {
                    skipped[k] = Skipped(label: plan.label, reason: problem)
                    continue
                }
                log(String(format: "  %@ run %d/%d: %.2f s wall, %.2f s CPU, %.0f MB peak RSS",
                           plan.label, i + 1, runs, r.wallSeconds, r.cpuSeconds, Double(r.peakRSSBytes) / 1_048_576))
                done[k].append(r)
            }
        }
        return plans.indices.map { k in
            if let s = skipped[k] { return .skipped(s) }
            let p = plans[k]
            return .measured(p.finish(Measurement(label: p.label, inputBytes: p.inputBytes, messages: p.messages, runs: done[k])))
        }
    }

    /// One row, `runs` times.
    static func measure(_ plan: RowPlan, runs: Int, log: (String) -> Void) -> RowResult {
        alternate([plan], runs: runs, log: log)[0]
    }
}
