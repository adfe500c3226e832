import Foundation

/// Wall time per stage of a long command, on standard error, when the
/// environment has `OCPPSCOPE_PHASES` set (README, Performance):
///
///     phase digest: 0.171 s wall, 0.170 s CPU
///     phase decode+insert: 3.326 s wall, 6.020 s CPU
///
/// Why: the benchmark times whole commands, and an ingest is several stages
/// in a row (digest, decoding with the inserts, index builds, commit,
/// history), some on one core and some on two; where the wall time goes is
/// what decides which stage to work on, and callgrind counts instructions,
/// not waiting. The CPU time (the process's, all threads) beside the wall
/// time shows which stages leave the second core idle. Off, a mark is one
/// load and a branch.
public enum PhaseClock {
    public static let enabled = ProcessInfo.processInfo.environment["OCPPSCOPE_PHASES"] != nil
    nonisolated(unsafe) private static var last = Date()
    nonisolated(unsafe) private static var lastCPU = cpuSeconds()

    /// Starts the clock (the first mark measures from here).
    public static func start() {
        if enabled {
            last = Date()
            lastCPU = cpuSeconds()
        }
    }

    /// User and system time of the whole process so far.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Prints the time since the previous mark (or `start`) under `stage`.
    public static func mark(_ stage: String) {
        guard enabled else { return }
        let now = Date(), cpu = cpuSeconds()
        let line = String(format: "phase %@: %.3f s wall, %.3f s CPU\n", stage, now.timeIntervalSince(last), cpu - lastCPU)
        FileHandle.standardError.write(Data(line.utf8))
        last = now
        lastCPU = cpu
    }
}
