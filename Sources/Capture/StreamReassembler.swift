/// Puts one direction of a TCP connection back in sequence order.
///
/// Segments may arrive out of order, twice (retransmission) or overlapping
/// (a retransmission with a different split). The reassembler delivers each
/// stream byte exactly once, in order. A gap that does not fill is given up
/// as a *hole* — so a lost packet costs the messages it carried, never the
/// rest of the connection — when one of these happens:
/// - more than `maxPendingBytes` wait behind it (bounded memory per direction),
/// - it is older than `maxGapAge` of capture time (retransmissions come in
///   seconds, not minutes),
/// - the stream is flushed (FIN, RST, end of capture).
/// Bytes cut off by the capture's snap length are a hole at once: they were
/// on the wire but are not in the file.
struct StreamReassembler {
    enum Chunk {
        case data(UnsafeRawBufferPointer)
        case hole(Int64)
    }

    static let maxPendingBytes = 1 << 20
    static let maxGapAge: Int64 = 30_000_000 // µs

    /// Sequence number of stream offset 0 (the byte after the SYN, or the
    /// first byte seen when the handshake was not captured).
    private(set) var base: UInt32?
    /// Stream offset of the next byte to deliver.
    private(set) var next: Int64 = 0
    private var pending: [(offset: Int64, bytes: [UInt8], missing: Int64)] = []
    private(set) var pendingBytes = 0
    private var gapSince: Int64?
    /// True when the first byte seen was not right after a SYN.
    private(set) var startedMidStream = false
    private(set) var finOffset: Int64?
    private(set) var retransmittedBytes: UInt64 = 0

    var hasPending: Bool { !pending.isEmpty }

    /// Takes the SYN (or SYN-ACK) of this direction.
    mutating func syn(seq: UInt32) {
        if base == nil { base = seq &+ 1 }
    }

    /// Offset in the stream of a sequence number, unwrapped around `next`
    /// (so streams longer than 4 GiB keep working).
    private func offset(of seq: UInt32) -> Int64 {
        let expected = UInt32(truncatingIfNeeded: Int64(base!) &+ next)
        return next + Int64(Int32(bitPattern: seq &- expected))
    }

    /// Takes one segment's payload; calls `deliver` for every chunk that is
    /// now in order.
    mutating func accept(seq: UInt32, payload: UnsafeRawBufferPointer, claimedLength: Int, fin: Bool,
                         time: Int64, deliver: (Chunk) -> Void) {
        if base == nil {
            base = seq
            startedMidStream = true
        }
        let start = offset(of: seq)
        let missing = Int64(claimedLength - payload.count)
        if fin { finOffset = start + Int64(claimedLength) }
        guard claimedLength > 0 else { return }
        let end = start + Int64(claimedLength)
        if end <= next {
            retransmittedBytes += UInt64(claimedLength)
            return
        }
        if start <= next {
            let skip = Int(next - start)
            if skip > 0 { retransmittedBytes += UInt64(skip) }
            if skip < payload.count {
                deliver(.data(UnsafeRawBufferPointer(rebasing: payload[skip...])))
                next += Int64(payload.count - skip)
            }
            if missing > 0 {
                let lost = end - next
                deliver(.hole(lost))
                next = end
            }
            drain(deliver)
            if pending.isEmpty { gapSince = nil }
            return
        }
        // Out of order: keep a copy until the gap fills or is given up.
        insert(offset: start, bytes: Array(payload), missing: missing)
        if gapSince == nil { gapSince = time }
        if pendingBytes > StreamReassembler.maxPendingBytes || time - gapSince! > StreamReassembler.maxGapAge {
            giveUpGap(deliver)
        }
    }

    /// Gives up every remaining gap: delivers what is pending with holes between.
    mutating func flush(_ deliver: (Chunk) -> Void) {
        while !pending.isEmpty { giveUpGap(deliver) }
    }

    private mutating func giveUpGap(_ deliver: (Chunk) -> Void) {
        guard let first = pending.first else { return }
        if first.offset > next {
            deliver(.hole(first.offset - next))
            next = first.offset
        }
        drain(deliver)
        gapSince = pending.isEmpty ? nil : gapSince
    }

    private mutating func insert(offset: Int64, bytes: [UInt8], missing: Int64) {
        var i = pending.count
        while i > 0 && pending[i - 1].offset > offset { i -= 1 }
        pending.insert((offset, bytes, missing), at: i)
        pendingBytes += bytes.count
    }

    /// Delivers pending segments that now continue the stream.
    private mutating func drain(_ deliver: (Chunk) -> Void) {
        while let first = pending.first, first.offset <= next {
            pending.removeFirst()
            pendingBytes -= first.bytes.count
            let end = first.offset + Int64(first.bytes.count) + first.missing
            guard end > next else { retransmittedBytes += UInt64(first.bytes.count); continue }
            let skip = Int(next - first.offset)
            if skip < first.bytes.count {
                first.bytes.withUnsafeBytes { raw in
                    deliver(.data(UnsafeRawBufferPointer(rebasing: raw[skip...])))
                }
                next = first.offset + Int64(first.bytes.count)
            }
            if first.missing > 0 && end > next {
                deliver(.hole(end - next))
                next = end
            }
        }
    }
}
