import Foundation
import Testing

/// The benchmark (issue 8's first point) run for real on a tiny corpus: it
/// generates the capture and its log, measures every row in rounds, and
/// prints the tables the README shows, with the ratios to tshark worked out
/// from the same rounds. tshark is a stand-in script here (CI has none), so
/// the ratios are checked against the runs' own figures, not for speed.
@Suite("Benchmark")
struct BenchmarkTests {
    static var bench: String { Fixture.root.appendingPathComponent(".build/debug/ocppscope-bench").path }
    static var ocppscope: String { Fixture.root.appendingPathComponent(".build/debug/ocppscope").path }

    /// Runs the benchmark with a fake `tshark` first on the PATH; its exit
    /// status, standard output (the report) and standard error (the runs).
    func runBench(_ args: [String], work: String) throws -> (Int32, String, String) {
        let bin = work + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        // Slower than the debug build's decode of the tiny capture, so that the ratios are not all near 1.
        let fake = "#!/bin/sh\nsleep 0.6\necho '[2,\"1\",\"Heartbeat\",{}]'\n"
        try fake.write(toFile: bin + "/tshark", atomically: true, encoding: .utf8)
        chmod(bin + "/tshark", 0o755)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.bench)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Standard error is read on another thread: a full pipe would stop the child.
        nonisolated(unsafe) var errData = Data()
        let errRead = DispatchGroup()
        DispatchQueue.global().async(group: errRead) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        errRead.wait()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// The wall seconds of each run of `label`, in order, from the runs' log lines
    /// ("  ingest capture run 1/2: 0.52 s wall, …").
    func walls(_ label: String, in log: String) -> [Double] {
        log.split(separator: "\n").compactMap { line -> Double? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix(label + " run "), let colon = t.firstIndex(of: ":") else { return nil }
            return Double(t[t.index(after: colon)...].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
    }

    /// The ratios printed after `prefix` on the line that starts with `lineStart`, up to "(median".
    func ratios(after prefix: String, onLineStarting lineStart: String, in report: String) -> [Double] {
        guard let line = report.split(separator: "\n").first(where: { $0.hasPrefix(lineStart) }),
              let r = line.range(of: prefix) else { return [] }
        var values: [Double] = []
        for word in line[r.upperBound...].split(separator: " ") {
            guard word.hasSuffix("×"), let v = Double(word.dropLast()) else { break }
            values.append(v)
        }
        return values
    }

    @Test func theBenchmarkMeasuresEveryRowAndWorksOutTheRatiosFromItsRounds() throws {
        let work = Fixture.tempPath("-bench")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let (status, report, log) = try runBench(["--mb", "1", "--charge-points", "12", "--runs", "2", "--scale", "2", "--queries",
                                                  "--work", work, "--ocppscope", Self.ocppscope], work: work)
        #expect(status == 0, "\(log.suffix(2000))")

        // The corpus was generated, with its log of the same messages.
        let files = try FileManager.default.contentsOfDirectory(atPath: work)
        #expect(files.contains { $0.hasSuffix(".pcap") })
        #expect(files.contains { $0.hasSuffix(".jsonl") })

        // Every row of the main table measured, with figures (not "not measured").
        for label in ["decode capture", "ingest capture", "decode log", "ingest log", "tshark capture"] {
            let row = report.split(separator: "\n").first { $0.hasPrefix("| \(label) ") }
            #expect(row != nil, "no row \(label) in:\n\(report)")
            let cells = row.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            // input MB, MB/s, msgs/s, wall s, CPU s, peak RSS MB: positive numbers
            // (the stand-in tshark sleeps: no CPU time of its own).
            let numbers = cells.dropFirst().compactMap { Double($0.replacingOccurrences(of: ",", with: "")) }
            let positive = label == "tshark capture" ? numbers.enumerated().filter { $0.offset != 4 }.map(\.element) : numbers
            #expect(numbers.count == 6 && positive.allSatisfy { $0 > 0 }, "\(label): \(cells)")
            #expect(walls(label, in: log).count == 2, "\(label) ran \(walls(label, in: log).count) times")
        }

        // Each round's ratio is that round's tshark run over that round's ocppscope run.
        let tshark = walls("tshark capture", in: log)
        for label in ["decode capture", "ingest capture"] {
            let printed = ratios(after: "  \(label): ", onLineStarting: "  \(label): ", in: report)
            let mine = walls(label, in: log)
            #expect(printed.count == 2, "\(label): \(report)")
            for (p, (t, m)) in zip(printed, zip(tshark, mine)) {
                // The log's walls are rounded to 0.01 s.
                #expect(abs(p - t / m) <= 0.06 * t / m + 0.05, "\(label): printed \(p)×, runs give \(t / m)×")
            }
            #expect(report.contains("| \(label) "), "\(label) missing from the ratio table")
        }
        #expect(report.contains("speed × tshark (wall)"))

        // Log against capture, in total and round by round.
        #expect(report.contains("log vs capture (target: at least as fast, in messages/s): decode "))
        let decodeRounds = ratios(after: "  decode: ", onLineStarting: "  decode: ", in: report)
        let ingestRounds = ratios(after: "  ingest: ", onLineStarting: "  ingest: ", in: report)
        #expect(decodeRounds.count == 2 && ingestRounds.count == 2, "\(report)")
        let (dl, dc) = (walls("decode log", in: log), walls("decode capture", in: log))
        for (p, (l, c)) in zip(decodeRounds, zip(dl, dc)) {
            #expect(abs(p - c / l) <= 0.06 * c / l + 0.01, "decode log vs capture: printed \(p)×, runs give \(c / l)×")
        }

        // The larger capture's rows, for peak memory by size, and the queries.
        for label in ["decode capture ×2", "ingest capture ×2", "decode log ×2", "ingest log ×2"] {
            #expect(report.contains("| \(label) "), "no row \(label)")
        }
        for command in ["transactions", "uptime", "anomalies"] {
            let row = report.split(separator: "\n").first { $0.hasPrefix("| \(command) ") }
            let wall = row.flatMap { Double($0.split(separator: "|").dropFirst().first?.trimmingCharacters(in: .whitespaces) ?? "") }
            #expect(wall.map { $0 > 0 } == true, "query \(command): \(row.map(String.init) ?? "missing")")
        }
    }

    /// One run has no spread to show: its ratio alone; without the log, no comparison with it.
    @Test func oneRunPrintsItsRatioAlone() throws {
        let work = Fixture.tempPath("-bench1")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let (status, report, log) = try runBench(["--mb", "1", "--charge-points", "8", "--runs", "1", "--no-log",
                                                  "--work", work, "--ocppscope", Self.ocppscope], work: work)
        #expect(status == 0, "\(log.suffix(2000))")
        let line = report.split(separator: "\n").first { $0.hasPrefix("  ingest capture: ") }
        #expect(line != nil && !(line!.contains("(median")), "\(report)")
        #expect(!report.contains("log vs capture"), "--no-log printed a log comparison")
    }
}
