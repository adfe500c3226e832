#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the line reader gives next.
public enum LineEvent {
    /// One line without its terminator (LF or CRLF). The bytes are valid until
    /// the next call to `next()`.
    case line(UnsafeRawBufferPointer, number: Int64)
    /// A line longer than the cap: its first bytes, and its length so far when
    /// it was given up. The rest of it up to the next LF is skipped.
    case overlong(prefix: [UInt8], number: Int64, length: Int)
    /// No line now (a followed file has not grown yet).
    case idle
    /// The input failed; the lines before were delivered.
    case failed(LogInputError, afterLine: Int64)
    case end
}

/// Splits a byte source into lines, at memory speed.
///
/// Why bytes and not `String`: a log line is searched for a few fixed markers
/// and its OCPP-J text copied out; decoding every line to a Swift string
/// would cost more than the rest of the path. `memchr` finds the newlines.
///
/// Lines may be of any length up to `maxLineLength`. Why a cap: a file with no
/// newline at all (a binary, a core dump) must not be held whole in memory;
/// the longest real OCPP message is a few megabytes.
public final class LineReader {
    public static let defaultMaxLineLength = 16 << 20
    public let maxLineLength: Int
    private let source: ByteSource
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0      // first byte of the unconsumed data
    private var end = 0        // one past the last byte read
    private var scanned = 0    // bytes after `start` known to hold no LF
    private var eof = false
    private var failure: LogInputError?
    private var skipping = false   // inside an overlong line, dropping bytes up to the next LF
    private var skippedLength = 0
    private var skippedPrefix: [UInt8] = []
    public private(set) var lineNumber: Int64 = 0
    private static let chunk = 1 << 20

    public init(source: ByteSource, maxLineLength: Int = LineReader.defaultMaxLineLength) {
        self.source = source
        self.maxLineLength = max(64, maxLineLength)
        capacity = 2 * LineReader.chunk
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    public var bytesConsumed: Int64 { source.bytesConsumed }

    public func next() -> LineEvent {
        while true {
            // A complete line in the buffer?
            let searchFrom = start + scanned
            if searchFrom < end, let nl = memchr(buffer + searchFrom, 0x0A, end - searchFrom) {
                let at = buffer.distance(to: nl)
                let lineStart = start
                start = at + 1
                scanned = 0
                if skipping {
                    skipping = false
                    let length = skippedLength + (at - lineStart)
                    lineNumber += 1
                    let prefix = skippedPrefix
                    skippedPrefix = []
                    return .overlong(prefix: prefix, number: lineNumber, length: length)
                }
                lineNumber += 1
                if at - lineStart > maxLineLength {
                    return .overlong(prefix: Array(UnsafeRawBufferPointer(start: buffer + lineStart, count: 256)),
                                     number: lineNumber, length: at - lineStart)
                }
                var stop = at
                if stop > lineStart, buffer.load(fromByteOffset: stop - 1, as: UInt8.self) == 0x0D { stop -= 1 }
                return .line(UnsafeRawBufferPointer(start: buffer + lineStart, count: stop - lineStart), number: lineNumber)
            }
            scanned = end - start
            if skipping, end > start {
                // Drop what has been read of the overlong line.
                skippedLength += end - start
                start = end
                scanned = 0
            } else if end - start > maxLineLength {
                skipping = true
                skippedPrefix = Array(UnsafeRawBufferPointer(start: buffer + start, count: 256))
                skippedLength = end - start
                start = end
                scanned = 0
            }
            if eof {
                if let failure {
                    if let last = deliverLast() { return last }
                    self.failure = nil
                    return .failed(failure, afterLine: lineNumber)
                }
                return deliverLast() ?? .end
            }
            makeRoom()
            let room = UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end)
            do {
                switch try source.read(into: room) {
                case .bytes(let n): end += n
                case .end: eof = true
                case .idle: return .idle
                }
            } catch {
                eof = true
                failure = error
            }
        }
    }

    /// The last line when the input does not end with a newline.
    private func deliverLast() -> LineEvent? {
        if skipping {
            skipping = false
            lineNumber += 1
            let prefix = skippedPrefix
            skippedPrefix = []
            return .overlong(prefix: prefix, number: lineNumber, length: skippedLength + (end - start))
        }
        guard end > start else { return nil }
        lineNumber += 1
        var stop = end
        if buffer.load(fromByteOffset: stop - 1, as: UInt8.self) == 0x0D { stop -= 1 }
        let line = UnsafeRawBufferPointer(start: buffer + start, count: stop - start)
        start = end
        scanned = 0
        return .line(line, number: lineNumber)
    }

    /// Moves the unconsumed bytes to the front, growing the buffer when a long
    /// line fills it (up to the cap plus one chunk).
    private func makeRoom() {
        if capacity - end >= LineReader.chunk { return }
        let pending = end - start
        if start > 0 {
            if pending > 0 { memmove(buffer, buffer + start, pending) }
            start = 0
            end = pending
        }
        if capacity - end < LineReader.chunk {
            let newCapacity = max(capacity * 2, end + LineReader.chunk)
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            bigger.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = bigger
            capacity = newCapacity
        }
    }
}
