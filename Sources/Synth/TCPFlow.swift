// One TCP connection between a charge point (client) and the CSMS (server),
// as seen by a capture point on the CSMS host.
//
// The flow keeps sequence numbers, acknowledgement numbers and IP ids, and
// turns application bytes into segments of at most `mss` bytes, each
// acknowledged by the other side. Timing follows the capture point: the
// server's packets and its ACKs appear almost immediately, the client's
// replies one round-trip (`rtt`) later. Packets are returned, not written,
// so tests can edit them (see `PacketEdits`) and the fleet simulator can
// merge many flows in time order.

public enum FlowSide: Sendable, Hashable {
    case client, server
    public var other: FlowSide { self == .client ? .server : .client }
}

public final class TCPFlow {
    public let client: Endpoint
    public let server: Endpoint
    public let link: LinkLayer
    /// Largest TCP payload per segment (1448 = 1500 MTU − 40 − 12 timestamp option).
    public var mss: Int
    /// Round trip between capture point (server) and client, in µs.
    public var rtt: Int64
    /// Delay of the server's own ACK after receiving data, in µs.
    public var serverAckDelay: Int64 = 40
    public var window: UInt16 = 64_240

    public let clientISN: UInt32
    public let serverISN: UInt32
    /// Next sequence number each side will send.
    public private(set) var clientNext: UInt32
    public private(set) var serverNext: UInt32
    private var clientIPID: UInt16
    private var serverIPID: UInt16

    /// With `recordStreams`, every byte each side sent, for `retransmit`.
    public private(set) var clientStream: [UInt8] = []
    public private(set) var serverStream: [UInt8] = []
    private let recordStreams: Bool

    public init(client: Endpoint, server: Endpoint, link: LinkLayer = .ethernet, mss: Int = 1448,
                rtt: Int64 = 30_000, clientISN: UInt32 = 0x1000_0000, serverISN: UInt32 = 0x2000_0000,
                recordStreams: Bool = false) {
        precondition(client.ip.isV6 == server.ip.isV6, "both endpoints must use the same IP version")
        self.client = client; self.server = server; self.link = link
        self.mss = mss; self.rtt = rtt
        self.clientISN = clientISN; self.serverISN = serverISN
        self.clientNext = clientISN; self.serverNext = serverISN
        self.clientIPID = UInt16(truncatingIfNeeded: clientISN >> 7)
        self.serverIPID = UInt16(truncatingIfNeeded: serverISN >> 7)
        self.recordStreams = recordStreams
    }

    /// Byte offset of the next byte `side` will send, relative to its ISN+1.
    public func streamOffset(_ side: FlowSide) -> Int {
        Int(UInt32(truncatingIfNeeded: (side == .client ? clientNext : serverNext) &- (side == .client ? clientISN : serverISN) &- 1))
    }

    /// A single segment with explicit flags; advances the sender's sequence
    /// number by the payload length (and by one for SYN or FIN).
    /// `seq` overrides the sequence number (retransmissions); then nothing advances.
    public func segment(from side: FlowSide, flags: TCPFlags, payload: ArraySlice<UInt8> = [],
                        at time: Int64, seq: UInt32? = nil, options: [UInt8] = []) -> Packet {
        let isClient = side == .client
        let mySeq = seq ?? (isClient ? clientNext : serverNext)
        let ackNo: UInt32 = flags.contains(.ack) ? (isClient ? serverNext : clientNext) : 0
        let id: UInt16
        if isClient { clientIPID &+= 1; id = clientIPID } else { serverIPID &+= 1; id = serverIPID }
        let bytes = SegmentEncoder.encode(link: link, src: isClient ? client : server, dst: isClient ? server : client,
                                          outgoing: !isClient, ipID: id, seq: mySeq, ack: ackNo, flags: flags,
                                          window: window, options: options, payload: payload)
        if seq == nil {
            var advance = UInt32(payload.count)
            if flags.contains(.syn) || flags.contains(.fin) { advance &+= 1 }
            if isClient { clientNext &+= advance } else { serverNext &+= advance }
            if recordStreams && !payload.isEmpty {
                if isClient { clientStream.append(contentsOf: payload) } else { serverStream.append(contentsOf: payload) }
            }
        }
        return Packet(timestamp: time, data: bytes)
    }

