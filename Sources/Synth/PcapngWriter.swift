// pcapng writer: one Section Header Block, one Interface Description Block,
// then one Enhanced Packet Block per packet.
//
// pcapng is what Wireshark and `tcpdump --pcapng`/dumpcap write today; a
// decoder must read both formats. Blocks are little-endian. The interface
// announces its timestamp resolution with `if_tsresol`: 6 (µs, the default
// and also what readers assume when the option is absent) or 9 (ns), so a
// decoder that ignores the option breaks on the nanosecond variant.
// See https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html

public final class PcapngWriter: CaptureWriter {
    public enum Resolution: UInt8, Sendable { case microseconds = 6, nanoseconds = 9 }

    public let linkType: UInt32
    public let snaplen: UInt32
    public let resolution: Resolution
    private let output: ByteOutput
    public private(set) var packetsWritten = 0
    private let start: Int64
    public var bytesWritten: Int64 { output.bytesWritten - start }

    public init(output: ByteOutput, linkType: UInt32, snaplen: UInt32 = 262_144,
                resolution: Resolution = .microseconds, application: String = "ocppscope Synth") throws {
        self.output = output
        self.linkType = linkType
        self.snaplen = snaplen
        self.resolution = resolution
        self.start = output.bytesWritten
        var shb: [UInt8] = []
        shb.appendLE32(0x1A2B_3C4D)         // byte-order magic
        shb.appendLE16(1); shb.appendLE16(0) // version 1.0
        shb.appendLE64(UInt64.max)           // section length unknown
        PcapngWriter.appendOption(&shb, code: 4, value: Array(application.utf8)) // shb_userappl
        shb.appendLE32(0)                    // opt_endofopt
        try writeBlock(type: 0x0A0D_0D0A, body: shb)

        var idb: [UInt8] = []
        idb.appendLE16(UInt16(truncatingIfNeeded: linkType)); idb.appendLE16(0)
        idb.appendLE32(snaplen)
        PcapngWriter.appendOption(&idb, code: 2, value: Array("synth0".utf8))  // if_name
        PcapngWriter.appendOption(&idb, code: 9, value: [resolution.rawValue]) // if_tsresol
        idb.appendLE32(0)
        try writeBlock(type: 1, body: idb)
    }

    static func appendOption(_ b: inout [UInt8], code: UInt16, value: [UInt8]) {
        b.appendLE16(code); b.appendLE16(UInt16(value.count))
        b.append(contentsOf: value)
        let pad = (4 - value.count % 4) % 4
        for _ in 0..<pad { b.append(0) }
    }

    private func writeBlock(type: UInt32, body: [UInt8]) throws {
        let total = UInt32(12 + body.count)
        try output.append { b in b.appendLE32(type); b.appendLE32(total) }
        try output.write(body)
        try output.append { b in b.appendLE32(total) }
    }

    public func write(_ packet: Packet) throws {
        let caplen = min(packet.data.count, Int(snaplen))
        let pad = (4 - caplen % 4) % 4
        let total = UInt32(32 + caplen + pad)
        let ts = UInt64(packet.timestamp) &* (resolution == .nanoseconds ? 1000 : 1)
        try output.append { b in
            b.appendLE32(6); b.appendLE32(total)
            b.appendLE32(0)                                   // interface id
            b.appendLE32(UInt32(truncatingIfNeeded: ts >> 32))
            b.appendLE32(UInt32(truncatingIfNeeded: ts))
            b.appendLE32(UInt32(caplen))
            b.appendLE32(UInt32(max(packet.originalLength, packet.data.count)))
        }
        if caplen == packet.data.count { try output.write(packet.data) } else { try output.write(packet.data[0..<caplen]) }
        try output.append { b in
            for _ in 0..<pad { b.append(0) }
            b.appendLE32(total)
        }
        packetsWritten += 1
    }

    public func close() throws { try output.close() }
}
