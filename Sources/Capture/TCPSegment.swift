/// A TCP segment found in a link-layer frame: endpoints, sequence numbers,
/// flags and the payload bytes that were captured.
struct TCPSegment {
    var source: Endpoint
    var destination: Endpoint
    var seq: UInt32
    var ack: UInt32
    var flags: UInt8
    /// Captured payload (may be shorter than `claimedLength` under a snap length).
    var payload: UnsafeRawBufferPointer
    /// Payload length according to the IP header.
    var claimedLength: Int

    var syn: Bool { flags & 0x02 != 0 }
    var fin: Bool { flags & 0x01 != 0 }
    var rst: Bool { flags & 0x04 != 0 }
    var hasAck: Bool { flags & 0x10 != 0 }
}

/// Why a frame yielded no TCP segment.
enum PacketSkip {
    /// Not TCP (UDP, ARP, ICMP, …): counted, not an issue.
    case notTCP
    /// Damaged or unsupported: a decode issue of this layer with this reason.
    case issue(IssueLayerName, String, String)
}

enum IssueLayerName { case link, ip, tcp }

/// Parses IPv4/IPv6 and TCP headers without copying.
enum PacketParser {
    static func tcp(_ frame: UnsafeRawBufferPointer, linkType: LinkType) -> Result<TCPSegment, PacketSkipError> {
        guard let (proto, off) = LinkLayer.network(frame, linkType: linkType) else {
            return .failure(.init(.issue(.link, "short-frame", "frame of \(frame.count) bytes is shorter than its \(linkType.name) header")))
        }
        let ip = UnsafeRawBufferPointer(rebasing: frame[off...])
        switch proto {
        case .ipv4: return ipv4(ip)
        case .ipv6: return ipv6(ip)
        case .other: return .failure(.init(.notTCP))
        }
    }

    private static func ipv4(_ p: UnsafeRawBufferPointer) -> Result<TCPSegment, PacketSkipError> {
        guard p.count >= 20, p[0] >> 4 == 4 else {
            return .failure(.init(.issue(.ip, "short-header", "IPv4 header cut short (\(p.count) bytes)")))
        }
        let ihl = Int(p[0] & 0x0F) * 4
        guard ihl >= 20, p.count >= ihl else {
            return .failure(.init(.issue(.ip, "bad-header", "IPv4 header length \(ihl) invalid or cut short")))
        }
        guard p[9] == 6 else { return .failure(.init(.notTCP)) }
        var total = Int(be16(p, 2))
        // A total length of 0 is what segmentation offload leaves in captures
        // taken on the sending host: the frame length is then the truth.
        if total == 0 { total = p.count }
        guard total >= ihl else {
            return .failure(.init(.issue(.ip, "bad-length", "IPv4 total length \(total) below header length \(ihl)")))
        }
        let fragment = be16(p, 6)
        if fragment & 0x3FFF != 0 {
            return .failure(.init(.issue(.ip, "fragment", "IPv4 fragment (offset \(Int(fragment & 0x1FFF) * 8)); IP reassembly is not done, the TCP bytes in it are lost")))
        }
        let src = IPAddress(v4: p, at: 12)
        let dst = IPAddress(v4: p, at: 16)
        // Ethernet pads short frames: the IP length, not the frame, bounds the packet.
        let end = min(total, p.count)
        return tcpHeader(UnsafeRawBufferPointer(rebasing: p[ihl..<end]), claimed: total - ihl, src: src, dst: dst)
    }

    private static func ipv6(_ p: UnsafeRawBufferPointer) -> Result<TCPSegment, PacketSkipError> {
        guard p.count >= 40, p[0] >> 4 == 6 else {
            return .failure(.init(.issue(.ip, "short-header", "IPv6 header cut short (\(p.count) bytes)")))
        }
        var payloadLength = Int(be16(p, 4))
        if payloadLength == 0 { payloadLength = p.count - 40 } // jumbogram or offload
        var next = p[6]
        var off = 40
        let claimedEnd = 40 + payloadLength
        // Walk the extension headers that may precede TCP.
        while true {
            switch next {
            case 6:
                let src = IPAddress(v6: p, at: 8)
                let dst = IPAddress(v6: p, at: 24)
                let end = min(claimedEnd, p.count)
                guard off <= end else {
                    return .failure(.init(.issue(.ip, "short-header", "IPv6 extension headers cut short")))
                }
                return tcpHeader(UnsafeRawBufferPointer(rebasing: p[off..<end]), claimed: claimedEnd - off, src: src, dst: dst)
            case 0, 43, 60:
                guard p.count >= off + 2 else {
                    return .failure(.init(.issue(.ip, "short-header", "IPv6 extension header cut short")))
                }
                next = p[off]
                off += (Int(p[off + 1]) + 1) * 8
            case 44:
                return .failure(.init(.issue(.ip, "fragment", "IPv6 fragment; IP reassembly is not done, the TCP bytes in it are lost")))
            default:
                return .failure(.init(.notTCP))
            }
        }
    }

    private static func tcpHeader(_ p: UnsafeRawBufferPointer, claimed: Int, src: IPAddress, dst: IPAddress) -> Result<TCPSegment, PacketSkipError> {
        guard p.count >= 20 else {
            return .failure(.init(.issue(.tcp, "short-header", "TCP header cut short (\(p.count) bytes captured)")))
        }
        let dataOffset = Int(p[12] >> 4) * 4
        guard dataOffset >= 20 else {
            return .failure(.init(.issue(.tcp, "bad-header", "TCP data offset \(dataOffset) below 20")))
        }
        guard p.count >= dataOffset else {
            return .failure(.init(.issue(.tcp, "short-header", "TCP options cut short (\(p.count) of \(dataOffset) bytes captured)")))
        }
        let payload = UnsafeRawBufferPointer(rebasing: p[dataOffset...])
        return .success(TCPSegment(
            source: Endpoint(address: src, port: be16(p, 0)),
            destination: Endpoint(address: dst, port: be16(p, 2)),
            seq: be32(p, 4), ack: be32(p, 8), flags: p[13],
            payload: payload, claimedLength: max(payload.count, claimed - dataOffset)))
    }
}

struct PacketSkipError: Error {
    var skip: PacketSkip
    init(_ s: PacketSkip) { skip = s }
}
