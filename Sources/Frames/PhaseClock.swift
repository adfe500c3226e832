import Foundation

/// Wall time per stage of a long command, on standard error, when the
/// environment has `OCPPSCOPE_PHASES` set (README, Performance):
///
///     phase digest: 0.171 s
///     phase decode+insert: 3.326 s
///
/// Why: the benchmark times whole commands, and an ingest is several stages
/// in a row (digest, decoding with the inserts, index builds, commit,
/// history), some on one core and some on two; where the wall time goes is
/// what decides which stage to work on, and callgrind counts instructions,
/// not waiting. Off, a mark is one load and a branch.
public enum PhaseClock {
    public static let enabled = ProcessInfo.processInfo.environment["OCPPSCOPE_PHASES"] != nil
    nonisolated(unsafe) private static var last = Date()

    /// Starts the clock (the first mark measures from here).
    public static func start() {
        if enabled { last = Date() }
    }

    /// Prints the time since the previous mark (or `start`) under `stage`.
    public static func mark(_ stage: String) {
        guard enabled else { return }
        let now = Date()
        FileHandle.standardError.write(Data("phase \(stage): \(String(format: "%.3f", now.timeIntervalSince(last))) s\n".utf8))
        last = now
    }
}
