// Link-layer headers: the first bytes of every captured packet.
//
// A capture's link type depends on where and how it was taken, and a decoder
// that only knows Ethernet fails on `tcpdump -i any` (Linux cooked capture),
// on tunnels (raw IP) and on macOS loopback. Synth writes each of them so the
// decoder's link parsing is exercised by real byte layouts:
//
// - Ethernet II (LINKTYPE 1), optionally with one 802.1Q tag (TPID 0x8100)
//   or two stacked tags (outer 802.1ad TPID 0x88A8, inner 0x8100);
// - Linux cooked v1 (LINKTYPE 113, 16-byte header) and v2 (276, 20 bytes);
// - raw IP (LINKTYPE 101, no link header; version nibble tells v4 from v6);
// - BSD loopback / null (LINKTYPE 0): a 4-byte address family in the
//   *capturing host's* byte order — little-endian here, AF_INET = 2 and an
//   AF_INET6 value that differs by OS (24 NetBSD/OpenBSD, 28 FreeBSD,
//   30 macOS).
//
// The capture point is assumed to be on the CSMS host: packets the server
// sends are "outgoing" in the cooked headers, the others "to us".

public enum LinkLayer: Sendable, Equatable {
    case ethernet(vlans: [UInt16])
    case linuxSLL
    case linuxSLL2(interfaceIndex: UInt32)
    case rawIP
    case bsdLoopback(inet6Family: UInt32)

    public static let ethernet = LinkLayer.ethernet(vlans: [])
    public static let linuxSLL2 = LinkLayer.linuxSLL2(interfaceIndex: 2)
    public static let bsdLoopback = LinkLayer.bsdLoopback(inet6Family: 30)

    /// LINKTYPE_* number for file headers.
    public var linkType: UInt32 {
        switch self {
        case .ethernet: return 1
        case .linuxSLL: return 113
        case .linuxSLL2: return 276
        case .rawIP: return 101
        case .bsdLoopback: return 0
        }
    }

    public var name: String {
        switch self {
        case .ethernet(let vlans): return vlans.isEmpty ? "ethernet" : "ethernet+vlan\(vlans.map(String.init).joined(separator: "+"))"
        case .linuxSLL: return "linux-sll"
        case .linuxSLL2: return "linux-sll2"
        case .rawIP: return "raw-ip"
        case .bsdLoopback: return "bsd-loopback"
        }
    }

    /// Length of the header this layer puts before the IP packet.
    public var headerLength: Int {
        switch self {
        case .ethernet(let vlans): return 14 + 4 * vlans.count
        case .linuxSLL: return 16
        case .linuxSLL2: return 20
        case .rawIP: return 0
        case .bsdLoopback: return 4
        }
    }

    /// Appends the link header for an IP packet from `src` to `dst`.
    /// `outgoing` is true for packets sent by the capturing host (the server).
    func appendHeader(into b: inout [UInt8], ipv6: Bool, src: Endpoint, dst: Endpoint, outgoing: Bool) {
        let etherType: UInt16 = ipv6 ? 0x86DD : 0x0800
        switch self {
        case .ethernet(let vlans):
            b.append(contentsOf: dst.mac); b.append(contentsOf: src.mac)
            for (i, vid) in vlans.enumerated() {
                b.appendBE16(vlans.count == 2 && i == 0 ? 0x88A8 : 0x8100)
                b.appendBE16(vid & 0x0fff)
            }
            b.appendBE16(etherType)
        case .linuxSLL:
            b.appendBE16(outgoing ? 4 : 0)  // packet type: 4 = outgoing, 0 = to us
            b.appendBE16(1)                   // ARPHRD_ETHER
            b.appendBE16(6)                   // address length
            b.append(contentsOf: src.mac); b.append(0); b.append(0)
            b.appendBE16(etherType)
        case .linuxSLL2(let ifindex):
            b.appendBE16(etherType)
            b.appendBE16(0)                   // reserved
            b.appendBE32(ifindex)
            b.appendBE16(1)                   // ARPHRD_ETHER
            b.append(outgoing ? 4 : 0)
            b.append(6)
            b.append(contentsOf: src.mac); b.append(0); b.append(0)
        case .rawIP:
            break
        case .bsdLoopback(let inet6):
            b.appendLE32(ipv6 ? inet6 : 2)
        }
    }
}
