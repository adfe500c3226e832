import CZlib

/// Inflates permessage-deflate messages of one direction (RFC 7692 §7.2.2).
///
/// One raw-inflate stream (window bits −15) is kept across messages, because
/// with context takeover a message may refer back to earlier ones. Each
/// message has its `00 00 ff ff` tail re-appended and is inflated with
/// Z_SYNC_FLUSH. Without context takeover the stream is reset per message.
///
/// A message that refers back to bytes this inflater never saw (the capture
/// started late, or a hole swallowed a message) fails in zlib with "invalid
/// distance too far back": it is reported, never guessed at, and the stream is
/// reset so that later messages that stand alone can still be read.
final class MessageInflater {
    enum Failure: Error {
        case zlib(String)
        case tooLarge(Int)
    }

    /// Why a cap: a small compressed frame can inflate to gigabytes (a
    /// decompression bomb); no OCPP message needs more than a few megabytes.
    let maxOutput: Int
    let resetPerMessage: Bool
    private let stream: UnsafeMutablePointer<z_stream>
    private var ready = false
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(resetPerMessage: Bool, maxOutput: Int) {
        self.resetPerMessage = resetPerMessage
        self.maxOutput = maxOutput
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        ready = inflateInit2_(stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if ready { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    func reset() { if ready { inflateReset(stream) } }

    /// Inflates one whole message (the concatenated payloads of its frames)
    /// into `output` (replacing its contents). `input` gets the `00 00 ff ff`
    /// tail appended for the call and removed again.
    func inflate(_ input: inout [UInt8], into output: inout [UInt8]) throws(Failure) {
        guard ready else { throw .zlib("zlib could not be initialised") }
        output.removeAll(keepingCapacity: true)
        input.append(contentsOf: [0x00, 0x00, 0xFF, 0xFF] as [UInt8])
        defer { input.removeLast(4) }
        var failure: Failure?
        input.withUnsafeBufferPointer { inBuf in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress!)
            stream.pointee.avail_in = uInt(inBuf.count)
            while true {
                var rc: Int32 = Z_OK
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.pointee.next_out = outBuf.baseAddress
                    stream.pointee.avail_out = uInt(outBuf.count)
                    rc = CZlib.inflate(stream, Z_SYNC_FLUSH)
                    return outBuf.count - Int(stream.pointee.avail_out)
                }
                if rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END {
                    let msg = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                    failure = .zlib(msg)
                    return
                }
                output.append(contentsOf: chunk[0..<produced])
                if output.count > maxOutput { failure = .tooLarge(output.count); return }
                if rc == Z_STREAM_END {
                    // The sender ended its deflate stream (BFINAL); what follows
                    // in this message, if anything, starts a new one.
                    inflateReset(stream)
                    if stream.pointee.avail_in == 0 { return }
                    continue
                }
                // Done when zlib has room left over (all input consumed and flushed).
                if stream.pointee.avail_out != 0 || rc == Z_BUF_ERROR { return }
            }
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        if let failure {
            inflateReset(stream)
            throw failure
        }
        if resetPerMessage { inflateReset(stream) }
    }
}
