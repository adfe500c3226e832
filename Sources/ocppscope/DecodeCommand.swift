import ArgumentParser
import Capture
import Foundation
import Frames
import Ingest
import LogStream
import OCPP

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Print every OCPP message of a capture or log as it is decoded (no database).",
        discussion: """
        Decode issues go to standard error, messages to standard output. Captures and
        logs are told apart by content; `-` reads a log from standard input,
        `--follow` keeps printing as a log grows.

        Examples:
          ocppscope decode samples/fleet-small.pcap
          ocppscope decode capture.pcap.gz --format json | jq -c 'select(.action=="StatusNotification")'
          ocppscope decode csms.log --timezone Europe/Berlin --format json
          docker logs evcc 2>&1 | ocppscope decode - --log-format evcc
        """
    )

    @Argument(help: "A pcap or pcapng capture, a log (both plain or gzip-compressed), or - for a log on standard input.")
    var path: String

    @OptionGroup(title: "Logs")
    var log: LogOptionGroup

    @Option(name: .long, help: "text, json (one object per line) or csv.")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "Validate payloads against the official OCPP JSON schemas; violations are printed as issues.")
    var validate = false

    @Option(name: .long, help: "CSV of client address[:port] or port → identity, for connections whose handshake is not in the capture.")
    var identityMap: String?

    @Flag(name: .long, help: "Do not print decode issues on standard error.")
    var quietIssues = false

    func run() throws {
        let logOptions = try log.options()
        var reader: PcapFileReader?
        if path != "-" && !log.follow {
            do { reader = try PcapFileReader(path: path) } catch {
                guard case .notACapture = error else {
                    printError("error: \(error)")
                    throw Exit.failure
                }
            }
        }
        let out = StandardOutput()
        if format == .csv { out.write(MessageFormatter.csvHeader) }
        let fmt = format
        let quiet = quietIssues
        let onIssue = { (i: DecodeIssue) in
            guard !quiet else { return }
            out.flush()
            printError("issue: frame \(i.frame) [\(i.layer.rawValue)/\(i.reason)] \(i.detail)")
        }
        // The text lines straight from the decoded messages; json and csv through a MessageRecord.
        var times = ISO8601Writer()
        let deliver: StreamingDecode.Delivery = fmt == .text || fmt == .table
            ? .decoded { m, cp in MessageFormatter.appendText(decoded: m, chargePoint: cp, times: &times, to: out) }
            : .records { MessageFormatter.write($0, format: fmt, to: out) }
        let sink = StreamingDecode(source: path, deliver: deliver, onIssue: onIssue)
        if let reader {
            var options = CaptureOptions()
            options.identityMap = try loadIdentityMap(identityMap)
            let (end, _, _) = CaptureRun.run(reader, into: sink, options: options, validate: validate)
            out.flush()
            if format == .text {
                printError("\(sink.messageCount) messages, \(sink.issueCount) decode issues, \(sink.unanswered.count) unanswered calls, \(end.packets) packets" +
                           (end.state == "complete" ? "" : " — \(end.state): \(end.detail ?? "")"))
            }
            return
        }
        // Not a capture: a log.
        let logReader: LogReader
        do {
            if path == "-" {
                logReader = try LogReader(descriptor: 0, options: logOptions)
            } else {
                if log.follow { StopSignal.install() }
                logReader = try LogReader(path: path, options: logOptions, follow: log.follow)
            }
            try logReader.prepare()
        } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        let (end, stats, _) = LogRun.run(logReader, into: sink, validate: validate, onIdle: { _ in out.flush() })
        out.flush()
        if format == .text {
            let notes = LogRun.notes(stats)
            printError("\(sink.messageCount) messages, \(sink.issueCount) decode issues, \(sink.unanswered.count) unanswered calls, \(end.packets) lines"
                       + (notes.isEmpty ? "" : " (\(notes))")
                       + (end.state == "complete" || end.state == "stopped" ? "" : " — \(end.state): \(end.detail ?? "")"))
        }
        if end.state == "failed" { throw Exit.failure }
    }
}

extension OutputFormat: ExpressibleByArgument {}
