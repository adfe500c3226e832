// RFC 6455 framing.
//
// Client-to-server frames are masked with a 4-byte key (§5.3), server frames
// are not. Payload length uses the 7-bit form up to 125 bytes, then the
// 16-bit form (126) up to 65535, then the 64-bit form (127) (§5.2). A message
// may be split into several frames: the first carries the opcode (and RSV1
// when permessage-deflate compressed the message, RFC 7692 §6), the others
// are continuation frames, FIN is set on the last; control frames (ping,
// pong, close) may appear between the fragments (§5.4).

public enum WebSocketOpcode: UInt8, Sendable {
    case continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10
}

public enum WebSocketEncoder {
    /// Appends one frame. `maskKey` must be 4 bytes for client frames, nil
    /// for server frames.
    public static func appendFrame(into b: inout [UInt8], opcode: WebSocketOpcode, payload: ArraySlice<UInt8>,
                                   fin: Bool = true, rsv1: Bool = false, maskKey: [UInt8]? = nil) {
        b.append((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode.rawValue)
        let maskBit: UInt8 = maskKey == nil ? 0 : 0x80
        let n = payload.count
        if n <= 125 {
            b.append(maskBit | UInt8(n))
        } else if n <= 0xffff {
            b.append(maskBit | 126); b.appendBE16(UInt16(n))
        } else {
            b.append(maskBit | 127); b.appendBE64(UInt64(n))
        }
        if let key = maskKey {
            precondition(key.count == 4)
            b.append(contentsOf: key)
            let start = b.count
            b.append(contentsOf: payload)
            b.withUnsafeMutableBufferPointer { p in
                let k0 = key[0], k1 = key[1], k2 = key[2], k3 = key[3]
                var i = 0
                while i + 3 < n {
                    p[start + i] ^= k0; p[start + i + 1] ^= k1; p[start + i + 2] ^= k2; p[start + i + 3] ^= k3
                    i += 4
                }
                while i < n { p[start + i] ^= key[i & 3]; i += 1 }
            }
        } else {
            b.append(contentsOf: payload)
        }
    }

    public static func frame(opcode: WebSocketOpcode, payload: [UInt8], fin: Bool = true, rsv1: Bool = false,
                             maskKey: [UInt8]? = nil) -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(payload.count + 14)
        appendFrame(into: &b, opcode: opcode, payload: payload[...], fin: fin, rsv1: rsv1, maskKey: maskKey)
        return b
    }

    /// Splits a message payload (already compressed when `compressed`) into
    /// `fragments` frames of near-equal size; one frame each, in order.
    /// `maskKey` is called once per frame (client side), or is nil.
    public static func messageFrames(_ payload: [UInt8], opcode: WebSocketOpcode = .text, compressed: Bool = false,
                                     fragments: Int = 1, maskKey: (() -> [UInt8])? = nil) -> [[UInt8]] {
        let parts = max(1, min(fragments, max(payload.count, 1)))
        var frames: [[UInt8]] = []
        let base = payload.count / parts, extra = payload.count % parts
        var offset = 0
        for i in 0..<parts {
            let len = base + (i < extra ? 1 : 0)
            var b: [UInt8] = []
            b.reserveCapacity(len + 14)
            appendFrame(into: &b, opcode: i == 0 ? opcode : .continuation, payload: payload[offset..<(offset + len)],
                        fin: i == parts - 1, rsv1: compressed && i == 0, maskKey: maskKey?())
            frames.append(b)
            offset += len
        }
        return frames
    }

    /// Close frame payload: 2-byte status code then UTF-8 reason (§5.5.1).
    public static func closePayload(code: UInt16, reason: String) -> [UInt8] {
        var b: [UInt8] = []
        b.appendBE16(code)
        b.append(contentsOf: Array(reason.utf8))
        return b
    }
}
