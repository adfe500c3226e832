import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for the tests: initdb into a temporary
/// folder, a server on loopback at a free port, password authentication (so
/// PGPASSWORD is exercised), stopped when the test process exits. Debian's
/// postgresql package (installed by .ci/run) provides the binaries; as root
/// they run as the `postgres` user, since initdb refuses root.
final class PostgresCluster: @unchecked Sendable {
    static let password = "ocppscope-test"
    let dir: String
    let port: Int
    let bin: String

    nonisolated(unsafe) static var started: PostgresCluster?
    static let lock = NSLock()

    /// The shared cluster, started on first use; nil when PostgreSQL is not installed.
    /// The shared cluster, or a recorded issue that says what to install.
    static func required() throws -> PostgresCluster {
        guard let c = try shared() else {
            Issue.record("PostgreSQL is not installed: apt-get install -y postgresql-15 (.ci/run does)")
            throw CancellationError()
        }
        return c
    }

    static func shared() throws -> PostgresCluster? {
        lock.lock()
        defer { lock.unlock() }
        if let c = started { return c }
        guard let bin = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").sorted().last
            .map({ "/usr/lib/postgresql/\($0)/bin" }), FileManager.default.fileExists(atPath: bin + "/initdb") else { return nil }
        let c = try PostgresCluster(bin: bin)
        started = c
        // The commands the tests run find the password where users keep it.
        setenv("PGPASSWORD", password, 1)
        atexit { PostgresCluster.started?.stop() }
        return c
    }

    private init(bin: String) throws {
        self.bin = bin
        dir = "/tmp/ocppscope-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
        port = Int.random(in: 20_000..<40_000)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.password.write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        let asRoot = getuid() == 0
        if asRoot { try run("/bin/chown", ["-R", "postgres", dir]) }
        try runAsOwner(bin + "/initdb", ["-D", dir + "/data", "-U", "postgres", "--auth=scram-sha-256", "--pwfile=" + dir + "/pw", "-E", "UTF8"])
        try runAsOwner(bin + "/pg_ctl", ["-D", dir + "/data", "-l", dir + "/log", "-w", "-o",
                                         "-p \(port) -k \(dir) -c listen_addresses=127.0.0.1 -c fsync=off", "start"])
    }

    func url(_ database: String = "postgres") -> String { "postgresql://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// A fresh database of its own for one test.
    func database() throws -> String {
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try runAsOwner(bin + "/createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name])
        return url(name)
    }

    func stop() {
        try? runAsOwner(bin + "/pg_ctl", ["-D", dir + "/data", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func runAsOwner(_ tool: String, _ args: [String]) throws {
        if getuid() == 0 { try run("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + args) } else { try run(tool, args) }
    }

    /// posix_spawn and waitpid, not Foundation's Process: pg_ctl leaves a
    /// daemon behind, and Process was seen to wait for it for ever.
    private func run(_ tool: String, _ args: [String]) throws {
        let errPath = dir + "/stderr-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        setenv("PGPASSWORD", Self.password, 1)
        let argv: [UnsafeMutablePointer<CChar>?] = ([tool] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, tool, &actions, nil, argv, environ) == 0 else {
            throw NSError(domain: "PostgresCluster", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot run \(tool)"])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0, code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let e = FileManager.default.contents(atPath: errPath) ?? Data()
            throw NSError(domain: "PostgresCluster", code: Int(code),
                          userInfo: [NSLocalizedDescriptionKey: "\(tool) \(args.joined(separator: " ")): \(String(decoding: e, as: UTF8.self))"])
        }
    }
}
