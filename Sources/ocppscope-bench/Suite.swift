// The commands the benchmark measures, and how each run is checked.

import Foundation
import Store

struct Suite {
    var binary: String
    var work: String
    var runs: Int
    var log: (String) -> Void

    /// `ocppscope decode FILE` with the messages to /dev/null. Its summary
    /// line on standard error ("N messages, …") checks the count.
    func decode(label: String, path: String, bytes: Int64, messages expected: Int?) -> RowPlan {
        log("\(label): \(binary) decode \(path)")
        final class Count { var value: Int? }
        let counted = Count()
        let log = self.log
        return RowPlan(
            label: label, inputBytes: bytes, messages: expected ?? 0,
            arguments: [binary, "decode", path, "--quiet-issues"],
            check: { run in
                counted.value = Suite.leadingCount(in: run.standardError, before: " messages")
                if counted.value == 0 { return "decoded no messages" }
                if let e = expected, let c = counted.value, c != e {
                    log("  warning: \(label) decoded \(c) messages, the log holds \(e)")
                }
                return nil
            },
            finish: { m in
                guard expected == nil else { return m }
                var m = m
                m.messages = counted.value ?? 0
                return m
            })
    }

    /// `ocppscope ingest FILE --db NEW --quiet` into a database deleted
    /// before each run; history included (ingest rebuilds it).
    func ingest(label: String, path: String, bytes: Int64, messages: Int, db: String) -> RowPlan {
        log("\(label): \(binary) ingest \(path) --db \(db) --quiet")
        // One summary file per row: rows alternate, and each checks its own.
        let summary = work + "/ingest-summary-\(label.filter { $0.isLetter || $0.isNumber }).txt"
        let log = self.log
        return RowPlan(
            label: label, inputBytes: bytes, messages: messages,
            arguments: [binary, "ingest", path, "--db", db, "--quiet"], stdoutPath: summary,
            prepare: { Store.removeFiles(atPath: db) },
            check: { _ in
                let text = (try? String(contentsOfFile: summary, encoding: .utf8)) ?? ""
                guard let line = text.split(separator: "\n").first(where: { $0.contains("messages:") }),
                      let n = Suite.leadingCount(in: String(line.split(separator: ":", maxSplits: 1).last ?? ""), before: "") else {
                    return "no summary from ingest"
                }
                if n == 0 { return "ingested no messages" }
                if n != messages { log("  warning: \(label) stored \(n) messages, expected \(messages)") }
                return nil
            },
            finish: { m in
                try? FileManager.default.removeItem(atPath: summary)
                return m
            })
    }

    /// `ocppscope ingest` into a PostgreSQL store with one writer per path,
    /// started together by a shell (its wait4 figures cover them all), into a
    /// database dropped and created again before each run.
    func postgresIngest(label: String, paths: [String], bytes: Int64, messages: Int, url: String) -> RowResult {
        var script = ""
        for i in paths.indices { script += "\"$0\" ingest \"$\(i + 2)\" --db \"$1\" --quiet > /dev/null & p\(i)=$!\n" }
        script += paths.indices.map { "wait $p\($0)" }.joined(separator: " && ")
        log("\(label): \(paths.count) × \(binary) ingest … --db \(Suite.withoutPassword(url)) at once")
        let work = self.work, log = self.log
        return Runner.measure(RowPlan(label: label, inputBytes: bytes, messages: messages,
                                      arguments: ["/bin/sh", "-c", script, binary, url] + paths,
                                      prepare: { Suite.recreate(url, work: work, log: log) }), runs: runs, log: log)
    }

    /// Drops and creates the benchmark's PostgreSQL database (with psql, on
    /// the server's `postgres` database).
    static func recreate(_ url: String, work: String, log: (String) -> Void) {
        guard var c = URLComponents(string: url) else { return }
        let name = String(c.path.dropFirst())
        c.path = "/postgres"
        let out = work + "/psql.txt"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try? ChildProcess.run(["psql", c.string ?? url, "-q", "-c", "DROP DATABASE IF EXISTS \"\(name)\"", "-c", "CREATE DATABASE \"\(name)\""],
                                      stdoutPath: out)
        if r?.succeeded != true { log("  warning: could not re-create \(name): \(r?.standardError ?? "psql not found")") }
    }

    /// A URL as it may be printed.
    static func withoutPassword(_ url: String) -> String {
        guard var c = URLComponents(string: url) else { return url }
        c.password = nil
        return c.string ?? url
    }

    /// tshark's WebSocket text extraction, one `-d` per server port.
    func tshark(path: String, bytes: Int64, messages: Int, ports: [UInt16]) -> RowPlan {
        var args = ["tshark", "-r", path]
        for p in ports { args += ["-d", "tcp.port==\(p),http"] }
        args += ["-Y", "websocket.payload.text", "-T", "fields", "-e", "websocket.payload.text"]
        log("tshark: \(args.joined(separator: " ")) > /dev/null")
        return RowPlan(label: "tshark capture", inputBytes: bytes, messages: messages, arguments: args)
    }

    /// The query commands on the ingested database: `transactions`, and
    /// `uptime` and `anomalies` when this build has them.
    func queries(db: String) -> [RowResult] {
        var rows: [RowResult] = []
        for command in ["transactions", "uptime", "anomalies"] {
            // `ocppscope NAME --help` of an unknown NAME prints the root help
            // (exit 0), so look for the command's own usage line.
            let helpPath = work + "/help-\(command).txt"
            defer { try? FileManager.default.removeItem(atPath: helpPath) }
            let help = try? ChildProcess.run([binary, command, "--help"], stdoutPath: helpPath)
            let text = (try? String(contentsOfFile: helpPath, encoding: .utf8)) ?? ""
            let exists = (help?.succeeded ?? false) && text.contains("ocppscope \(command)")
            guard exists else {
                rows.append(.skipped(Skipped(label: command, reason: "no such command in this build")))
                continue
            }
            log("query: \(binary) \(command) --db \(db) --format csv")
            rows.append(Runner.measure(RowPlan(label: command, inputBytes: 0, messages: 0,
                                               arguments: [binary, command, "--db", db, "--format", "csv"]), runs: runs, log: log))
        }
        return rows
    }

    /// The integer at the start of `text` (after spaces) that is followed by `marker`.
    static func leadingCount(in text: String, before marker: String) -> Int? {
        for line in text.split(separator: "\n") {
            let t = line.drop(while: { $0 == " " })
            let digits = t.prefix(while: { $0.isNumber })
            guard !digits.isEmpty, t.dropFirst(digits.count).hasPrefix(marker) else { continue }
            return Int(digits)
        }
        return nil
    }
}
