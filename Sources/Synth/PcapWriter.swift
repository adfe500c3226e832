// Classic libpcap file format writer.
//
// The classic format is still what most tools write by default: a 24-byte
// global header (magic a1b2c3d4 = microsecond timestamps, written here in
// little-endian byte order, so the bytes on disk are d4 c3 b2 a1) followed by
// records of a 16-byte header and the captured bytes.
// See https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-01.html

public final class PcapWriter: CaptureWriter {
    public let linkType: UInt32
    /// Packets longer than this are truncated (caplen < len), as a capture
    /// with a small `-s` would be. The header announces the same value.
    public let snaplen: UInt32
    private let output: ByteOutput
    public private(set) var packetsWritten = 0
    private let start: Int64
    public var bytesWritten: Int64 { output.bytesWritten - start }

    public init(output: ByteOutput, linkType: UInt32, snaplen: UInt32 = 262_144) throws {
        self.output = output
        self.linkType = linkType
        self.snaplen = snaplen
        self.start = output.bytesWritten
        try output.append { b in
            b.appendLE32(0xa1b2_c3d4)   // magic: microsecond resolution
            b.appendLE16(2); b.appendLE16(4)  // version 2.4
            b.appendLE32(0)             // thiszone
            b.appendLE32(0)             // sigfigs
            b.appendLE32(snaplen)
            b.appendLE32(linkType)
        }
    }

    public func write(_ packet: Packet) throws {
        let caplen = min(packet.data.count, Int(snaplen))
        let seconds = packet.timestamp / 1_000_000
        let micros = packet.timestamp - seconds * 1_000_000
        try output.append { b in
            b.appendLE32(UInt32(truncatingIfNeeded: seconds))
            b.appendLE32(UInt32(truncatingIfNeeded: micros))
            b.appendLE32(UInt32(caplen))
            b.appendLE32(UInt32(max(packet.originalLength, packet.data.count)))
        }
        if caplen == packet.data.count { try output.write(packet.data) } else { try output.write(packet.data[0..<caplen]) }
        packetsWritten += 1
    }

    public func close() throws { try output.close() }
}
