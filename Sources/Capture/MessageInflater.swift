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
    /// Where zlib writes a message, grown by doubling up to `maxOutput + 1`.
    /// Why its own buffer and not a 64 KiB chunk copied into an array: the
    /// chunk was zero-filled per inflater (33 M instructions and 64 KiB of
    /// resident memory per compressed connection side in `decode` of the
    /// 40 MB benchmark corpus), and every message was copied once more.
    private var output: UnsafeMutableRawPointer
    private var capacity: Int
    private static let initialCapacity = 16 * 1024

    init(resetPerMessage: Bool, maxOutput: Int) {
        self.resetPerMessage = resetPerMessage
        self.maxOutput = maxOutput
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        capacity = min(MessageInflater.initialCapacity, maxOutput + 1)
        output = .allocate(byteCount: capacity, alignment: 16)
        ready = inflateInit2_(stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if ready { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func reset() { if ready { inflateReset(stream) } }

    private func resize(to n: Int, keeping kept: Int) {
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 16)
        bigger.copyMemory(from: output, byteCount: kept)
        output.deallocate()
        output = bigger
        capacity = n
    }

    /// The `00 00 ff ff` that permessage-deflate strips from every message
    /// (RFC 7692 §7.2.1), fed to zlib after it.
    private static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    static let tailBytes: (UInt8, UInt8, UInt8, UInt8) = (0x00, 0x00, 0xFF, 0xFF)

    /// Inflates one whole message (the concatenated payloads of its frames)
    /// and returns its bytes, valid until the next call. `withTail`: the
    /// input already ends with the `00 00 ff ff` tail (one zlib call
    /// instead of two).
    func inflate(_ input: UnsafeRawBufferPointer, withTail: Bool = false) throws(Failure) -> UnsafeRawBufferPointer {
        guard ready else { throw .zlib("zlib could not be initialised") }
        // A buffer grown by one huge message (a bomb, up to the limit) is not kept.
        if capacity > 1 << 20 { resize(to: min(MessageInflater.initialCapacity, maxOutput + 1), keeping: 0) }
        var produced = 0
        // The message, then its tail: zlib reads a stream in any pieces.
        var failure = feed(input, produced: &produced)
        if failure == nil && !withTail {
            failure = MessageInflater.tail.withUnsafeBytes { feed($0, produced: &produced) }
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        if let failure {
            inflateReset(stream)
            throw failure
        }
        if resetPerMessage { inflateReset(stream) }
        return UnsafeRawBufferPointer(start: output, count: produced)
    }

    /// Inflates `input` into the buffer after the `produced` bytes already there.
    private func feed(_ input: UnsafeRawBufferPointer, produced: inout Int) -> Failure? {
        guard let base = input.baseAddress, !input.isEmpty else { return nil }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        while true {
            stream.pointee.next_out = (output + produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(capacity - produced)
            let rc = CZlib.inflate(stream, Z_SYNC_FLUSH)
            produced = capacity - Int(stream.pointee.avail_out)
            if rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END {
                let msg = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                return .zlib(msg)
            }
            if produced > maxOutput { return .tooLarge(produced) }
            if rc == Z_STREAM_END {
                // The sender ended its deflate stream (BFINAL); what follows
                // in this message, if anything, starts a new one.
                inflateReset(stream)
                if stream.pointee.avail_in == 0 { return nil }
            } else if stream.pointee.avail_out != 0 || rc == Z_BUF_ERROR {
                // Done: zlib had room left over (all input consumed and flushed).
                return nil
            }
            if produced == capacity { resize(to: min(capacity * 2, maxOutput + 1), keeping: produced) }
        }
    }
}
