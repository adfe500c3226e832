// permessage-deflate compression (RFC 7692 §7.2.1), directly on zlib.
//
// Each message is raw DEFLATE data (no zlib header: negative window bits),
// flushed with Z_SYNC_FLUSH so it ends on a byte boundary with an empty
// stored block `00 00 ff ff`, which the sender strips. With context takeover
// (the default) one deflate stream per direction lives for the whole
// connection and later messages refer back into earlier ones, which is why a
// decoder that misses the start of a compressed connection cannot inflate it;
// with `*_no_context_takeover` the stream is reset for every message.

import CZlib

public final class PerMessageDeflater {
    /// Window actually used. zlib refuses 8 for raw deflate, and using a
    /// larger window than agreed would be a protocol violation, so 8 is not
    /// offered by Synth (see `init`).
    public let windowBits: Int
    public let contextTakeover: Bool
    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8] = []
    private var used = false

    /// `windowBits` in 9...15 (RFC 7692 allows 8...15; zlib's raw deflate
    /// supports 9...15).
    public init(windowBits: Int = 15, contextTakeover: Bool = true, level: Int32 = Z_DEFAULT_COMPRESSION,
                memLevel: Int32 = 8) throws {
        guard (9...15).contains(windowBits) else { throw SynthError("window bits \(windowBits) not in 9...15") }
        self.windowBits = windowBits
        self.contextTakeover = contextTakeover
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = deflateInit2_(stream, level, Z_DEFLATED, -Int32(windowBits), memLevel, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deinitialize(count: 1); stream.deallocate()
            throw SynthError("deflateInit2 failed: \(rc)")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses one message; returns the frame payload (tail stripped).
    public func compress(_ message: [UInt8]) -> [UInt8] {
        if used && !contextTakeover { deflateReset(stream) }
        used = true
        let bound = Int(deflateBound(stream, uLong(message.count))) + 64
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        var produced = 0
        message.withUnsafeBufferPointer { inp in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            stream.pointee.avail_in = uInt(inp.count)
            repeat {
                if output.count - produced < 64 { output.append(contentsOf: [UInt8](repeating: 0, count: output.count)) }
                output.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress! + produced
                    stream.pointee.avail_out = uInt(out.count - produced)
                    _ = deflate(stream, Z_SYNC_FLUSH)
                    produced = out.count - Int(stream.pointee.avail_out)
                }
            } while stream.pointee.avail_out == 0
        }
        stream.pointee.next_in = nil
        var end = produced
        if end >= 4 && output[end - 4] == 0 && output[end - 3] == 0 && output[end - 2] == 0xff && output[end - 1] == 0xff {
            end -= 4
        }
        return Array(output[0..<end])
    }
}
