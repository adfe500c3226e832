/// A WebSocket frame header (RFC 6455 §5.2).
struct WebSocketFrameHeader {
    var fin: Bool
    var rsv1: Bool
    var rsv23: Bool
    var opcode: UInt8
    var masked: Bool
    var maskKey: (UInt8, UInt8, UInt8, UInt8)
    var payloadLength: UInt64
    var headerLength: Int

    var isControl: Bool { opcode & 0x08 != 0 }
    var isKnownOpcode: Bool { opcode <= 2 || (opcode >= 8 && opcode <= 10) }

    enum Parse {
        case needMore
        case header(WebSocketFrameHeader)
    }

    /// Reads a header at the start of `b`. Never fails: what the bytes mean
    /// is judged by the caller (see `plausible`), because after a hole any
    /// byte may be taken for a header.
    static func parse(_ b: UnsafeRawBufferPointer) -> Parse {
        guard b.count >= 2 else { return .needMore }
        let b0 = b[0], b1 = b[1]
        var len = UInt64(b1 & 0x7F)
        var off = 2
        if len == 126 {
            guard b.count >= 4 else { return .needMore }
            len = UInt64(be16(b, 2))
            off = 4
        } else if len == 127 {
            guard b.count >= 10 else { return .needMore }
            len = UInt64(be32(b, 2)) << 32 | UInt64(be32(b, 6))
            off = 10
        }
        let masked = b1 & 0x80 != 0
        var key: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        if masked {
            guard b.count >= off + 4 else { return .needMore }
            key = (b[off], b[off + 1], b[off + 2], b[off + 3])
            off += 4
        }
        return .header(WebSocketFrameHeader(
            fin: b0 & 0x80 != 0, rsv1: b0 & 0x40 != 0, rsv23: b0 & 0x30 != 0, opcode: b0 & 0x0F,
            masked: masked, maskKey: key, payloadLength: len, headerLength: off))
    }

    /// Whether this header is well formed for a sender that masks
    /// (`expectMask`: clients do, servers don't) and may compress.
    func wellFormed(expectMask: Bool?, compression: Bool) -> Bool {
        if !isKnownOpcode || rsv23 { return false }
        if let expectMask, masked != expectMask { return false }
        if rsv1 && (!compression || isControl || opcode == 0) { return false }
        if isControl && (!fin || payloadLength > 125) { return false }
        // RFC 6455 §5.2: the 64-bit length's most significant bit must be 0,
        // and lengths must use the shortest form.
        if payloadLength >> 63 != 0 { return false }
        return true
    }
}

enum WebSocketMask {
    /// XORs `buffer[from...]` with the 4-byte masking key, eight bytes at a time.
    static func unmask(_ buffer: inout [UInt8], from start: Int, key: (UInt8, UInt8, UInt8, UInt8)) {
        buffer.withUnsafeMutableBytes { raw in
            unmask(UnsafeMutableRawBufferPointer(rebasing: raw[start...]), key: key)
        }
    }

    /// XORs `raw` with the key repeated from its first byte, eight bytes at a time.
    static func unmask(_ raw: UnsafeMutableRawBufferPointer, key: (UInt8, UInt8, UInt8, UInt8)) {
        let k: (UInt8, UInt8, UInt8, UInt8) = key
        var word: UInt64 = 0
        withUnsafeMutableBytes(of: &word) { w in
            withUnsafeBytes(of: k) { kb in for i in 0..<8 { w[i] = kb[i & 3] } }
        }
        let n = raw.count
        var i = 0
        while i + 8 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            raw.storeBytes(of: v ^ word, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        withUnsafeBytes(of: k) { kb in
            while i < n {
                raw[i] ^= kb[i & 3]
                i += 1
            }
        }
    }
}
