// One OCPP-J WebSocket connection on top of a TCPFlow: frames text messages
// (compressing them when permessage-deflate was agreed, masking the client's)
// and hands the resulting packets to a sink.

/// Receives packets from simulated connections (the fleet's time-ordered merge).
public protocol PacketSink: AnyObject {
    func emit(_ packet: Packet)
}

/// Collects packets in an array (tests, small scenarios).
public final class PacketCollector: PacketSink {
    public private(set) var packets: [Packet] = []
    public init() {}
    public func emit(_ packet: Packet) { packets.append(packet) }
}

final class WebSocketConnection {
    let flow: TCPFlow
    let clientDeflater: PerMessageDeflater?
    let serverDeflater: PerMessageDeflater?
    let truthIndex: Int
    let sink: PacketSink

    init(flow: TCPFlow, deflate: DeflateParameters?, level: Int32 = 6, truthIndex: Int, sink: PacketSink) throws {
        self.flow = flow
        self.truthIndex = truthIndex
        self.sink = sink
        if let d = deflate {
            // zlib's hash table has 2^(memLevel+7) entries. It is cleared on
            // every deflateReset (no context takeover) and rescanned every time
            // the window slides (every 2^windowBits bytes), so a table much
            // larger than the window makes small-window connections ~3× slower.
            func memLevel(_ bits: Int, _ noTakeover: Bool) -> Int32 { noTakeover ? 4 : Int32(min(8, max(2, bits - 6))) }
            let cb = d.clientMaxWindowBits ?? 15, sb = d.serverMaxWindowBits ?? 15
            clientDeflater = try PerMessageDeflater(windowBits: cb, contextTakeover: !d.clientNoContextTakeover,
                                                    level: level, memLevel: memLevel(cb, d.clientNoContextTakeover))
            serverDeflater = try PerMessageDeflater(windowBits: sb, contextTakeover: !d.serverNoContextTakeover,
                                                    level: level, memLevel: memLevel(sb, d.serverNoContextTakeover))
        } else {
            clientDeflater = nil; serverDeflater = nil
        }
    }

    /// Emits `packets` and returns the time of the last one.
    @discardableResult
    func emit(_ packets: [Packet]) -> Int64 {
        var last: Int64 = 0
        for p in packets { sink.emit(p); last = max(last, p.timestamp) }
        return last
    }

    /// Raw bytes on the TCP stream (HTTP handshake).
    func sendRaw(_ bytes: [UInt8], from side: FlowSide, at time: Int64) -> Int64 {
        emit(flow.send(bytes, from: side, at: time))
    }

    /// Sends one text message. With `fragments` > 1 each frame goes in its
    /// own TCP segment(s), 0.3 ms apart; with `interleavePing` a ping from the
    /// sender sits between the first and second fragment and the peer's pong
    /// follows. Returns the time of the last packet.
    func sendText(_ text: String, from side: FlowSide, at time: Int64, fragments: Int = 1, interleavePing: Bool = false,
                  rng: inout SynthRandom) -> Int64 {
        var payload = Array(text.utf8)
        let deflater = side == .client ? clientDeflater : serverDeflater
        if let deflater { payload = deflater.compress(payload) }
        let masked = side == .client
        if fragments <= 1 {
            let key: [UInt8]? = masked ? rng.bytes(4) : nil
            var frame: [UInt8] = []
            frame.reserveCapacity(payload.count + 14)
            WebSocketEncoder.appendFrame(into: &frame, opcode: .text, payload: payload[...], rsv1: deflater != nil, maskKey: key)
            return emit(flow.send(frame, from: side, at: time))
        }
        var keys: [[UInt8]] = []
        for _ in 0..<fragments { keys.append(masked ? rng.bytes(4) : []) }
        var k = 0
        let frames = WebSocketEncoder.messageFrames(payload, compressed: deflater != nil, fragments: fragments,
                                                    maskKey: masked ? { defer { k += 1 }; return keys[k] } : nil)
        var t = time
        var last = time
        var pingPayload: [UInt8]? = nil
        for (i, f) in frames.enumerated() {
            last = max(last, emit(flow.send(f, from: side, at: t)))
            t += 300
            if i == 0 && interleavePing {
                let ping = rng.bytes(4)
                last = max(last, sendControl(.ping, ping, from: side, at: t, rng: &rng))
                t += 300
                pingPayload = ping
            }
        }
        // The peer's pong is generated after the last fragment so that no
        // packet acknowledges bytes that appear later in the capture.
        if let ping = pingPayload {
            last = max(last, sendControl(.pong, ping, from: side.other, at: last + 200, rng: &rng))
        }
        return last
    }

    func sendControl(_ opcode: WebSocketOpcode, _ payload: [UInt8], from side: FlowSide, at time: Int64,
                     rng: inout SynthRandom) -> Int64 {
        let frame = WebSocketEncoder.frame(opcode: opcode, payload: payload, maskKey: side == .client ? rng.bytes(4) : nil)
        return emit(flow.send(frame, from: side, at: time))
    }
}