    /// Delay before `side` is seen answering something the capture point just saw.
    private func replyDelay(_ side: FlowSide) -> Int64 { side == .client ? rtt : serverAckDelay }

    /// SYN, SYN-ACK, ACK, starting at `time`. The SYN and SYN-ACK carry an
    /// MSS option, as real stacks do.
    public func handshake(at time: Int64) -> [Packet] {
        let mssOption: [UInt8] = [2, 4, UInt8(mss >> 8), UInt8(truncatingIfNeeded: mss)]
        var out: [Packet] = []
        out.append(segment(from: .client, flags: .syn, at: time, options: mssOption))
        let t1 = time + serverAckDelay
        out.append(segment(from: .server, flags: [.syn, .ack], at: t1, options: mssOption))
        out.append(segment(from: .client, flags: .ack, at: t1 + rtt))
        return out
    }

    /// Sends `payload` from `side` at `time` in MSS-sized segments (PSH on the
    /// last), followed by the other side's ACK (one per two segments and one
    /// for the last, like delayed ACK). Returns the packets in time order.
    public func send(_ payload: [UInt8], from side: FlowSide, at time: Int64, acknowledge: Bool = true) -> [Packet] {
        var out: [Packet] = []
        out.reserveCapacity(payload.count / max(mss, 1) + 2)
        var offset = 0
        var t = time
        var count = 0
        while offset < payload.count {
            let end = min(offset + mss, payload.count)
            let flags: TCPFlags = end == payload.count ? [.ack, .psh] : .ack
            out.append(segment(from: side, flags: flags, payload: payload[offset..<end], at: t))
            offset = end; count += 1
            if acknowledge && count % 2 == 0 && end < payload.count {
                // A mid-stream ACK from the receiver; seen later when the receiver is remote.
                out.append(segment(from: side.other, flags: .ack, at: t + replyDelay(side.other)))
            }
            t += 12
        }
        if acknowledge && !payload.isEmpty {
            out.append(segment(from: side.other, flags: .ack, at: t - 12 + replyDelay(side.other)))
        }
        if out.count > 2 { out = PacketEdits.sortedByTime(out) }
        return out
    }

    /// Orderly close: `initiator` sends FIN, the other side answers FIN+ACK,
    /// the initiator ACKs.
    public func close(from initiator: FlowSide, at time: Int64) -> [Packet] {
        var out: [Packet] = []
        out.append(segment(from: initiator, flags: [.fin, .ack], at: time))
        let t1 = time + replyDelay(initiator.other)
        out.append(segment(from: initiator.other, flags: [.fin, .ack], at: t1))
        out.append(segment(from: initiator, flags: .ack, at: t1 + (initiator == .client ? rtt : serverAckDelay)))
        return out
    }

    /// Abortive close: one RST (with ACK) from `side`.
    public func reset(from side: FlowSide, at time: Int64) -> Packet {
        segment(from: side, flags: [.rst, .ack], at: time)
    }

    /// Re-sends stream bytes `range` (offsets from the start of `side`'s
    /// data, needs `recordStreams`) in segments of `segmentSize` bytes with
    /// their original sequence numbers: a retransmission, possibly split
    /// differently from the original so that it overlaps it.
    public func retransmit(from side: FlowSide, range: Range<Int>, segmentSize: Int, at time: Int64) -> [Packet] {
        precondition(recordStreams, "retransmit needs recordStreams: true")
        let stream = side == .client ? clientStream : serverStream
        let isn = side == .client ? clientISN : serverISN
        var out: [Packet] = []
        var offset = range.lowerBound
        var t = time
        while offset < range.upperBound {
            let end = min(offset + segmentSize, range.upperBound)
            out.append(segment(from: side, flags: [.ack, .psh], payload: stream[offset..<end], at: t,
                               seq: isn &+ 1 &+ UInt32(truncatingIfNeeded: offset)))
            offset = end; t += 12
        }
        return out
    }
}
