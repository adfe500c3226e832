import Foundation
import Report
import Testing

/// Headless Chromium, when installed (Debian's `chromium`; CI installs it).
enum Chromium {
    static let path: String? = {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin"]
        for d in dirs {
            for name in ["chromium", "chromium-browser"] {
                let p = (d as NSString).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: p) { return p }
            }
        }
        return nil
    }()

    /// Runs chromium headless on `arguments`, stopped after two minutes
    /// should it hang; returns its standard error (or its standard output,
    /// for `--dump-dom`).
    static func run(_ arguments: [String], profile: String, output: Bool = false) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path!)
        var flags = ["--headless", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
                     "--user-data-dir=\(profile)"]
        if getuid() == 0 { flags.append("--no-sandbox") }      // chromium refuses its sandbox as root
        p.arguments = flags + arguments
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("ocppscope-chromium-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let handle = try FileHandle(forWritingTo: err)
        p.standardOutput = output ? handle : FileHandle.nullDevice
        p.standardError = output ? FileHandle.nullDevice : handle
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        p.waitUntilExit()
        watchdog.cancel()
        try handle.close()
        defer { try? FileManager.default.removeItem(at: err) }
        return (try? String(contentsOf: err, encoding: .utf8)) ?? ""
    }
}

/// The page of the bundled sample, rendered for real (as scripts/render-report.sh does).
@Suite("Rendering in Chromium")
struct ChromiumRenderTests {
    @Test(.enabled(if: Chromium.path != nil, "chromium is not installed (apt-get install -y chromium): the page was not rendered"))
    func theSampleReportRendersToAPNGWithoutConsoleErrors() throws {
        let dir = ReportFixture.tempPath("-render")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for chargePoint in [nil, "CP0006"] {
            let (d, _, db) = try ReportFixture.sampleReport(chargePoint: chargePoint)
            defer { ReportFixture.remove(db) }
            let html = "\(dir)/report-\(chargePoint ?? "fleet").html"
            try HTMLReport.render(d).write(toFile: html, atomically: true, encoding: .utf8)
            let png = html.replacingOccurrences(of: ".html", with: ".png")
            let log = try Chromium.run(["--enable-logging=stderr", "--v=0", "--window-size=1280,2000", "--screenshot=\(png)", "file://\(html)"],
                                       profile: "\(dir)/profile")
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: png))) ?? Data()
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "no PNG written; chromium said:\n\(log.suffix(2000))")
            #expect(bytes.count > 20_000, "the PNG is \(bytes.count) bytes: a blank page?")
            // The page has no script: any console line is an error (a failed load, a parse error).
            let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
            #expect(console.isEmpty, "chromium console: \(console.joined(separator: "\n"))")
            // The DOM Chromium built holds every section.
            let dom = try Chromium.run(["--dump-dom", "file://\(html)"], profile: "\(dir)/profile", output: true)
            for id in ["fleet", "uptime", "energy", "anomalies"] + (chargePoint == nil ? [] : ["charge-point"]) {
                #expect(dom.contains("<section id=\"\(id)\">"), "section \(id) missing from the rendered DOM")
            }
        }
    }
}
