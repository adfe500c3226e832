// Runs a command as a child process and measures it the way an operator
// would: wall time, CPU time and the child's own peak resident memory.
//
// Why a child process rather than a call into the library: peak RSS from
// `wait4` belongs to that one run only (getrusage(RUSAGE_SELF) would include
// the bench's own memory, and RUSAGE_CHILDREN is the maximum over every child
// so far, so a 1 GB tshark run would hide everything after it).

#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What one run of a child process cost.
struct ChildRun: Sendable {
    var exitStatus: Int32
    var wallSeconds: Double
    var userSeconds: Double
    var systemSeconds: Double
    /// Peak resident set size of the child, bytes (`ru_maxrss` is in KiB on Linux).
    var peakRSSBytes: Int64
    /// What the child wrote on standard error (bounded), for error messages and summaries.
    var standardError: String

    var succeeded: Bool { exitStatus == 0 }
    var cpuSeconds: Double { userSeconds + systemSeconds }
}

enum ChildProcessError: Error, CustomStringConvertible {
    case spawnFailed(String, Int32)
    var description: String {
        switch self {
        case .spawnFailed(let cmd, let err): return "cannot start \(cmd): \(String(cString: strerror(err)))"
        }
    }
}

enum ChildProcess {
    /// Runs `arguments[0]` (looked up in PATH) with the others, standard input
    /// from /dev/null, standard output to `stdoutPath` (default /dev/null),
    /// standard error captured to a temporary file.
    static func run(_ arguments: [String], stdoutPath: String = "/dev/null") throws -> ChildRun {
        precondition(!arguments.isEmpty)
        let errPath = NSTemporaryDirectory() + "ocppscope-bench-stderr-\(getpid()).txt"
        defer { unlink(errPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }

        var pid: pid_t = 0
        let clock = ContinuousClock()
        let started = clock.now
        let rc = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard rc == 0 else { throw ChildProcessError.spawnFailed(arguments[0], rc) }

        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            if errno != EINTR { break }
        }
        let elapsed = clock.now - started
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        let exited = (status & 0x7f) == 0
        let code: Int32 = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return ChildRun(
            exitStatus: code,
            wallSeconds: wall,
            userSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            systemSeconds: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
            peakRSSBytes: Int64(usage.ru_maxrss) * 1024,
            standardError: String(err.suffix(4000)))
    }

    /// Whether `name` is an executable in PATH (or a path to one).
    static func isAvailable(_ name: String) -> Bool {
        if name.contains("/") { return access(name, X_OK) == 0 }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { access("\($0)/\(name)", X_OK) == 0 }
    }
}
