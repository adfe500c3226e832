// One row of the benchmark: a command run N times on one input, summarised
// by medians.

import Foundation

/// The figures of one row, each the median over the runs.
struct Measurement: Sendable {
    var label: String
    var inputBytes: Int64
    var messages: Int
    var runs: [ChildRun]

    private func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    var wallSeconds: Double { median(runs.map(\.wallSeconds)) }
    var cpuSeconds: Double { median(runs.map(\.cpuSeconds)) }
    var peakRSSMB: Double { median(runs.map { Double($0.peakRSSBytes) / 1_048_576 }) }
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

enum Runner {
    /// Runs `arguments` `runs` times (calling `prepare` before each run);
    /// the first failure ends the row as skipped, with the child's last
    /// error line as the reason.
    static func measure(label: String, inputBytes: Int64, messages: Int, runs: Int, arguments: [String],
                        stdoutPath: String = "/dev/null",
                        prepare: () -> Void = {}, check: (ChildRun) -> String? = { _ in nil },
                        log: (String) -> Void) -> RowResult {
        var done: [ChildRun] = []
        for i in 0..<runs {
            prepare()
            let r: ChildRun
            do { r = try ChildProcess.run(arguments, stdoutPath: stdoutPath) } catch {
                return .skipped(Skipped(label: label, reason: "\(error)"))
            }
            guard r.succeeded else {
                let last = r.standardError.split(separator: "\n").last.map(String.init) ?? ""
                return .skipped(Skipped(label: label, reason: "exit \(r.exitStatus)" + (last.isEmpty ? "" : ": \(last)")))
            }
            if i == 0, let problem = check(r) {
                return .skipped(Skipped(label: label, reason: problem))
            }
            log(String(format: "  %@ run %d/%d: %.2f s wall, %.2f s CPU, %.0f MB peak RSS",
                       label, i + 1, runs, r.wallSeconds, r.cpuSeconds, Double(r.peakRSSBytes) / 1_048_576))
            done.append(r)
        }
        return .measured(Measurement(label: label, inputBytes: inputBytes, messages: messages, runs: done))
    }
}
