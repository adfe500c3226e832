import CZlib
@testable import Capture

/// A tiny WebSocket frame writer for tests, written from RFC 6455 §5.2
/// independently of the decoder.
enum TestFrames {
    static func frame(_ payload: [UInt8], opcode: UInt8 = 1, fin: Bool = true, rsv1: Bool = false,
                      mask: [UInt8]? = nil) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode]
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        if payload.count < 126 {
            out.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            out.append(maskBit | 126)
            out += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            out.append(maskBit | 127)
            for k in (0..<8).reversed() { out.append(UInt8((UInt64(payload.count) >> (UInt64(k) * 8)) & 0xFF)) }
        }
        if let mask {
            out += mask
            for (i, b) in payload.enumerated() { out.append(b ^ mask[i % 4]) }
        } else {
            out += payload
        }
        return out
    }

    static func text(_ s: String, mask: [UInt8]? = nil) -> [UInt8] { frame(Array(s.utf8), mask: mask) }
}

/// Raw deflate (RFC 7692) for tests, straight on zlib.
final class TestDeflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    let reset: Bool
    init(noContextTakeover: Bool = false, windowBits: Int32 = 15) {
        reset = noContextTakeover
        stream.initialize(to: z_stream())
        deflateInit2_(stream, 6, Z_DEFLATED, -windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    }
    deinit { deflateEnd(stream); stream.deallocate() }

    /// Compresses one message and strips the 00 00 ff ff tail.
    func compress(_ s: String) -> [UInt8] {
        var input = Array(s.utf8)
        var out = [UInt8](repeating: 0, count: input.count + 1024)
        let n: Int = input.withUnsafeMutableBufferPointer { inb in
            out.withUnsafeMutableBufferPointer { outb in
                stream.pointee.next_in = inb.baseAddress
                stream.pointee.avail_in = uInt(inb.count)
                stream.pointee.next_out = outb.baseAddress
                stream.pointee.avail_out = uInt(outb.count)
                deflate(stream, Z_SYNC_FLUSH)
                return outb.count - Int(stream.pointee.avail_out)
            }
        }
        if reset { deflateReset(stream) }
        var result = Array(out[0..<n])
        if result.suffix(4) == [0, 0, 0xFF, 0xFF] { result.removeLast(4) }
        return result
    }
}

/// Runs a WebSocketStream over chunks of bytes and collects what it yields.
final class StreamProbe {
    let ws: WebSocketStream
    var queue = ByteQueue()
    var messages: [String] = []
    var issues: [String] = []
    var closes: [(Int?, String?)] = []
    var pings = 0

    init(expectMask: Bool?, deflate: Bool = false, noContextTakeover: Bool = false, resync: Bool = false, max: Int = 1 << 20) {
        ws = WebSocketStream(expectMask: expectMask, compression: deflate,
                             inflater: deflate ? MessageInflater(resetPerMessage: noContextTakeover, maxOutput: max) : nil,
                             maxMessageBytes: max, startInResync: resync)
    }

    func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { queue.append($0) }
        ws.consume(&queue, emit: record)
    }

    func hole(_ n: Int64) { ws.hole(n, queue: &queue, emit: record) }

    private func record(_ e: WebSocketEvent) {
        switch e {
        case .message(_, let b, _): messages.append(String(decoding: b, as: UTF8.self))
        case .issue(_, let reason, _, _): issues.append(reason)
        case .close(let c, let r, _): closes.append((c, r))
        case .ping: pings += 1
        case .pong: break
        }
    }
}
