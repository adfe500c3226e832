// IPv4/IPv6 + TCP packet assembly with correct checksums.
//
// Decoders that verify checksums (and tshark with checksum checks on) must
// accept every packet Synth writes, so both the IPv4 header checksum and the
// TCP checksum over the pseudo-header are computed for real.

public struct TCPFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
}

/// Builds complete link-layer frames carrying one TCP segment.
public enum SegmentEncoder {
    /// Encodes one TCP segment from `src` to `dst` over `link`.
    /// `options` must be a multiple of 4 bytes long.
    public static func encode(link: LinkLayer, src: Endpoint, dst: Endpoint, outgoing: Bool,
                              ipID: UInt16, seq: UInt32, ack: UInt32, flags: TCPFlags, window: UInt16,
                              options: [UInt8] = [], payload: ArraySlice<UInt8>) -> [UInt8] {
        let v6 = src.ip.isV6
        let tcpLen = 20 + options.count + payload.count
        let ipHeaderLen = v6 ? 40 : 20
        var b = [UInt8]()
        b.reserveCapacity(link.headerLength + ipHeaderLen + tcpLen)
        link.appendHeader(into: &b, ipv6: v6, src: src, dst: dst, outgoing: outgoing)
        let ipStart = b.count
        if v6 {
            b.appendBE32(0x6000_0000)              // version 6, class 0, flow 0
            b.appendBE16(UInt16(tcpLen))           // payload length
            b.append(6)                            // next header: TCP
            b.append(64)                           // hop limit
            b.append(contentsOf: src.ip.bytes); b.append(contentsOf: dst.ip.bytes)
        } else {
            b.append(0x45); b.append(0)
            b.appendBE16(UInt16(20 + tcpLen))
            b.appendBE16(ipID)
            b.appendBE16(0x4000)                   // DF
            b.append(64); b.append(6)
            b.appendBE16(0)                        // checksum placeholder
            b.append(contentsOf: src.ip.bytes); b.append(contentsOf: dst.ip.bytes)
            b.setBE16(InternetChecksum.finish(InternetChecksum.partialSum(b, ipStart..<(ipStart + 20))), at: ipStart + 10)
        }
        let tcpStart = b.count
        b.appendBE16(src.port); b.appendBE16(dst.port)
        b.appendBE32(seq); b.appendBE32(ack)
        b.append(UInt8((20 + options.count) / 4) << 4)
        b.append(flags.rawValue)
        b.appendBE16(window)
        b.appendBE16(0)                            // checksum placeholder
        b.appendBE16(0)                            // urgent pointer
        b.append(contentsOf: options)
        b.append(contentsOf: payload)
        // Pseudo-header: addresses, zero+protocol, TCP length (RFC 793 / RFC 8200 §8.1).
        var sum: UInt64 = 6 + UInt64(tcpLen)
        let addrStart = v6 ? ipStart + 8 : ipStart + 12
        let addrLen = v6 ? 32 : 8
        sum = InternetChecksum.partialSum(b, addrStart..<(addrStart + addrLen), initial: sum)
        sum = InternetChecksum.partialSum(b, tcpStart..<b.count, initial: sum)
        b.setBE16(InternetChecksum.finish(sum), at: tcpStart + 16)
        return b
    }
}
