import Foundation
import Frames

/// How reading a log ended.
public struct LogEnd: Sendable {
    /// `complete`, `stopped` (a followed file, on request), `truncated` (a gzip
    /// stream cut short) or `failed` (a read error).
    public var state: String
    public var detail: String?
    public var lines: Int64
}

/// Replays the first bytes read from a stream (to look at them) before the rest.
final class PeekableSource: ByteSource {
    private let inner: ByteSource
    private var peeked: [UInt8] = []
    private var offset = 0
    private var peekedEnd = false

    init(_ inner: ByteSource) { self.inner = inner }

    var bytesConsumed: Int64 { inner.bytesConsumed }

    /// Reads until `count` bytes are there or the stream ends (or idles).
    func peek(_ count: Int) throws(LogInputError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: max(count, 4096))
        while peeked.count < count && !peekedEnd {
            let r = try chunk.withUnsafeMutableBytes { b in Result { () throws(LogInputError) in try inner.read(into: b) } }.get()
            switch r {
            case .bytes(let n): peeked.append(contentsOf: chunk[0..<n])
            case .end: peekedEnd = true
            case .idle: return peeked
            }
        }
        return peeked
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogInputError) -> ReadResult {
        if offset < peeked.count {
            let n = min(buffer.count, peeked.count - offset)
            peeked.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            if offset == peeked.count { peeked = []; offset = 0 }
            return .bytes(n)
        }
        if peekedEnd { return .end }
        return try inner.read(into: buffer)
    }
}

/// Reads one log — a file (plain or gzip, by content), standard input or a
/// followed file — detects its format from its first lines (unless told),
/// and hands what it finds to a `FrameSink` as frames.
///
/// Two steps, so that a caller can tell "not a log" before it writes anything:
/// `prepare()` reads the first lines and settles the format; `run(into:)`
/// reads everything.
public final class LogReader {
    public let name: String
    public let options: LogOptions
    public let compressed: Bool
    /// The size of the file (compressed for gzip), 0 for a stream.
    public let size: Int64
    public private(set) var format: LogFormat?
    public private(set) var detection: FormatDetector.Result?
    private let lines: LineReader
    private let raw: ByteSource
    private let fallbackTime: Timestamp
    private var buffered: [LineEvent.Buffered] = []
    private var bufferedEnd: LineEvent?
    private var parser: LogLineParser?
    private let following: FollowSource?

