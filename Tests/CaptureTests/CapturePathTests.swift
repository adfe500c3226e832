import Frames
import Synth
import Testing
@testable import Capture

@Suite("Packets to frames")
struct CapturePathTests {
    @Test func aWholeConversationWithAnswers() {
        let c = Conversation()
        c.send(heartbeat(1), from: .client)
        c.send(#"[3,"hb-1",{"currentTime":"2026-03-02T00:00:00Z"}]"#, from: .server)
        c.send(bigMeterValues(1), from: .client, fragments: 3)
        c.close()
        let r = c.decode()
        #expect(r.texts == [heartbeat(1), #"[3,"hb-1",{"currentTime":"2026-03-02T00:00:00Z"}]"#, bigMeterValues(1)])
        #expect(r.frames.map(\.direction) == [.chargePointToCSMS, .csmsToChargePoint, .chargePointToCSMS])
        let info = r.connections[1]!
        #expect(info.chargePoint == "CP-1")
        #expect(info.subprotocol == "ocpp1.6")
        #expect(info.handshakeSeen)
        #expect(info.closedHow == "fin" && info.ended)
        #expect(r.issues.isEmpty)
    }

    @Test func pingsAndPongsAreSignsOfLife() {
        let c = Conversation()
        c.packets += c.flow.send(WebSocketEncoder.frame(opcode: .ping, payload: [1, 2], maskKey: [5, 6, 7, 8]), from: .client, at: c.time + 1000)
        c.packets += c.flow.send(WebSocketEncoder.frame(opcode: .pong, payload: [1, 2]), from: .server, at: c.time + 2000)
        c.time += 3000
        c.send(heartbeat(1), from: .client)
        let r = c.decode()
        #expect(r.keepAlives.map(\.kind) == ["ping", "pong"])
        #expect(r.keepAlives.map(\.direction) == [.chargePointToCSMS, .csmsToChargePoint])
        #expect(r.texts == [heartbeat(1)])
    }

    @Test func reorderedAndRetransmittedSegments() {
        let c = Conversation(mss: 200)
        c.send(bigMeterValues(1), from: .client)
        c.send(bigMeterValues(2), from: .client)
        var p = c.packets
        let data = p.indices.filter { p[$0].data.count > 100 }
        p = PacketEdits.swapped(p, data[data.count - 3], data[data.count - 5])
        p = PacketEdits.duplicated(p, data[data.count - 2])
        p = PacketEdits.duplicated(p, data[4], at: data[9])
        let r = c.decode(p)
        #expect(r.texts == [bigMeterValues(1), bigMeterValues(2)])
        #expect(r.issues.isEmpty)
    }

    @Test func aLostSegmentCostsOneMessageAndDecodingResumes() {
        let c = Conversation(mss: 300)
        c.send(heartbeat(1), from: .client)
        let lost = c.send(bigMeterValues(1), from: .client)
        c.send(heartbeat(2), from: .client)
        c.send(heartbeat(3), from: .client)
        let r = c.decode(PacketEdits.dropped(c.packets, [lost + 1]))
        #expect(r.texts == [heartbeat(1), heartbeat(2), heartbeat(3)])
        #expect(r.reasons.contains("message-lost-in-hole"))
        #expect(r.connections[1]!.stats.holes == 1)
    }

    @Test func theSnapLengthCutsMessagesIntoIssuesNotGarbage() {
        let c = Conversation()
        c.send(heartbeat(1), from: .client)
        c.send(bigMeterValues(1), from: .client)
        c.send(heartbeat(2), from: .client)
        let r = c.decode(PacketEdits.truncated(c.packets, snaplen: 400))
        #expect(r.texts == [heartbeat(1), heartbeat(2)])
        #expect(r.reasons.contains("message-lost-in-hole"))
    }
}

@Suite("Connections seen mid-stream")
struct MidStreamTests {
    @Test func aCaptureThatStartsInTheMiddleOfAMessage() {
        // The server listens on a port above the charger's, so the guess by
        // port is wrong and the masking must correct it.
        let c = Conversation(clientPort: 1000, serverPort: 9000, mss: 500)
        c.send(heartbeat(1), from: .client)
        let cut = c.send(bigMeterValues(1), from: .client)
        c.send(#"[3,"mv-1",{}]"#, from: .server)
        c.send(heartbeat(2), from: .client)
        c.send(#"[3,"hb-2",{"currentTime":"2026-03-02T00:00:00Z"}]"#, from: .server)
        // Everything before the second segment of the big message is missing.
        let r = c.decode(Array(c.packets[(cut + 1)...]))
        #expect(r.texts == [#"[3,"mv-1",{}]"#, heartbeat(2), #"[3,"hb-2",{"currentTime":"2026-03-02T00:00:00Z"}]"#])
        #expect(r.frames.map(\.direction) == [.csmsToChargePoint, .chargePointToCSMS, .csmsToChargePoint])
        let info = r.connections[1]!
        #expect(!info.handshakeSeen)
        #expect(info.identitySource == .endpoint)
        #expect(info.chargePoint == "10.0.0.2:1000")
        #expect(r.reasons.contains("resynchronised"))
    }

    @Test func theIdentityMapNamesAConnectionWithoutHandshake() throws {
        let c = Conversation(clientPort: 50_123)
        let first = c.send(heartbeat(1), from: .client)
        c.send(heartbeat(2), from: .client)
        var options = CaptureOptions()
        options.identityMap = try IdentityMap(csv: "endpoint,identity\n10.0.0.9,OTHER\n10.0.0.2:50123,CP-MAPPED\n")
        let r = c.decode(Array(c.packets[first...]), options: options)
        #expect(r.texts.count == 2)
        #expect(r.connections[1]?.chargePoint == "CP-MAPPED")
        #expect(r.connections[1]?.identitySource == .identityMap)
        #expect(throws: IdentityMap.ParseError.self) { _ = try IdentityMap(csv: "no comma here") }
    }

    @Test func compressedMidStreamDecodesOnlyWhatStandsAlone() {
        // Context takeover from the charger, none from the CSMS.
        let c = Conversation(deflate: Synth.DeflateParameters(serverNoContextTakeover: true))
        for n in 1...3 { c.send(heartbeat(n), from: .client) }
        let cut = c.packets.count
        for n in 4...6 {
            c.send(heartbeat(n), from: .client)
            c.send(#"[3,"hb-\#(n)",{"currentTime":"2026-03-02T00:00:00Z"}]"#, from: .server)
        }
        let r = c.decode(Array(c.packets[cut...]))
        // The CSMS's messages stand alone; the charger's refer back to unseen history.
        #expect(r.texts == (4...6).map { #"[3,"hb-\#($0)",{"currentTime":"2026-03-02T00:00:00Z"}]"# })
        #expect(r.reasons.filter { $0 == "missing-history" }.count == 3)
        #expect(r.issues.allSatisfy { $0.layer == .deflate || $0.reason == "resynchronised" })
    }
}

@Suite("Limits under attack")
struct CaptureLimitTests {
    @Test func aFloodOfConnectionsStaysWithinTheTableLimit() {
        var options = CaptureOptions()
        options.maxConnections = 1000
        let sink = FrameCollector()
        let d = CaptureDecoder(sink: sink, options: options)
        // 20,000 half-open connections (a SYN each), then one real conversation.
        for i in 0..<20_000 {
            let flow = TCPFlow(client: Synth.Endpoint(ip: .v4(10, 1, UInt8(i >> 8 & 0xFF), UInt8(i & 0xFF)), port: 40_000),
                               server: Synth.Endpoint(ip: .v4(10, 0, 0, 1), port: 9000))
            let syn = flow.segment(from: .client, flags: .syn, at: Int64(i) * 1000)
            syn.data.withUnsafeBytes { d.process($0, wireLength: syn.originalLength, time: Timestamp(microseconds: syn.timestamp), number: Int64(i + 1), linkType: .ethernet) }
        }
        #expect(d.stats.evictedConnections >= 19_000)
        let c = Conversation()
        c.send(heartbeat(1), from: .client)
        for (i, p) in c.packets.enumerated() {
            p.data.withUnsafeBytes { d.process($0, wireLength: p.originalLength, time: Timestamp(microseconds: p.timestamp), number: Int64(30_000 + i), linkType: .ethernet) }
        }
        d.finish()
        #expect(sink.texts == [heartbeat(1)])
    }

    @Test func aMessageThatNeverEndsIsCappedAndReported() {
        var options = CaptureOptions()
        options.maxMessageBytes = 10_000
        let c = Conversation(mss: 1000)
        // A fragmented text message whose final frame never comes.
        var bytes: [UInt8] = []
        for _ in 0..<50 { bytes += WebSocketEncoder.frame(opcode: .continuation, payload: Array(repeating: 0x20, count: 900), fin: false, maskKey: [1, 2, 3, 4]) }
        bytes = WebSocketEncoder.frame(opcode: .text, payload: Array("[".utf8), fin: false, maskKey: [1, 2, 3, 4]) + bytes
        c.packets += c.flow.send(bytes, from: .client, at: c.time + 1000)
        c.time += 2000
        c.send(heartbeat(2), from: .client)
        let r = c.decode(options: options)
        #expect(r.reasons.contains("frame-too-large"))
        #expect(r.texts.last == heartbeat(2))
    }
}
