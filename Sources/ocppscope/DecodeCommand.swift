import ArgumentParser
import Capture
import Foundation
import Frames
import Ingest
import OCPP

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Print every OCPP message of a capture as it is decoded (no database).",
        discussion: """
        Decode issues go to standard error, messages to standard output.

        Examples:
          ocppscope decode samples/fleet-small.pcap
          ocppscope decode capture.pcap.gz --format json | jq -c 'select(.action=="StatusNotification")'
        """
    )

    @Argument(help: "A pcap or pcapng capture, plain or gzip-compressed.")
    var path: String

    @Option(name: .long, help: "text, json (one object per line) or csv.")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "Do not print decode issues on standard error.")
    var quietIssues = false

    func run() throws {
        let reader: PcapFileReader
        do { reader = try PcapFileReader(path: path) } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        let out = StandardOutput()
        if format == .csv { out.write(MessageFormatter.csvHeader) }
        let fmt = format
        let quiet = quietIssues
        let sink = StreamingDecode(source: path, onMessage: { out.write(MessageFormatter.line($0, format: fmt)) }, onIssue: { i in
            guard !quiet else { return }
            out.flush()
            printError("issue: frame \(i.frame) [\(i.layer.rawValue)/\(i.reason)] \(i.detail)")
        })
        let (end, _, _) = CaptureRun.run(reader, into: sink)
        out.flush()
        if format == .text {
            printError("\(sink.messageCount) messages, \(sink.issueCount) decode issues, \(sink.unanswered.count) unanswered calls, \(end.packets) packets" +
                       (end.state == "complete" ? "" : " — \(end.state): \(end.detail ?? "")"))
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
