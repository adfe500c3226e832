import Foundation
import Frames
import OCPP
#if canImport(Glibc)
import Glibc
#endif

/// Buffered writing to standard output: one `fwrite` per 64 KiB instead of
/// one per line, which matters when `decode` prints hundreds of thousands of
/// messages into a pipe.
final class StandardOutput {
    private var buffer: [UInt8] = []
    init() { buffer.reserveCapacity(1 << 16) }

    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Lets `body` append bytes to the buffer directly (no String between).
    func write(_ body: (inout [UInt8]) -> Void) {
        body(&buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        // write(2) directly: no shared stdio state, and a closed pipe (`| head`)
        // ends the loop instead of spinning.
        buffer.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Glibc.write(STDOUT_FILENO, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { if errno == EINTR { continue }; break }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

/// Writes a line to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

/// A one-line progress bar on standard error, shown only on a terminal.
final class ProgressBar {
    private let enabled: Bool
    private var shown = false
    init() { enabled = stderrIsTerminal && stdoutIsTerminal }

    func update(label: String, done: Int64, total: Int64) {
        guard enabled, total > 0 else { return }
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let mb = { (n: Int64) in String(format: "%.1f", Double(n) / 1_000_000) }
        FileHandle.standardError.write(Data("\r\(bar) \(Int(fraction * 100))% \(mb(done))/\(mb(total)) MB \(label.suffix(40))\u{1B}[K".utf8))
        shown = true
    }

    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}

/// How data commands print their rows.
enum OutputFormat: String, CaseIterable {
    case text, table, json, csv
}

/// Formats messages for `decode` and `messages`.
enum MessageFormatter {
    static let csvHeader = "time,charge_point,direction,type,unique_id,action,payload,ocpp_version,source,frame,latency_ms,answer\n"

    /// Writes one message to `out`; the text format goes byte by byte.
    static func write(_ r: MessageRecord, format: OutputFormat, to out: StandardOutput) {
        switch format {
        case .text, .table: out.write { appendText(r, to: &$0) }
        case .json, .csv: out.write(line(r, format: format))
        }
    }

    static func line(_ r: MessageRecord, format: OutputFormat) -> String {
        switch format {
        case .json: return json(r)
        case .csv: return csv(r)
        case .text, .table: return text(r)
        }
    }

    /// One JSON object per line, with the fields the README documents.
    static func json(_ r: MessageRecord) -> String {
        var o = "{\"time\":\"" + r.time.iso8601 + "\",\"charge_point\":"
        JSONValue.writeString(r.chargePoint, into: &o)
        o += ",\"direction\":\"" + r.direction.wireName + "\",\"type\":\"" + r.type.name + "\",\"unique_id\":"
        JSONValue.writeString(r.uniqueId, into: &o)
        o += ",\"action\":"
        if let a = r.action { JSONValue.writeString(a, into: &o) } else { o += "null" }
        o += ",\"payload\":" + r.payloadJSON + ",\"ocpp_version\":"
        if let v = r.ocppVersion { JSONValue.writeString(v, into: &o) } else { o += "null" }
        o += ",\"source\":"
        JSONValue.writeString(r.source, into: &o)
        o += ",\"frame\":\(r.frame),\"latency_ms\":"
        o += r.latencyMicros.map { formatMillis($0) } ?? "null"
        if r.type == .call {
            o += ",\"answer\":"
            if let a = r.answer { JSONValue.writeString(a, into: &o) } else { o += "null" }
        }
        o += "}\n"
        return o
    }

    static func csv(_ r: MessageRecord) -> String {
        let fields: [String] = [
            r.time.iso8601, r.chargePoint, r.direction.wireName, r.type.name, r.uniqueId, r.action ?? "",
            r.payloadJSON, r.ocppVersion ?? "", r.source, String(r.frame),
            r.latencyMicros.map { formatMillis($0) } ?? "", r.answer ?? "",
        ]
        return fields.map(csvField).joined(separator: ",") + "\n"
    }

    static func text(_ r: MessageRecord) -> String {
        let arrow = r.direction == .chargePointToCSMS ? "→ CSMS" : "← CSMS"
        var s = "\(r.time.iso8601)  \(r.chargePoint)  \(arrow)  \(r.type.name)  \(r.action ?? "?")  \(r.uniqueId)"
        if let l = r.latencyMicros { s += "  (\(formatMillis(l)) ms)" }
        if r.type == .call, let a = r.answer, a == "none" || a == "open" { s += "  [UNANSWERED]" }
        return s + "  " + r.payloadJSON + "\n"
    }

    private static let toCSMS = Array("  → CSMS  ".utf8), fromCSMS = Array("  ← CSMS  ".utf8)
    private static let twoSpaces = Array("  ".utf8), unanswered = Array("  [UNANSWERED]".utf8)

    /// `text(r)` appended as UTF-8 without building a String per message:
    /// `decode` prints every message, and the interpolated line with its
    /// concatenations was 22% of decode's instructions (callgrind, 20 MB
    /// slice of the benchmark).
    static func appendText(_ r: MessageRecord, to out: inout [UInt8]) {
        var times = ISO8601Writer()
        appendLine(time: r.time, times: &times, chargePoint: r.chargePoint, direction: r.direction, type: r.type, action: r.action,
                   uniqueId: r.uniqueId, latency: r.latencyMicros, answer: r.answer, to: &out) { append(r.payloadJSON, to: &$0) }
    }

    /// The line `appendText(MessageRecord(decoded: m, …))` prints, byte for
    /// byte, without building the record: `decode` prints every message, and
    /// the record's Strings (the payload's above all) were 12% of its OCPP-J
    /// thread. ASCII payload bytes are copied as they are, which is what a
    /// String made of them holds; others go through a String, which repairs
    /// invalid UTF-8 the same way.
    /// `times` carries the minute last written from line to line.
    static func appendText(decoded m: DecodedMessage, chargePoint: String, times: inout ISO8601Writer, to out: inout [UInt8]) {
        appendLine(time: m.frame.time, times: &times, chargePoint: chargePoint, direction: m.frame.direction, type: m.message.type, action: m.action,
                   uniqueId: m.message.uniqueId, latency: m.latency, answer: nil, to: &out) { out in
            let bytes = m.payloadBytes
            switch m.message.type {
            case .callError, .callResultError:
                append(MessageRecord.errorPayload(code: m.message.errorCode, description: m.message.errorDescription,
                                                  details: String(decoding: bytes, as: UTF8.self)), to: &out)
            default:
                if bytes.isEmpty { out.append(contentsOf: emptyObject) }
                else if ASCII.only(bytes) { out.append(contentsOf: bytes) }
                else { append(String(decoding: bytes, as: UTF8.self), to: &out) }
            }
        }
    }

    private static let emptyObject = Array("{}".utf8)

    /// One text line: `text(r)` as UTF-8, the payload written by `payload`.
    private static func appendLine(time: Timestamp, times: inout ISO8601Writer, chargePoint: String, direction: Direction,
                                   type: MessageType, action: String?, uniqueId: String, latency: Int64?, answer: String?,
                                   to out: inout [UInt8], payload: (inout [UInt8]) -> Void) {
        times.append(time, to: &out)
        out.append(contentsOf: twoSpaces)
        append(chargePoint, to: &out)
        out.append(contentsOf: direction == .chargePointToCSMS ? toCSMS : fromCSMS)
        append(type.name, to: &out)
        out.append(contentsOf: twoSpaces)
        append(action ?? "?", to: &out)
        out.append(contentsOf: twoSpaces)
        append(uniqueId, to: &out)
        if let l = latency {
            out.append(contentsOf: "  (".utf8)
            appendMillis(l, to: &out)
            out.append(contentsOf: " ms)".utf8)
        }
        if type == .call, let a = answer, a == "none" || a == "open" { out.append(contentsOf: unanswered) }
        out.append(contentsOf: twoSpaces)
        payload(&out)
        out.append(10)
    }

    /// A String's UTF-8 appended from its contiguous storage in one copy;
    /// `append(contentsOf: s.utf8)` went through the generic sequence path
    /// (a third of `appendText`'s instructions).
    @inline(__always) private static func append(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    /// `formatMillis` appended as UTF-8.
    static func appendMillis(_ micros: Int64, to out: inout [UInt8]) {
        if micros < 0 { out.append(UInt8(ascii: "-")) }
        let m = micros.magnitude
        appendDecimal(m / 1000, to: &out)
        let rest = m % 1000
        if rest == 0 { return }
        out.append(UInt8(ascii: "."))
        out.append(UInt8(48 + rest / 100))
        out.append(UInt8(48 + rest / 10 % 10))
        out.append(UInt8(48 + rest % 10))
    }

    private static func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
        if v >= 10 { appendDecimal(v / 10, to: &out) }
        out.append(UInt8(48 + v % 10))
    }

    /// Milliseconds with up to three decimals, by integer arithmetic
    /// (`String(format:)` is slow on the hot path of `decode`).
    static func formatMillis(_ micros: Int64) -> String {
        let sign = micros < 0 ? "-" : ""
        let m = abs(micros)
        let whole = String(m / 1000)
        let rest = m % 1000
        if rest == 0 { return sign + whole }
        let r = String(rest)
        return sign + whole + "." + String(repeating: "0", count: 3 - r.count) + r
    }
}

/// RFC 4180 quoting.
func csvField(_ s: String) -> String {
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}

/// Parses a `--since`/`--until` value.
func parseTime(_ s: String, option: String) throws -> Timestamp {
    guard let t = Timestamp(iso8601: s) else {
        throw ValidationFailure("\(option) '\(s)' is not a time: use ISO 8601 such as 2026-03-02T14:00 or 2026-03-02T14:00:00Z (UTC when no zone is given)")
    }
    return t
}

struct ValidationFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
