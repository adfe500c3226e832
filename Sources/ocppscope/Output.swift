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
    /// The bytes not yet written, in memory of its own (see LineCursor).
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity = 1 << 17
    private static let flushAt = 1 << 16

    init() { base = .allocate(capacity: capacity) }

    private func reserve(_ n: Int) {
        guard count + n > capacity else { return }
        let size = max(capacity * 2, count + n)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = size
    }

    func write(_ s: String) {
        var s = s
        s.withUTF8 { u in
            reserve(u.count)
            if let p = u.baseAddress { (base + count).update(from: p, count: u.count) }
            count += u.count
        }
        if count >= StandardOutput.flushAt { flush() }
    }

    /// Lets `body` write one line of at most `bound` bytes straight into the
    /// buffer (no String between, no check per piece).
    func writeLine(atMost bound: Int, _ body: (inout LineCursor) -> Void) {
        reserve(bound)
        var cursor = LineCursor(start: base + count, limit: base + count + bound)
        body(&cursor)
        count += cursor.written
        if count >= StandardOutput.flushAt { flush() }
    }

    func flush() {
        guard count > 0 else { return }
        // write(2) directly: no shared stdio state, and a closed pipe (`| head`)
        // ends the loop instead of spinning.
        var off = 0
        while off < count {
            let n = Glibc.write(STDOUT_FILENO, base + off, count - off)
            if n <= 0 { if errno == EINTR { continue }; break }
            off += n
        }
        count = 0
    }

    deinit {
        flush()
        base.deallocate()
    }
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
        case .text, .table: appendText(r, to: out)
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

    /// `text(r)` written as UTF-8 without building a String per message:
    /// `decode` prints every message, and the interpolated line with its
    /// concatenations was 22% of decode's instructions (callgrind, 20 MB
    /// slice of the benchmark).
    static func appendText(_ r: MessageRecord, to out: StandardOutput) {
        var times = ISO8601Writer()
        writeLine(time: r.time, times: &times, chargePoint: r.chargePoint, direction: r.direction, type: r.type, action: r.action,
                  uniqueId: .text(r.uniqueId), latency: r.latencyMicros, answer: r.answer, payload: .text(r.payloadJSON), to: out)
    }

    /// The line `appendText(MessageRecord(decoded: m, …))` prints, byte for
    /// byte, without building the record: `decode` prints every message, and
    /// the record's Strings (the payload's above all) were 12% of its OCPP-J
    /// thread. ASCII payload bytes are copied as they are, which is what a
    /// String made of them holds; others go through a String, which repairs
    /// invalid UTF-8 the same way. `times` carries the minute last written
    /// from line to line.
    static func appendText(decoded m: DecodedMessage, chargePoint: String, times: inout ISO8601Writer, to out: StandardOutput) {
        m.frame.text.withUnsafeBytes { text in
            let bytes = UnsafeRawBufferPointer(rebasing: text[m.message.payload])
            let payload: LinePayload
            switch m.message.type {
            case .callError, .callResultError:
                payload = .text(MessageRecord.errorPayload(code: m.message.errorCode, description: m.message.errorDescription,
                                                           details: String(decoding: bytes, as: UTF8.self)))
            default:
                if bytes.isEmpty { payload = .text("{}") }
                else if ASCII.only(bytes) { payload = .bytes(bytes) }
                else { payload = .text(String(decoding: bytes, as: UTF8.self)) }
            }
            writeLine(time: m.frame.time, times: &times, chargePoint: chargePoint, direction: m.frame.direction, type: m.message.type,
                      action: m.action, uniqueId: m.message.unusualUniqueId.map { .text($0) } ?? .bytes(UnsafeRawBufferPointer(rebasing: text[m.message.uniqueIdRange])),
                      latency: m.latency, answer: nil, payload: payload, to: out)
        }
    }

    /// A line's payload or unique id: bytes known to be ASCII, or text.
    private enum LinePayload {
        case bytes(UnsafeRawBufferPointer)
        case text(String)

        var size: Int {
            switch self {
            case .bytes(let b): return b.count
            case .text(let s): return s.utf8.count
            }
        }
    }

    /// Room for everything in a line but its Strings and payload: the time
    /// (27), the arrow with its spaces (12), the longest type name, the
    /// separators, the latency and the unanswered mark, with some to spare.
    private static let fixedLineBytes = 27 + 12 + 16 + 2 + 2 + 64 + 14 + 2 + 1 + 16

    /// One text line: `text(r)` as UTF-8.
    private static func writeLine(time: Timestamp, times: inout ISO8601Writer, chargePoint: String, direction: Direction,
                                  type: MessageType, action: String?, uniqueId: LinePayload, latency: Int64?, answer: String?,
                                  payload: LinePayload, to out: StandardOutput) {
        let action = action ?? "?"
        let bound = fixedLineBytes + chargePoint.utf8.count + action.utf8.count + uniqueId.size + payload.size
        out.writeLine(atMost: bound) { line in
            line.put(time, with: &times)
            line.put("  ")
            line.put(chargePoint)
            line.put(direction == .chargePointToCSMS ? "  → CSMS  " : "  ← CSMS  ")
            line.put(type.name)
            line.put("  ")
            line.put(action)
            line.put("  ")
            switch uniqueId {
            case .bytes(let b): line.put(b)
            case .text(let s): line.put(s)
            }
            if let l = latency {
                line.put("  (")
                appendMillis(l, to: &line)
                line.put(" ms)")
            }
            if type == .call, let a = answer, a == "none" || a == "open" { line.put("  [UNANSWERED]") }
            line.put("  ")
            switch payload {
            case .bytes(let b): line.put(b)
            case .text(let s): line.put(s)
            }
            line.put(10)
        }
    }

    /// `formatMillis` written as UTF-8.
    static func appendMillis(_ micros: Int64, to out: inout LineCursor) {
        if micros < 0 { out.put(UInt8(ascii: "-")) }
        let m = micros.magnitude
        appendDecimal(m / 1000, to: &out)
        let rest = m % 1000
        if rest == 0 { return }
        out.put(UInt8(ascii: "."))
        out.put(UInt8(48 + rest / 100))
        out.put(UInt8(48 + rest / 10 % 10))
        out.put(UInt8(48 + rest % 10))
    }

    private static func appendDecimal(_ v: UInt64, to out: inout LineCursor) {
        if v >= 10 { appendDecimal(v / 10, to: &out) }
        out.put(UInt8(48 + v % 10))
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
