import ArgumentParser
import Capture
import Dispatch
import Foundation
import Ingest
import Store
#if canImport(Glibc)
import Glibc
#endif

struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Decode OCPP from a live interface into the database, continuously.",
        discussion: """
        Commits every few seconds, so other commands can query the database while it
        runs. Ctrl-C or SIGTERM stops it cleanly: the last batch is committed, the
        history of the charge points seen is derived, and the summary printed. Needs
        root or CAP_NET_RAW. With --write-pcap the raw packets also go to rotating
        pcap files, so nothing seen is lost. Into PostgreSQL each commit is one
        transaction, so other capture and ingest processes can write at the same
        time and a killed capture leaves every committed batch whole.

        Examples:
          ocppscope capture --interface eth0 --filter "tcp port 9000"
          ocppscope capture --interface any --write-pcap /var/captures --db site.sqlite
          ocppscope capture --interface eth0 --db postgresql://ocpp@db/fleet
        """
    )

    @Option(name: .long, help: "The interface to capture on (`any` for all on Linux).")
    var interface: String

    @Option(name: .long, help: "A BPF capture filter, as for tcpdump.")
    var filter: String?

    @Option(name: .long, help: "The database file, or postgresql://USER@HOST:PORT/DB.")
    var db: String = defaultDatabase

    @Option(name: .long, help: "Also write the raw packets to rotating pcap files in this folder.")
    var writePcap: String?

    @Option(name: .long, help: "Start a new pcap file after this many megabytes.")
    var rotateMb: Int = 100

    @Option(name: .long, help: "Seconds between commits.")
    var commitSeconds: Double = 2

    @Option(name: .long, help: "CSV of client address[:port] or port → identity, for connections already open when the capture starts.")
    var identityMap: String?

    func run() throws {
        // Into PostgreSQL: the capture is written into a private SQLite file,
        // and each commit carried over in one transaction (PostgresLiveMirror).
        var options = LiveCapture.Options(interface: interface)
        options.filter = filter
        options.writeDirectory = writePcap
        options.rotateBytes = Int64(rotateMb) << 20
        var captureOptions = CaptureOptions()
        captureOptions.identityMap = try loadIdentityMap(identityMap)
        // The interface first: a wrong name or filter must not leave a new,
        // empty database behind.
        let capture: LiveCapture
        do { capture = try LiveCapture(options) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        let target: LiveTarget
        do { target = try LiveTarget(db: db) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        let live = LiveRun(store: target.store, capture: capture, commitSeconds: commitSeconds, captureOptions: captureOptions,
                           mirror: target.mirror)
        // Signals stop the loop from a dispatch queue; the default action
        // (dying mid-transaction) is turned off first.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { live.stop() }
            s.resume()
            return s
        }
        defer { sources.forEach { $0.cancel() } }
        let out = StandardOutput()
        out.write("capturing on \(interface)\(filter.map { " (filter: \($0))" } ?? "") into \(db); Ctrl-C to stop\n")
        out.flush()
        let terminal = stderrIsTerminal
        let (summary, packets, history): (SourceSummary, Int64, [String: Int])
        do {
            (summary, packets, history) = try live.run(onCommit: { s, packets in
                if terminal {
                    FileHandle.standardError.write(Data("\r\(packets) packets, \(s.messages) messages, \(s.connections) connections, \(s.issues) decode issues\u{1B}[K".utf8))
                }
            }, onMirrorFailure: { target.reportFailure($0) })
        } catch {
            printError("\nerror: \(error)\(target.keptNote)")
            throw Exit.failure
        }
        target.discard()
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        out.write("stopped: \(packets) packets, \(summary.messages) messages, \(summary.connections) connections, \(summary.chargePoints.count) charge points, \(summary.issues) decode issues\n")
        out.write("history: \(history["transactions"] ?? 0) sessions, \(history["status_intervals"] ?? 0) status intervals, \(history["connectivity"] ?? 0) connectivity intervals\n")
        if !live.capture.writtenFiles.isEmpty {
            out.write("packets written to: \(live.capture.writtenFiles.joined(separator: ", "))\n")
        }
        out.flush()
    }
}