    /// Opens a file. `follow` keeps reading as it grows until `shouldStop`.
    public init(path: String, options: LogOptions, follow: Bool = false,
                shouldStop: @escaping () -> Bool = { StopSignal.requested }, tap: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(LogInputError) {
        name = path
        self.options = options
        var st = stat()
        guard stat(path, &st) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG || follow || (st.st_mode & S_IFMT) == S_IFIFO else {
            throw .unreadable(path, "not a regular file")
        }
        size = Int64(st.st_size)
        fallbackTime = Timestamp(seconds: Int64(st.st_mtim.tv_sec), microseconds: Int64(st.st_mtim.tv_nsec / 1000))
        let base: ByteSource
        if follow {
            let f = try FollowSource(path: path, shouldStop: shouldStop)
            f.tap = tap
            base = f
            following = f
        } else {
            let f = try FileDescriptorSource(path: path)
            f.tap = tap
            base = f
            following = nil
        }
        let peekable = PeekableSource(base)
        let head = try peekable.peek(2)
        compressed = GzipSource.isGzip(head)
        if compressed && follow { throw .notALog(path, "a gzip-compressed file cannot be followed (it is rewritten whole, never appended to)") }
        raw = compressed ? try GzipSource(wrapping: peekable) : peekable
        lines = LineReader(source: raw, maxLineLength: options.maxLineLength)
    }

    /// Reads standard input (or any descriptor: a pipe, a socket).
    public init(descriptor: Int32, name: String = "-", options: LogOptions, tap: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(LogInputError) {
        self.name = name
        self.options = options
        size = 0
        following = nil
        fallbackTime = Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
        let f = FileDescriptorSource(fd: descriptor, name: name, ownsDescriptor: false)
        f.tap = tap
        let peekable = PeekableSource(f)
        let head = try peekable.peek(2)
        compressed = GzipSource.isGzip(head)
        raw = compressed ? try GzipSource(wrapping: peekable) : peekable
        lines = LineReader(source: raw, maxLineLength: options.maxLineLength)
    }

    public var bytesConsumed: Int64 { lines.bytesConsumed }

    /// Reads the first lines and settles the format: the one forced by the
    /// options, or the one that finds the most messages in them. Throws
    /// `notALog` when no format finds any (the input is neither a capture nor
    /// a log with OCPP-J).
    public func prepare() throws(LogInputError) {
        if parser != nil { return }
        if let pattern = options.pattern {
            parser = try PatternParser(pattern: pattern, options: options)
            format = .pattern
            return
        }
        if let f = options.format {
            parser = FormatDetector.makeParser(f, options: options)
            format = f
            return
        }
        var sample: [[UInt8]] = []
        var sampledBytes = 0
        // A followed file may be empty at first: wait for lines (or a stop).
        readLoop: while sample.count < options.detectionLines && sampledBytes < 4 << 20 {
            let e = lines.next()
            switch e {
            case .line(let b, let n):
                buffered.append(.line(Array(b), n))
                if !b.isEmpty { sample.append(Array(b)); sampledBytes += b.count }
            case .overlong(let p, let n, let len):
                buffered.append(.overlong(p, n, len))
            case .idle:
                if !sample.isEmpty, FormatDetector.detect(sample, options: options) != nil { break readLoop }
            case .failed, .end:
                bufferedEnd = e
                break readLoop
            }
        }
        guard let result = FormatDetector.detect(sample, options: options) else {
            if case .failed(let err, _)? = bufferedEnd { throw err }
            throw .notALog(name, sample.isEmpty ? "empty: no lines to read"
                           : "no OCPP-J message in a known log format in the first \(sample.count) lines (try --log-format or --pattern)")
        }
        detection = result
        format = result.format
        parser = FormatDetector.makeParser(result.format, options: options)
    }

    /// Reads the whole log (for a followed file: until asked to stop) into
    /// `sink`. `onIdle` runs whenever a followed file has nothing new.
    public func run(into sink: FrameSink, progress: ((Int64, Int64) -> Void)? = nil, onIdle: (() -> Void)? = nil) throws(LogInputError) -> (LogEnd, LogStats) {
        try prepare()
        let builder = LogFrameBuilder(sink: sink, duplicateWindow: options.duplicateWindow)
        let scanner = LogScanner(parser: parser!, builder: builder, options: options, fallbackTime: fallbackTime)
        var end = LogEnd(state: "complete", detail: nil, lines: 0)
        func handle(_ e: LineEvent) -> Bool {
            switch e {
            case .line(let b, let n):
                scanner.feed(b, number: n)
            case .overlong(let p, let n, let len):
                scanner.overlong(prefix: p, number: n, length: len)
            case .idle:

                onIdle?()
            case .failed(let err, let after):
                if case .gzip = err {
                    end = LogEnd(state: "truncated", detail: "\(err) after line \(after)", lines: after)
                    builder.issue(DecodeIssue(layer: .log, reason: "truncated-file",
                                              detail: "\(err) after line \(after); everything before is kept", time: nil, frame: after))
                } else {
                    end = LogEnd(state: "failed", detail: "\(err) after line \(after)", lines: after)
                    builder.issue(DecodeIssue(layer: .log, reason: "read-error",
                                              detail: "\(err) after line \(after); everything before is kept", time: nil, frame: after))
                }
                return false
            case .end:
                return false
            }
            return true
        }
        var going = true
        for b in buffered where going {
            switch b {
            case .line(let bytes, let n): bytes.withUnsafeBytes { scanner.feed($0, number: n) }
            case .overlong(let p, let n, let len): scanner.overlong(prefix: p, number: n, length: len)
            }
        }
        buffered = []
        if let e = bufferedEnd { going = handle(e) }
        var count = 0
        while going {
            going = handle(lines.next())
            count &+= 1
            if let progress, count & 0xFFF == 0 { progress(lines.bytesConsumed, size) }
        }
        scanner.finish()
        builder.finish()
        var stats = builder.stats
        stats.format = format
        if let f = following {
            stats.rotations = f.rotations
            stats.truncations = f.truncations
            if end.state == "complete" { end.state = "stopped"; end.detail = "following stopped on request" }
        }
        end.lines = lines.lineNumber
        progress?(size, size)
        return (end, stats)
    }
}

extension LineEvent {
    /// A line kept while detecting the format, replayed afterwards.
    enum Buffered {
        case line([UInt8], Int64)
        case overlong([UInt8], Int64, Int)
    }
}
