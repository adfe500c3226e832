/// The link-layer types ocppscope reads, by their DLT value as libpcap reports it.
///
/// Why these: Ethernet (with VLAN tags) is what a switch port or tcpdump on a
/// NIC gives; Linux cooked v1/v2 is `tcpdump -i any`; raw IP comes from
/// tunnels and some cloud mirrors; BSD loopback from macOS `lo0`.
public enum LinkType: Sendable, Equatable {
    case ethernet, linuxCooked, linuxCooked2, rawIP, bsdNull, bsdLoop, ipv4Only, ipv6Only
    case unsupported(Int32)

    public init(dlt: Int32) {
        switch dlt {
        case 1: self = .ethernet
        case 113: self = .linuxCooked
        case 276: self = .linuxCooked2
        case 12, 14, 101: self = .rawIP
        case 0: self = .bsdNull
        case 108: self = .bsdLoop
        case 228: self = .ipv4Only
        case 229: self = .ipv6Only
        default: self = .unsupported(dlt)
        }
    }

    public var name: String {
        switch self {
        case .ethernet: return "Ethernet"
        case .linuxCooked: return "Linux cooked capture v1"
        case .linuxCooked2: return "Linux cooked capture v2"
        case .rawIP: return "raw IP"
        case .bsdNull: return "BSD loopback"
        case .bsdLoop: return "OpenBSD loopback"
        case .ipv4Only: return "raw IPv4"
        case .ipv6Only: return "raw IPv6"
        case .unsupported(let v): return "link type \(v)"
        }
    }
}

/// The network protocol a link-layer frame carries.
enum NetworkProtocol { case ipv4, ipv6, other(UInt32) }

/// Finds where the IP packet starts in a link-layer frame.
enum LinkLayer {
    /// Returns the network protocol and the offset of its header, or nil when
    /// the frame is too short for its own link header.
    static func network(_ p: UnsafeRawBufferPointer, linkType: LinkType) -> (NetworkProtocol, Int)? {
        switch linkType {
        case .ethernet:
            guard p.count >= 14 else { return nil }
            var off = 12
            var type = be16(p, off)
            // 802.1Q, 802.1ad and the older QinQ tag: 4 bytes each, possibly stacked.
            while type == 0x8100 || type == 0x88A8 || type == 0x9100 {
                off += 4
                guard p.count >= off + 2 else { return nil }
                type = be16(p, off)
            }
            return (ethertype(type), off + 2)
        case .linuxCooked:
            guard p.count >= 16 else { return nil }
            return (ethertype(be16(p, 14)), 16)
        case .linuxCooked2:
            guard p.count >= 20 else { return nil }
            return (ethertype(be16(p, 0)), 20)
        case .rawIP, .ipv4Only, .ipv6Only:
            guard p.count >= 1 else { return nil }
            switch p[0] >> 4 {
            case 4: return (.ipv4, 0)
            case 6: return (.ipv6, 0)
            default: return (.other(UInt32(p[0] >> 4)), 0)
            }
        case .bsdNull, .bsdLoop:
            guard p.count >= 4 else { return nil }
            // The family is in the byte order of the machine that wrote the
            // capture (NULL) or network order (LOOP): accept either.
            let le = UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
            let be = le.byteSwapped
            for family in [le, be] {
                if family == 2 { return (.ipv4, 4) }
                if family == 10 || family == 24 || family == 28 || family == 30 { return (.ipv6, 4) }
            }
            return (.other(le), 4)
        case .unsupported:
            return nil
        }
    }

    private static func ethertype(_ t: UInt16) -> NetworkProtocol {
        switch t {
        case 0x0800: return .ipv4
        case 0x86DD: return .ipv6
        default: return .other(UInt32(t))
        }
    }
}

@inline(__always) func be16(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt16 {
    UInt16(p[i]) << 8 | UInt16(p[i + 1])
}

@inline(__always) func be32(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
    UInt32(p[i]) << 24 | UInt32(p[i + 1]) << 16 | UInt32(p[i + 2]) << 8 | UInt32(p[i + 3])
}
