// The benchmark's children are started through a fresh, small copy of this
// executable, which starts the measured command and reports its wait4 figures.
//
// Why: on Linux a child's ru_maxrss starts from the high-water mark of the
// memory it was started from. posix_spawn runs the child on the parent's
// address space until exec, and exec records that space's peak, so every
// command spawned by the bench reported at least the bench's own peak (118 MB
// after generating the 250 MB corpus, where `ocppscope transactions` really
// peaks at 26 MB and `decode` at 80 MB, per /usr/bin/time). The trampoline
// is a new process of a few MB, so what it starts carries only its own peak.

#if canImport(Glibc)
import Glibc
#endif

enum Trampoline {
    static let flag = "--measure-child"

    /// `ocppscope-bench --measure-child RESULT CMD ARGS…`: runs CMD with the
    /// standard streams it was given, then writes
    /// "exit user_us system_us maxrss_kib wall_ns" to RESULT. Returns the exit
    /// status for this process.
    static func run(_ arguments: [String]) -> Int32 {
        guard arguments.count >= 3 else { return 64 }
        let resultPath = arguments[1]
        let command = Array(arguments.dropFirst(2))
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var started = timespec()
        clock_gettime(CLOCK_MONOTONIC, &started)
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, command[0], nil, nil, argv, environ)
        guard rc == 0 else { return 127 }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            if errno != EINTR { return 70 }
        }
        var ended = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ended)
        let wall = Int64(ended.tv_sec - started.tv_sec) * 1_000_000_000 + Int64(ended.tv_nsec - started.tv_nsec)
        let user = Int64(usage.ru_utime.tv_sec) * 1_000_000 + Int64(usage.ru_utime.tv_usec)
        let system = Int64(usage.ru_stime.tv_sec) * 1_000_000 + Int64(usage.ru_stime.tv_usec)
        let line = "\(status) \(user) \(system) \(usage.ru_maxrss) \(wall)\n"
        guard let f = fopen(resultPath, "w") else { return 73 }
        fputs(line, f)
        fclose(f)
        return 0
    }

    /// This executable, for starting the trampoline.
    static var executable: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(cString: buffer) : CommandLine.arguments[0]
    }
}
