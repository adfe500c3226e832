// IP addresses and TCP endpoints of simulated hosts.

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]
    public var isV6: Bool { bytes.count == 16 }

    public static func v4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> IPAddress { IPAddress(bytes: [a, b, c, d]) }

    /// IPv6 from eight 16-bit groups.
    public static func v6(_ groups: [UInt16]) -> IPAddress {
        precondition(groups.count == 8)
        var b: [UInt8] = []
        for g in groups { b.appendBE16(g) }
        return IPAddress(bytes: b)
    }

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 4 || bytes.count == 16)
        self.bytes = bytes
    }

    /// Dotted quad, or RFC 5952 text (longest zero run compressed).
    public var description: String {
        if !isV6 { return bytes.map { String($0) }.joined(separator: ".") }
        var groups: [UInt16] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else { i += 1 }
        }
        func hex(_ g: UInt16) -> String { String(g, radix: 16) }
        if bestStart < 0 { return groups.map(hex).joined(separator: ":") }
        let head = groups[0..<bestStart].map(hex).joined(separator: ":")
        let tail = groups[(bestStart + bestLen)...].map(hex).joined(separator: ":")
        return head + "::" + tail
    }
}

/// One side of a TCP connection.
public struct Endpoint: Sendable, Hashable {
    public var ip: IPAddress
    public var port: UInt16
    /// MAC address used by Ethernet and Linux cooked headers.
    public var mac: [UInt8]

    /// The MAC defaults to a locally administered address derived from the IP,
    /// so that every host has a stable, distinct one.
    public init(ip: IPAddress, port: UInt16, mac: [UInt8]? = nil) {
        self.ip = ip
        self.port = port
        if let mac { self.mac = mac } else {
            let tail = ip.bytes.suffix(4)
            self.mac = [0x02, 0x00] + tail
        }
    }
}
