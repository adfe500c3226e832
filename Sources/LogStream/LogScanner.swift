import Frames

/// Reads the lines of one log through a format into the frame builder:
/// messages spread over several lines joined, lines without a time given the
/// previous one (and counted), identities named, anything that looks like
/// OCPP but cannot be read recorded as a decode issue with its line number.
public final class LogScanner {
    struct Meta {
        var identity: String
        var time: Timestamp?
        var stated: StatedDirection
        var version: String?
        var line: Int64
    }

    private struct Accumulation {
        var meta: Meta
        var text: [UInt8]
        var depth: BracketDepth
        var lines: Int
    }

    let parser: LogLineParser
    let builder: LogFrameBuilder
    private let options: LogOptions
    private let fallbackTime: Timestamp
    private var lastTime: Timestamp?
    private var header: Meta?
    private var accumulation: Accumulation?
    private var lastIdentityBytes: [UInt8] = []
    private var lastIdentity = ""
    private var firstInherited: Int64?
    private var firstUntimed: Int64?
    private var untimed: Int64 = 0
    static let maxContinuationLines = 100_000

    /// `fallbackTime` is given to messages before the first line with a time
    /// (the file's modification time, or the time the read began).
    public init(parser: LogLineParser, builder: LogFrameBuilder, options: LogOptions, fallbackTime: Timestamp) {
        self.parser = parser
        self.builder = builder
        self.options = options
        self.fallbackTime = fallbackTime
    }

    public func feed(_ b: UnsafeRawBufferPointer, number: Int64) {
        builder.note { $0.lines += 1 }
        if var acc = accumulation {
            if ByteSearch.looksLikeJSONContinuation(b) {
                acc.text.append(0x0A)
                let from = acc.text.count
                acc.text.append(contentsOf: b)
                acc.lines += 1
                let end = acc.text.withUnsafeBytes { acc.depth.feed($0, from: from) }
                if let end {
                    accumulation = nil
                    acc.text.removeSubrange(end...)
                    submit(acc.meta, acc.text)
                } else if acc.text.count > options.maxLineLength || acc.lines > LogScanner.maxContinuationLines {
                    accumulation = nil
                    incomplete(acc, why: "longer than \(options.maxLineLength) bytes or \(LogScanner.maxContinuationLines) lines")
                } else {
                    accumulation = acc
                }
                return
            }
            accumulation = nil
            incomplete(acc, why: "line \(number) starts a new entry before the message's brackets close")
        }
        let previousHeader = header
        header = nil
        switch parser.parse(b) {
        case .message(let f):
            guard let message = f.message else { return }
            builder.note { $0.messageLines += 1 }
            var meta = self.meta(f, b, number)
            if let h = previousHeader, f.time == nil, f.identity == nil, f.ownedIdentity == nil, f.stated == .none {
                meta = h   // a bare message under its header
            }
            switch message {
            case .owned(let text):
                submit(meta, text)
            case .range(let r):
                var e = r.upperBound
                while e > r.lowerBound, b[e - 1] == 0x20 || b[e - 1] == 0x09 { e -= 1 }
                if e > r.lowerBound, b[e - 1] == 0x5D {
                    submit(meta, ByteSearch.copy(b, r.lowerBound..<e))
                    return
                }
                var depth = BracketDepth()
                let part = UnsafeRawBufferPointer(rebasing: b[r])
                if let end = depth.feed(part) {
                    submit(meta, ByteSearch.copy(part, 0..<end))
                } else {
                    accumulation = Accumulation(meta: meta, text: ByteSearch.copy(part, 0..<part.count), depth: depth, lines: 1)
                }
            }
        case .header(let f):
            header = meta(f, b, number)
        case .noise:
            if let h = previousHeader, startsArray(b) {
                builder.note { $0.messageLines += 1 }
                var depth = BracketDepth()
                if let end = depth.feed(b) {
                    submit(h, ByteSearch.copy(b, 0..<end))
                } else {
                    accumulation = Accumulation(meta: h, text: ByteSearch.copy(b, 0..<b.count), depth: depth, lines: 1)
                }
                return
            }
            if let at = ByteSearch.ocppArrayStart(b) {
                builder.note { $0.unrecognised += 1 }
                builder.issue(DecodeIssue(layer: .log, reason: "unrecognised-line",
                                          detail: "line \(number) holds what looks like an OCPP-J message at byte \(at), but not in the \(parser.format.rawValue) format of this log",
                                          time: lastTime, frame: number, raw: Array(b.prefix(DecodeIssue.rawLimit))[...]))
            }
        }
    }

