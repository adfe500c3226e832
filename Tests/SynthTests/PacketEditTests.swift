import Testing
@testable import Synth

@Suite struct PacketEditTests {
    func sample() -> [Packet] { (0..<5).map { Packet(timestamp: Int64($0) * 100, data: [UInt8($0), 0xaa, 0xbb]) } }

    @Test func swapKeepsTimeOrder() {
        let s = PacketEdits.swapped(sample(), 1, 3)
        #expect(s.map { $0.data[0] } == [0, 3, 2, 1, 4])
        #expect(s.map(\.timestamp) == [0, 100, 200, 300, 400])
        let raw = PacketEdits.swapped(sample(), 1, 3, keepTimestamps: false)
        #expect(raw.map(\.timestamp) == [0, 300, 200, 100, 400])
    }

    @Test func duplicateDropTruncateMove() {
        let d = PacketEdits.duplicated(sample(), 1, at: 3, delay: 5)
        #expect(d.map { $0.data[0] } == [0, 1, 2, 1, 3, 4])
        #expect(d[3].timestamp == 205 && d[3].data == d[1].data)
        let dr = PacketEdits.dropped(sample(), [0, 2])
        #expect(dr.map { $0.data[0] } == [1, 3, 4])
        #expect(PacketEdits.dropped(sample(), before: 250).map { $0.data[0] } == [3, 4])
        let t = PacketEdits.truncated(sample(), 2, to: 1)
        #expect(t[2].data == [2] && t[2].originalLength == 3 && t[1].data.count == 3)
        let all = PacketEdits.truncated(sample(), snaplen: 2)
        #expect(all.allSatisfy { $0.data.count == 2 && $0.originalLength == 3 })
        let m = PacketEdits.moved(sample(), from: 0, to: 2)
        #expect(m.map { $0.data[0] } == [1, 2, 0, 3, 4] && m[2].timestamp == 200)
        #expect(PacketEdits.sortedByTime(PacketEdits.swapped(sample(), 0, 4, keepTimestamps: false)).map(\.timestamp) == [0, 100, 200, 300, 400])
    }

    @Test func truncatedPacketWrittenWithOriginalLength() throws {
        let out = ByteOutput()
        let w = try PcapWriter(output: out, linkType: 1)
        try w.write(PacketEdits.truncated(sample(), 0, to: 1)[0])
        try w.close()
        let rec = parsePcap(out.memory).records[0]
        #expect(rec.caplen == 1 && rec.len == 3)
    }

    @Test func retransmissionWithDifferentSplitOverlaps() {
        let c = Endpoint(ip: .v4(10, 0, 0, 2), port: 40000), s = Endpoint(ip: .v4(10, 0, 0, 1), port: 9000)
        let flow = TCPFlow(client: c, server: s, link: .rawIP, mss: 10, clientISN: 100, serverISN: 900, recordStreams: true)
        _ = flow.handshake(at: 0)
        let bytes = Array("0123456789abcdefghijklmnopqrst".utf8)
        _ = flow.send(bytes, from: .client, at: 1000)
        let re = flow.retransmit(from: .client, range: 5..<25, segmentSize: 7, at: 5000)
        #expect(re.map { be32($0.data, 24) } == [106, 113, 120])       // ISN+1+offset
        #expect(re.map { Array($0.data[40...]) } == [Array(bytes[5..<12]), Array(bytes[12..<19]), Array(bytes[19..<25])])
        #expect(flow.streamOffset(.client) == 30)                        // retransmission does not advance
    }
}
