// Runs a command as a child process and measures it the way an operator
// would: wall time, CPU time and the child's own peak resident memory.
//
// Why a child process rather than a call into the library: peak RSS from
// `wait4` belongs to that one run only, once started through a fresh process
// (Trampoline.swift) (getrusage(RUSAGE_SELF) would include
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
    /// What `binary --version` prints (its version and memory allocator), or
    /// nil when it cannot be run.
    static func version(of binary: String) -> String? {
        let out = NSTemporaryDirectory() + "ocppscope-bench-version-\(getpid()).txt"
        defer { unlink(out) }
        guard let run = try? run([binary, "--version"], stdoutPath: out), run.exitStatus == 0 else { return nil }
        return (try? String(contentsOfFile: out, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

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

        // Through the trampoline, so that the child's peak RSS is its own.
        let resultPath = NSTemporaryDirectory() + "ocppscope-bench-result-\(getpid()).txt"
        defer { unlink(resultPath) }
        let full = [Trampoline.executable, Trampoline.flag, resultPath] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = full.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }

        var pid: pid_t = 0
        let rc = posix_spawn(&pid, full[0], &actions, nil, argv, environ)
        guard rc == 0 else { throw ChildProcessError.spawnFailed(full[0], rc) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { break }
        }
        let fields = ((try? String(contentsOfFile: resultPath, encoding: .utf8)) ?? "")
            .split(separator: " ").compactMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard status == 0, fields.count == 5 else { throw ChildProcessError.spawnFailed(arguments[0], ENOEXEC) }
        let childStatus = Int32(fields[0])

        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        let exited = (childStatus & 0x7f) == 0
        let code: Int32 = exited ? (childStatus >> 8) & 0xff : 128 + (childStatus & 0x7f)
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return ChildRun(
            exitStatus: code,
            wallSeconds: Double(fields[4]) / 1e9,
            userSeconds: Double(fields[1]) / 1e6,
            systemSeconds: Double(fields[2]) / 1e6,
            peakRSSBytes: fields[3] * 1024,
            standardError: String(err.suffix(4000)))
    }

    /// Whether `name` is an executable in PATH (or a path to one).
    static func isAvailable(_ name: String) -> Bool {
        if name.contains("/") { return access(name, X_OK) == 0 }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { access("\($0)/\(name)", X_OK) == 0 }
    }
}