    /// A line over the length cap: recorded, skipped.
    public func overlong(prefix: [UInt8], number: Int64, length: Int) {
        builder.note { $0.lines += 1; $0.overlongLines += 1 }
        if let acc = accumulation {
            accumulation = nil
            incomplete(acc, why: "line \(number) is too long to belong to it")
        }
        header = nil
        builder.issue(DecodeIssue(layer: .log, reason: "line-too-long",
                                  detail: "line \(number) is longer than \(options.maxLineLength) bytes (at least \(length)); skipped",
                                  time: lastTime, frame: number, raw: prefix[...]))
    }

    /// The input ended: a message still open is incomplete; the count of
    /// messages without a time of their own becomes one issue.
    public func finish() {
        if let acc = accumulation {
            accumulation = nil
            incomplete(acc, why: "the log ends before its brackets close")
        }
        let inherited = builder.stats.inheritedTimes
        if inherited > 0, let first = firstInherited ?? firstUntimed {
            var detail = "\(inherited) messages had no time of their own and took the time of the line before them (first at line \(first))"
            if untimed > 0 {
                detail += "; \(untimed) came before any line with a time and were given \(fallbackTime.iso8601) (the file's modification time or the time reading began)"
            }
            builder.issue(DecodeIssue(layer: .log, reason: "no-timestamp", detail: detail, time: nil, frame: first))
        }
    }

    private func startsArray(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        return i < b.count && b[i] == 0x5B && ByteSearch.looksLikeJSONContinuation(b)
    }

    private func meta(_ f: LineFields, _ b: UnsafeRawBufferPointer, _ number: Int64) -> Meta {
        var identity = options.identity
        if let owned = f.ownedIdentity, !owned.isEmpty {
            identity = owned
        } else if let r = f.identity, !r.isEmpty {
            if lastIdentityBytes.withUnsafeBytes({ ByteSearch.equal(UnsafeRawBufferPointer(rebasing: b[r]), $0) }) {
                identity = lastIdentity
            } else {
                lastIdentityBytes = ByteSearch.copy(b, r)
                lastIdentity = String(decoding: lastIdentityBytes, as: UTF8.self)
                identity = lastIdentity
            }
        }
        return Meta(identity: identity, time: f.time, stated: f.stated, version: f.version, line: number)
    }

    private func submit(_ meta: Meta, _ text: [UInt8]) {
        var time: Timestamp
        if let t = meta.time {
            time = t
            lastTime = t
        } else if let t = lastTime {
            time = t
            builder.note { $0.inheritedTimes += 1 }
            if firstInherited == nil { firstInherited = meta.line }
        } else {
            time = fallbackTime
            untimed += 1
            builder.note { $0.inheritedTimes += 1 }
            if firstUntimed == nil { firstUntimed = meta.line }
        }
        var text = text
        if !ASCII.only(text) {
            let repaired = Array(String(decoding: text, as: UTF8.self).utf8)
            if repaired != text {
                builder.note { $0.invalidUTF8 += 1 }
                builder.issue(DecodeIssue(layer: .log, reason: "invalid-utf8",
                                          detail: "line \(meta.line): the message is not valid UTF-8; invalid bytes were replaced by U+FFFD and the repaired text decoded",
                                          time: time, frame: meta.line, connection: builder.connection(of: meta.identity), raw: text[...]))
                text = repaired
            }
        }
        if time.microseconds < 0 { time = Timestamp(microseconds: 0) }
        builder.submit(LogMessage(identity: meta.identity, time: time, stated: meta.stated, text: text, line: meta.line, version: meta.version))
    }

    private func incomplete(_ acc: Accumulation, why: String) {
        builder.note { $0.incomplete += 1 }
        builder.issue(DecodeIssue(layer: .log, reason: "incomplete-message",
                                  detail: "the message starting at line \(acc.meta.line) (\(acc.lines) lines) is cut short: \(why)",
                                  time: acc.meta.time ?? lastTime, frame: acc.meta.line, raw: acc.text[...]))
    }

}
