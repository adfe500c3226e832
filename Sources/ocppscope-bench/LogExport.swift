// The JSON-lines log of the corpus: the same messages as the capture, one
// object per line, as a CSMS that logs its OCPP traffic would write them:
//
//   {"time":"2025-03-03T06:00:12.345Z","charge_point":"CP0001","direction":"cp_to_csms","message":[2,"…","Heartbeat",{}]}
//
// It is derived by decoding the capture once with the project's own
// decoder (Capture: TCP, HTTP upgrade, WebSocket, permessage-deflate), so the
// log holds exactly the messages the capture decodes to, byte for byte as
// the charge point or CSMS sent them.

import Capture
import Foundation
import Frames

/// A log file on disk and how many messages it holds.
struct LogCorpus: Sendable {
    var path: String
    var bytes: Int64
    var messages: Int
}

/// Receives the decoder's frames and writes them as JSON lines.
final class JSONLinesWriter: FrameSink {
    private var chargePoints: [Int: [UInt8]] = [:]
    private var buffer: [UInt8] = []
    private let file: UnsafeMutablePointer<FILE>
    private(set) var messages = 0
    private(set) var issues = 0

    init(path: String) throws {
        guard let f = fopen(path, "w") else { throw BenchError("cannot write \(path): \(String(cString: strerror(errno)))") }
        file = f
        buffer.reserveCapacity(1 << 20)
    }

    func connectionOpened(_ c: ConnectionInfo) { chargePoints[c.id] = JSONLinesWriter.quoted(c.chargePoint) }
    func connectionUpdated(_ c: ConnectionInfo) { chargePoints[c.id] = JSONLinesWriter.quoted(c.chargePoint) }
    func issue(_ issue: DecodeIssue) { issues += 1 }

    func frame(_ f: OCPPFrame) {
        messages += 1
        buffer.append(contentsOf: #"{"time":""#.utf8)
        buffer.append(contentsOf: f.time.iso8601.utf8)
        buffer.append(contentsOf: #"","charge_point":"#.utf8)
        buffer.append(contentsOf: chargePoints[f.connection] ?? Array(#""""#.utf8))
        buffer.append(contentsOf: #","direction":""#.utf8)
        buffer.append(contentsOf: f.direction.wireName.utf8)
        buffer.append(contentsOf: #"","message":"#.utf8)
        // OCPP-J text is a JSON array on one line; a message that somehow
        // holds a raw line break would split the log line, so escape those.
        for b in f.text {
            switch b {
            case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
            default: buffer.append(b)
            }
        }
        buffer.append(contentsOf: "}\n".utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    func close() throws {
        flush()
        guard fclose(file) == 0 else { throw BenchError("write error: \(String(cString: strerror(errno)))") }
    }

    private func flush() {
        buffer.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A JSON string literal (quotes, backslashes and control characters escaped).
    static func quoted(_ s: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for b in s.utf8 {
            switch b {
            case 0x22, 0x5C: out.append(0x5C); out.append(b)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
        return out
    }
}

enum LogExport {
    /// Writes `<capture without .pcap>.jsonl` unless a finished one exists
    /// (its message count is kept in a `.count` file written last).
    static func log(for corpus: Corpus, log: (String) -> Void) throws -> LogCorpus {
        let base = corpus.path.hasSuffix(".pcap") ? String(corpus.path.dropLast(5)) : corpus.path
        let path = base + ".jsonl"
        let countPath = path + ".count"
        if let size = CorpusBuilder.fileSize(path),
           let text = try? String(contentsOfFile: countPath, encoding: .utf8),
           let n = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            log("reusing \(path) (\(formatMB(size)) MB, \(n) messages)")
            return LogCorpus(path: path, bytes: size, messages: n)
        }
        log("writing \(path) by decoding the capture once")
        let clock = ContinuousClock()
        let started = clock.now
        let reader = try PcapFileReader(path: corpus.path)
        let partial = path + ".partial"
        let writer = try JSONLinesWriter(path: partial)
        let decoder = CaptureDecoder(sink: writer)
        let end = reader.forEach { data, wire, time, number in
            decoder.process(data, wireLength: wire, time: time, number: number, linkType: reader.linkType)
        }
        decoder.finish()
        try writer.close()
        guard end == .complete else { throw BenchError("the capture did not read to the end: \(end)") }
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        try "\(writer.messages)\n".write(toFile: countPath, atomically: true, encoding: .utf8)
        let size = CorpusBuilder.fileSize(path) ?? 0
        log(String(format: "  %d messages, %d decode issues, %@ MB, %.1f s", writer.messages, writer.issues, formatMB(size),
                   (clock.now - started).seconds))
        return LogCorpus(path: path, bytes: size, messages: writer.messages)
    }
}
