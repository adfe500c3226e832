import Testing
@testable import Synth

@Suite struct CaptureFileTests {
    @Test func pcapHeaderAndRecordsByteByByte() throws {
        let out = ByteOutput()
        let w = try PcapWriter(output: out, linkType: 1, snaplen: 40)
        let p1 = Packet(timestamp: 1_700_000_000_123_456, data: Array(0..<60))
        let p2 = Packet(timestamp: 1_700_000_001_000_001, data: [9, 8, 7])
        try w.write(p1); try w.write(p2)
        try w.close()
        let f = out.memory
        #expect(Array(f[0..<4]) == [0xd4, 0xc3, 0xb2, 0xa1])   // a1b2c3d4 little-endian: µs
        #expect(le16(f, 4) == 2 && le16(f, 6) == 4)
        #expect(le32(f, 8) == 0 && le32(f, 12) == 0)
        #expect(le32(f, 16) == 40)                              // snaplen
        #expect(le32(f, 20) == 1)                               // LINKTYPE_ETHERNET
        // Record 1: truncated to the snaplen, original length kept.
        #expect(le32(f, 24) == 1_700_000_000 && le32(f, 28) == 123_456)
        #expect(le32(f, 32) == 40 && le32(f, 36) == 60)
        #expect(Array(f[40..<80]) == Array(0..<40))
        // Record 2.
        #expect(le32(f, 80) == 1_700_000_001 && le32(f, 84) == 1)
        #expect(le32(f, 88) == 3 && le32(f, 92) == 3)
        #expect(Array(f[96..<99]) == [9, 8, 7])
        #expect(f.count == 99)
        #expect(w.bytesWritten == 99 && w.packetsWritten == 2)
    }

    @Test(arguments: [PcapngWriter.Resolution.microseconds, .nanoseconds])
    func pcapngBlocks(resolution: PcapngWriter.Resolution) throws {
        let out = ByteOutput()
        let w = try PcapngWriter(output: out, linkType: 276, snaplen: 1000, resolution: resolution)
        let ts: Int64 = 1_741_000_000_654_321
        try w.write(Packet(timestamp: ts, data: [1, 2, 3, 4, 5]))
        try w.close()
        let f = out.memory
        // Walk the blocks: every block starts and ends with the same total length, multiple of 4.
        var o = 0
        var blocks: [(type: UInt32, body: [UInt8])] = []
        while o < f.count {
            let type = le32(f, o), len = Int(le32(f, o + 4))
            #expect(len % 4 == 0)
            #expect(Int(le32(f, o + len - 4)) == len)
            blocks.append((type, Array(f[(o + 8)..<(o + len - 4)])))
            o += len
        }
        #expect(o == f.count)
        #expect(blocks.map(\.type) == [0x0A0D0D0A, 1, 6])
        let shb = blocks[0].body
        #expect(le32(shb, 0) == 0x1A2B3C4D && le16(shb, 4) == 1 && le16(shb, 6) == 0)
        let idb = blocks[1].body
        #expect(le16(idb, 0) == 276 && le32(idb, 4) == 1000)
        // Options: find if_tsresol (code 9).
        var p = 8
        var tsresol: UInt8? = nil
        while p + 4 <= idb.count {
            let code = le16(idb, p), len = le16(idb, p + 2)
            if code == 0 { break }
            if code == 9 { tsresol = idb[p + 4] }
            p += 4 + (len + 3) / 4 * 4
        }
        #expect(tsresol == resolution.rawValue)
        let epb = blocks[2].body
        #expect(le32(epb, 0) == 0)
        let raw = UInt64(le32(epb, 4)) << 32 | UInt64(le32(epb, 8))
        #expect(raw == UInt64(ts) * (resolution == .nanoseconds ? 1000 : 1))
        #expect(le32(epb, 12) == 5 && le32(epb, 16) == 5)
        #expect(Array(epb[20..<25]) == [1, 2, 3, 4, 5])
        #expect(epb.count == 20 + 8)   // data padded to 8
    }

    @Test func fileOutputMatchesMemory() throws {
        let path = "/tmp/synth-test-\(UInt32.random(in: 0...UInt32.max)).pcap"
        let file = try ByteOutput(path: path, bufferSize: 64)
        let mem = ByteOutput()
        for out in [file, mem] {
            let w = try PcapWriter(output: out, linkType: 101)
            for i in 0..<50 { try w.write(Packet(timestamp: Int64(i) * 1000, data: [UInt8](repeating: UInt8(i), count: i))) }
            try w.close()
        }
        let read = try readFile(path)
        #expect(read == mem.memory)
    }
}

import Foundation
func readFile(_ path: String) throws -> [UInt8] {
    defer { try? FileManager.default.removeItem(atPath: path) }
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}
