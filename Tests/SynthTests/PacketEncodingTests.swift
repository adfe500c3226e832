import Testing
@testable import Synth

@Suite struct PacketEncodingTests {
    let c4 = Endpoint(ip: .v4(10, 21, 0, 2), port: 50000)
    let s4 = Endpoint(ip: .v4(10, 20, 0, 10), port: 9000)
    let c6 = Endpoint(ip: .v6([0xfd00, 0x21, 0, 0, 0, 0, 0, 0xe]), port: 50001)
    let s6 = Endpoint(ip: .v6([0xfd00, 0x20, 0, 0, 0, 0, 0, 0x10]), port: 8180)

    /// IPv4 header checksum and TCP checksum recomputed here from the bytes.
    @Test(arguments: [0, 1, 2, 1447, 1448])
    func ipv4AndTCPChecksums(payloadSize: Int) {
        let payload = (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let frame = SegmentEncoder.encode(link: .ethernet, src: c4, dst: s4, outgoing: false, ipID: 0x1234,
                                          seq: 0xdeadbeef, ack: 0x01020304, flags: [.ack, .psh], window: 501,
                                          payload: payload[...])
        #expect(be16(frame, 12) == 0x0800)
        let ip = Array(frame[14...])
        #expect(ip[0] == 0x45 && be16(ip, 2) == 20 + 20 + payloadSize && ip[9] == 6)
        #expect(be16(ip, 4) == 0x1234 && be16(ip, 6) == 0x4000 && ip[8] == 64)
        #expect(onesComplementSum([Array(ip[0..<20])]) == 0xffff)   // header incl. checksum sums to all ones
        let tcp = Array(ip[20...])
        #expect(be16(tcp, 0) == 50000 && be16(tcp, 2) == 9000)
        #expect(be32(tcp, 4) == 0xdeadbeef && be32(tcp, 8) == 0x01020304)
        #expect(tcp[12] >> 4 == 5 && tcp[13] == 0x18 && be16(tcp, 14) == 501)
        #expect(Array(tcp[20...]) == payload)
        let pseudo: [UInt8] = Array(ip[12..<20]) + [0, 6, UInt8(tcp.count >> 8), UInt8(tcp.count & 0xff)]
        #expect(onesComplementSum([pseudo, tcp]) == 0xffff)
    }

    @Test func ipv6TCPChecksum() {
        let payload: [UInt8] = Array("hello, ocpp".utf8)
        let frame = SegmentEncoder.encode(link: .rawIP, src: c6, dst: s6, outgoing: false, ipID: 0, seq: 1, ack: 2,
                                          flags: .ack, window: 1000, payload: payload[...])
        #expect(frame[0] >> 4 == 6 && be16(frame, 4) == 20 + payload.count && frame[6] == 6)
        let tcp = Array(frame[40...])
        let len = tcp.count
        let pseudo: [UInt8] = Array(frame[8..<40]) + [0, 0, UInt8(len >> 8), UInt8(len & 0xff), 0, 0, 0, 6]
        #expect(onesComplementSum([pseudo, tcp]) == 0xffff)
    }

    @Test func linkHeaders() {
        func first(_ link: LinkLayer, src: Endpoint, dst: Endpoint, outgoing: Bool) -> [UInt8] {
            SegmentEncoder.encode(link: link, src: src, dst: dst, outgoing: outgoing, ipID: 1, seq: 0, ack: 0,
                                  flags: .syn, window: 0, payload: [])
        }
        let vlan = first(.ethernet(vlans: [100]), src: c4, dst: s4, outgoing: false)
        #expect(be16(vlan, 12) == 0x8100 && be16(vlan, 14) == 100 && be16(vlan, 16) == 0x0800 && vlan[18] == 0x45)
        let qinq = first(.ethernet(vlans: [200, 100]), src: c6, dst: s6, outgoing: false)
        #expect(be16(qinq, 12) == 0x88A8 && be16(qinq, 14) == 200 && be16(qinq, 16) == 0x8100 && be16(qinq, 18) == 100)
        #expect(be16(qinq, 20) == 0x86DD && qinq[22] >> 4 == 6)
        let sll = first(.linuxSLL, src: s4, dst: c4, outgoing: true)
        #expect(be16(sll, 0) == 4 && be16(sll, 2) == 1 && be16(sll, 4) == 6 && Array(sll[6..<12]) == s4.mac)
        #expect(be16(sll, 14) == 0x0800 && sll[16] == 0x45)
        let sll2 = first(.linuxSLL2, src: c4, dst: s4, outgoing: false)
        #expect(be16(sll2, 0) == 0x0800 && be32(sll2, 4) == 2 && be16(sll2, 8) == 1 && sll2[10] == 0 && sll2[11] == 6)
        #expect(sll2[20] == 0x45)
        let lo4 = first(.bsdLoopback, src: c4, dst: s4, outgoing: false)
        #expect(le32(lo4, 0) == 2 && lo4[4] == 0x45)
        let lo6 = first(.bsdLoopback(inet6Family: 24), src: c6, dst: s6, outgoing: false)
        #expect(le32(lo6, 0) == 24 && lo6[4] >> 4 == 6)
        #expect(LinkLayer.linuxSLL.linkType == 113 && LinkLayer.linuxSLL2.linkType == 276)
        #expect(LinkLayer.rawIP.linkType == 101 && LinkLayer.bsdLoopback.linkType == 0 && LinkLayer.ethernet.linkType == 1)
    }

    @Test func flowSequenceNumbersAndSegmentation() {
        let flow = TCPFlow(client: c4, server: s4, link: .rawIP, mss: 100, rtt: 10_000, clientISN: 1000, serverISN: 5000)
        let hs = flow.handshake(at: 0)
        #expect(hs.count == 3)
        #expect(hs[0].data[33] == 0x02 && be32(hs[0].data, 24) == 1000)          // SYN, seq = ISN
        #expect(hs[1].data[33] == 0x12 && be32(hs[1].data, 28) == 1001)          // SYN-ACK acks ISN+1
        let data = flow.send([UInt8](repeating: 65, count: 250), from: .client, at: 100_000)
        let fromClient = data.filter { be16($0.data, 20) == 50000 && $0.data.count > 40 }
        #expect(fromClient.map { $0.data.count - 40 } == [100, 100, 50])
        #expect(fromClient.map { be32($0.data, 24) } == [1001, 1101, 1201])
        #expect(fromClient.last!.data[33] & 0x08 != 0)                             // PSH on last
        let serverAcks = data.filter { be16($0.data, 20) == 9000 }
        #expect(serverAcks.last.map { be32($0.data, 28) } == 1251)
        #expect(data.map(\.timestamp) == data.map(\.timestamp).sorted())
        let close = flow.close(from: .server, at: 200_000)
        #expect(close.map { $0.data[33] } == [0x11, 0x11, 0x10])
        #expect(flow.streamOffset(.client) == 251)   // 250 bytes + FIN
    }
}
