// The interface shared by the pcap and pcapng writers.

/// Something packets can be written to, in time order.
public protocol CaptureWriter: AnyObject {
    /// Link type number written in the file header (LINKTYPE_*).
    var linkType: UInt32 { get }
    /// Bytes of capture file produced so far (headers included).
    var bytesWritten: Int64 { get }
    /// Packets written so far.
    var packetsWritten: Int { get }
    func write(_ packet: Packet) throws
    func close() throws
}

/// Capture file formats Synth writes.
public enum CaptureFormat: String, Sendable, CaseIterable {
    case pcap, pcapng

    public var fileExtension: String { rawValue }

    /// Opens a writer of this format on `output`.
    public func writer(output: ByteOutput, linkType: UInt32, snaplen: UInt32 = 262_144) throws -> CaptureWriter {
        switch self {
        case .pcap: return try PcapWriter(output: output, linkType: linkType, snaplen: snaplen)
        case .pcapng: return try PcapngWriter(output: output, linkType: linkType, snaplen: snaplen)
        }
    }
}
