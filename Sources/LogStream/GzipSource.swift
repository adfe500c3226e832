import CZlib

/// Inflates a gzip stream read from another source, chunk by chunk: a
/// compressed log is never copied to a temporary file nor held in memory.
///
/// Concatenated gzip members (`cat a.gz b.gz`, some rotators) are read one
/// after another, as `gzip -d` does. A stream cut short is an error reported
/// after everything inflated before the cut has been delivered.
public final class GzipSource: ByteSource {
    private let inner: ByteSource
    /// Heap-allocated: zlib checks that its stream never moves after init.
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    private var memberEnded = false
    private var finished = false

    public var bytesConsumed: Int64 { inner.bytesConsumed }

    public init(wrapping inner: ByteSource) throws(LogInputError) {
        self.inner = inner
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: 256 * 1024, alignment: 16)
        // 15 + 16: a gzip header and trailer, with the largest window.
        guard inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw .gzip("zlib could not be initialised")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Whether `bytes` start with the gzip magic number (RFC 1952: 1f 8b).
    public static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        var it = bytes.makeIterator()
        return it.next() == 0x1F && it.next() == 0x8B
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogInputError) -> ReadResult {
        if let e = pendingError { pendingError = nil; finished = true; throw e }
        if finished { return .end }
        while true {
            if stream.pointee.avail_in == 0 && !inputEnded {
                switch try inner.read(into: input) {
                case .bytes(let n):
                    stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_in = uInt(n)
                case .end:
                    inputEnded = true
                case .idle:
                    return .idle
                }
            }
            if memberEnded {
                if stream.pointee.avail_in == 0 {
                    if inputEnded { finished = true; return .end }
                    continue
                }
                // Another member follows: it must start with the magic number too.
                let next = UnsafeRawBufferPointer(start: stream.pointee.next_in, count: Int(stream.pointee.avail_in))
                if next.allSatisfy({ $0 == 0 }) { finished = true; return .end }   // padding some tools add
                guard next.count < 2 || GzipSource.isGzip(next) else {
                    finished = true
                    throw .gzip("\(next.count) bytes after the end of the gzip stream are not gzip")
                }
                inflateReset(stream)
                memberEnded = false
            }
            stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(buffer.count)
            let rc = inflate(stream, Z_NO_FLUSH)
            let produced = buffer.count - Int(stream.pointee.avail_out)
            switch rc {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let why = stream.pointee.msg.map { String(cString: $0) } ?? "error \(rc)"
                if produced > 0 {
                    // Deliver what came out first; the error surfaces on the next read.
                    pendingError = .gzip(why)
                    return .bytes(produced)
                }
                finished = true
                throw .gzip(why)
            }
            if produced > 0 { return .bytes(produced) }
            if memberEnded { continue }
            if stream.pointee.avail_in == 0 && inputEnded {
                finished = true
                throw .gzip("the compressed stream is cut short (no gzip trailer)")
            }
        }
    }

    private var pendingError: LogInputError?
}
