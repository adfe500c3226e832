import Frames
import Synth
@testable import Capture

/// Collects what the packet decoder reports.
final class FrameCollector: FrameSink {
    var frames: [OCPPFrame] = []
    var connections: [Int: ConnectionInfo] = [:]
    var issues: [DecodeIssue] = []
    func connectionOpened(_ c: ConnectionInfo) { connections[c.id] = c }
    func connectionUpdated(_ c: ConnectionInfo) { connections[c.id] = c }
    func frame(_ f: OCPPFrame) { frames.append(f) }
    func issue(_ i: DecodeIssue) { issues.append(i) }
    var keepAlives: [KeepAlive] = []
    func keepAlive(_ k: KeepAlive) { keepAlives.append(k) }
    var texts: [String] { frames.map { String(decoding: $0.text, as: UTF8.self) } }
    var reasons: [String] { issues.map(\.reason) }
}

/// Builds one OCPP connection as packets with Synth (an encoder that shares
/// no code with the decoder) and decodes chosen packets of it.
final class Conversation {
    let flow: TCPFlow
    var packets: [Synth.Packet] = []
    var time: Int64 = 1_772_409_600_000_000
    private var key: UInt8 = 1
    let clientDeflater: PerMessageDeflater?
    let serverDeflater: PerMessageDeflater?

    init(clientPort: UInt16 = 50_000, serverPort: UInt16 = 9000, mss: Int = 1448,
         deflate: Synth.DeflateParameters? = nil, identity: String = "CP-1", handshake: Bool = true) {
        flow = TCPFlow(client: Synth.Endpoint(ip: .v4(10, 0, 0, 2), port: clientPort),
                       server: Synth.Endpoint(ip: .v4(10, 0, 0, 1), port: serverPort), mss: mss, recordStreams: true)
        clientDeflater = deflate.map { try! PerMessageDeflater(contextTakeover: !$0.clientNoContextTakeover) }
        serverDeflater = deflate.map { try! PerMessageDeflater(contextTakeover: !$0.serverNoContextTakeover) }
        packets += flow.handshake(at: tick())
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        packets += flow.send(Array(HTTPUpgrade.clientRequest(identity: identity, host: "csms", key: key, protocols: ["ocpp1.6"],
                                                              offerDeflate: deflate != nil).utf8), from: .client, at: tick())
        packets += flow.send(Array(HTTPUpgrade.switchingProtocols(key: key, protocol: "ocpp1.6", deflate: deflate).utf8),
                             from: .server, at: tick())
    }

    private func tick() -> Int64 { time += 10_000; return time }

    /// Sends one OCPP-J message; returns the index of its first packet.
    @discardableResult
    func send(_ text: String, from side: FlowSide, fragments: Int = 1) -> Int {
        let first = packets.count
        var payload = Array(text.utf8)
        let deflater = side == .client ? clientDeflater : serverDeflater
        if let d = deflater { payload = d.compress(payload) }
        var bytes: [UInt8] = []
        for f in WebSocketEncoder.messageFrames(payload, compressed: deflater != nil, fragments: fragments,
                                                maskKey: side == .client ? { [unowned self] in
                                                    self.key &+= 1
                                                    return [self.key, 0x5A, 0xA5, self.key &* 3]
                                                } : nil) {
            bytes += f
        }
        packets += flow.send(bytes, from: side, at: tick())
        return first
    }

    func close() { packets += flow.close(from: .client, at: tick()) }

    /// Decodes `packets` (or a chosen list) with a fresh decoder.
    func decode(_ chosen: [Synth.Packet]? = nil, options: CaptureOptions = CaptureOptions()) -> FrameCollector {
        let c = FrameCollector()
        let d = CaptureDecoder(sink: c, options: options)
        for (i, p) in (chosen ?? packets).enumerated() {
            p.data.withUnsafeBytes { raw in
                d.process(raw, wireLength: p.originalLength, time: Timestamp(microseconds: p.timestamp),
                          number: Int64(i + 1), linkType: .ethernet)
            }
        }
        d.finish()
        return c
    }
}

func heartbeat(_ n: Int) -> String { #"[2,"hb-\#(n)","Heartbeat",{}]"# }
func bigMeterValues(_ n: Int) -> String {
    let samples = (0..<120).map { #"{"value":"\#(1000 + $0)","measurand":"Energy.Active.Import.Register","unit":"Wh"}"# }.joined(separator: ",")
    return #"[2,"mv-\#(n)","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2026-03-02T00:00:00Z","sampledValue":[\#(samples)]}]}]"#
}
