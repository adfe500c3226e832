// Helpers for reading bytes back in tests — written independently of Synth's
// own encoders on purpose.

func le16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
func le32(_ b: [UInt8], _ o: Int) -> UInt32 { UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24 }
func be16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) << 8 | Int(b[o + 1]) }
func be32(_ b: [UInt8], _ o: Int) -> UInt32 { UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3]) }

/// Straightforward RFC 1071 checksum over a list of byte arrays, each padded
/// to even length (only the last may be odd in practice).
func onesComplementSum(_ parts: [[UInt8]]) -> UInt16 {
    var sum: UInt32 = 0
    for part in parts {
        var p = part
        if p.count % 2 == 1 { p.append(0) }
        for i in stride(from: 0, to: p.count, by: 2) {
            sum += UInt32(p[i]) << 8 + UInt32(p[i + 1])
            sum = (sum & 0xffff) + (sum >> 16)
        }
    }
    return UInt16(sum & 0xffff)
}

func hex(_ b: [UInt8]) -> String { b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }

/// Parses a classic pcap file into (ts µs, caplen, len, data) records.
func parsePcap(_ f: [UInt8]) -> (linkType: UInt32, snaplen: UInt32, records: [(ts: Int64, caplen: Int, len: Int, data: [UInt8])]) {
    var out: [(Int64, Int, Int, [UInt8])] = []
    var o = 24
    while o + 16 <= f.count {
        let ts = Int64(le32(f, o)) * 1_000_000 + Int64(le32(f, o + 4))
        let cap = Int(le32(f, o + 8)), len = Int(le32(f, o + 12))
        out.append((ts, cap, len, Array(f[(o + 16)..<(o + 16 + cap)])))
        o += 16 + cap
    }
    return (le32(f, 20), le32(f, 16), out)
}
