// One captured packet, and the manipulations tests apply before writing.
//
// TCPFlow produces packets in the order and timing a capture point would see
// them on a healthy network. Decoders must also cope with reordering,
// retransmission, loss and snaplen truncation; rather than teaching the flow
// builder every pathology, tests take the healthy packet list and edit it
// with the helpers in `PacketEdits`, then write it.

/// A packet at the link layer, as it will appear in the capture file.
public struct Packet: Sendable, Equatable {
    /// Capture time in microseconds since the Unix epoch.
    public var timestamp: Int64
    /// The captured bytes, starting at the link-layer header.
    public var data: [UInt8]
    /// Length on the wire; larger than `data.count` when truncated.
    public var originalLength: Int

    public init(timestamp: Int64, data: [UInt8], originalLength: Int? = nil) {
        self.timestamp = timestamp
        self.data = data
        self.originalLength = originalLength ?? data.count
    }
}

/// Edits of a packet list for tests: each returns a new array and keeps the
/// rest untouched, so a test can state exactly which pathology it builds.
public enum PacketEdits {
    /// Swaps the packets at `i` and `j`. With `keepTimestamps` (the default)
    /// the timestamps stay with the positions, so the file remains in time
    /// order but the bytes arrive out of sequence — as a capture sees
    /// reordering on the network.
    public static func swapped(_ packets: [Packet], _ i: Int, _ j: Int, keepTimestamps: Bool = true) -> [Packet] {
        var out = packets
        out.swapAt(i, j)
        if keepTimestamps {
            out[i].timestamp = packets[i].timestamp
            out[j].timestamp = packets[j].timestamp
        }
        return out
    }

    /// Moves the packet at `from` so that it ends at index `to`, taking the
    /// timestamp of its new neighbour before it (time order is preserved).
    public static func moved(_ packets: [Packet], from: Int, to: Int) -> [Packet] {
        var out = packets
        var p = out.remove(at: from)
        out.insert(p, at: to)
        if to > 0 { p.timestamp = out[to - 1].timestamp; out[to] = p }
        return out
    }

    /// Inserts a copy of packet `i` (a retransmission) at position `at`
    /// (default: right after it), timestamped `delay` µs after the packet
    /// before its new position.
    public static func duplicated(_ packets: [Packet], _ i: Int, at position: Int? = nil, delay: Int64 = 1) -> [Packet] {
        var out = packets
        let pos = position ?? (i + 1)
        var copy = packets[i]
        copy.timestamp = (pos > 0 ? out[pos - 1].timestamp : copy.timestamp) + delay
        out.insert(copy, at: pos)
        return out
    }

    /// Removes the packets at the given indices (loss, or a capture hole).
    public static func dropped(_ packets: [Packet], _ indices: Set<Int>) -> [Packet] {
        packets.enumerated().filter { !indices.contains($0.offset) }.map(\.element)
    }

    /// Drops every packet captured before `time` (a capture that starts
    /// in the middle of connections).
    public static func dropped(_ packets: [Packet], before time: Int64) -> [Packet] {
        packets.filter { $0.timestamp >= time }
    }

    /// Truncates packet `i` to `length` captured bytes, keeping its original
    /// length (what a small snaplen does).
    public static func truncated(_ packets: [Packet], _ i: Int, to length: Int) -> [Packet] {
        var out = packets
        if out[i].data.count > length { out[i].data = Array(out[i].data.prefix(length)) }
        return out
    }

    /// Truncates every packet to `snaplen` bytes.
    public static func truncated(_ packets: [Packet], snaplen: Int) -> [Packet] {
        packets.map { p in
            var q = p
            if q.data.count > snaplen { q.data = Array(q.data.prefix(snaplen)) }
            return q
        }
    }

    /// Stable sort by timestamp (after hand-made insertions).
    public static func sortedByTime(_ packets: [Packet]) -> [Packet] {
        packets.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
    }
}
