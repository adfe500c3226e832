/// A growable byte buffer read from the front: the bytes of one TCP direction
/// that have arrived in order but not yet been consumed by the parser above.
///
/// Why not `Array.removeFirst`: that is O(n) per call. The queue keeps a read
/// index and moves the live bytes down only when the dead prefix is at least
/// as large as what is live, so each byte is copied at most a small constant
/// number of times.
///
/// Why its own memory and not an `[UInt8]`: emptying an array while keeping
/// its capacity goes through `replaceSubrange`, and appending through the
/// array's generic growth path; for the queue of every connection side that
/// was 25 M instructions of `decode`'s packet thread on the 40 MB benchmark
/// corpus. A class, so that the memory is freed with the connection.
final class ByteQueue {
    private var base: UnsafeMutableRawPointer?
    private var capacity = 0
    private var start = 0
    private var end = 0

    /// Capacity kept when the queue empties; a larger buffer (one huge frame)
    /// is given back.
    private static let kept = 1 << 20

    init() {}

    deinit { base?.deallocate() }

    var count: Int { end - start }
    var isEmpty: Bool { start == end }

    /// Bytes always kept free after the live ones, so that `withTail` can
    /// write there.
    private static let slack = 4

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let src = bytes.baseAddress, !bytes.isEmpty else { return }
        if end + bytes.count + ByteQueue.slack > capacity { makeRoom(for: bytes.count + ByteQueue.slack) }
        (base! + end).copyMemory(from: src, byteCount: bytes.count)
        end += bytes.count
    }

    /// Appends what `read` writes straight into free room after the live
    /// bytes (at most `limit` bytes; it returns how many it wrote): for a
    /// file read into the queue with no copy between.
    @discardableResult
    func append(reading limit: Int, _ read: (UnsafeMutableRawPointer, Int) -> Int) -> Int {
        if end + limit + ByteQueue.slack > capacity { makeRoom(for: limit + ByteQueue.slack) }
        let n = read(base! + end, limit)
        precondition(n >= 0 && n <= limit, "ByteQueue.append(reading:) read past its limit")
        end += n
        return n
    }

    /// Room for `n` more bytes after `end`: the live bytes moved to the
    /// front when that is enough and the dead prefix is at least as large as
    /// what is live, else a buffer twice as large (or as large as needed).
    private func makeRoom(for n: Int) {
        let live = count
        if let base, start > 0, start >= live, live + n <= capacity {
            base.copyMemory(from: base + start, byteCount: live)
        } else {
            let size = max(capacity * 2, live + n, 4096)
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            if let base {
                bigger.copyMemory(from: base + start, byteCount: live)
                base.deallocate()
            }
            base = bigger
            capacity = size
        }
        start = 0
        end = live
    }

    func consume(_ n: Int) {
        precondition(n >= 0 && n <= count, "ByteQueue.consume past the end")
        start += n
        if start == end { removeAll() }
    }

    func removeAll() {
        start = 0
        end = 0
        if capacity > ByteQueue.kept {
            base?.deallocate()
            base = nil
            capacity = 0
        }
    }

    subscript(i: Int) -> UInt8 {
        precondition(i >= 0 && i < count, "ByteQueue index out of range")
        return base!.load(fromByteOffset: start + i, as: UInt8.self)
    }

    /// Calls `body` with the live bytes (valid only inside the call).
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base.map { $0 + start }, count: count))
    }

    /// XORs `range` of the live bytes with the WebSocket masking key, in
    /// place (RFC 6455 §5.3), so that a masked frame is read where it lies.
    func unmask(_ range: Range<Int>, key: (UInt8, UInt8, UInt8, UInt8)) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "ByteQueue.unmask out of range")
        guard let base else { return }
        WebSocketMask.unmask(UnsafeMutableRawBufferPointer(start: base + start + range.lowerBound, count: range.count), key: key)
    }

    /// Calls `body` with the live bytes of `range` followed by `tail`,
    /// written for the call over the four bytes after the range (the next
    /// frame's, or free room) and put back after. Why: permessage-deflate
    /// strips `00 00 ff ff` from every message, and zlib reads the message
    /// and that tail in one call (a second call for the tail alone cost
    /// 440 instructions a message).
    func withTail<R>(_ range: Range<Int>, _ tail: (UInt8, UInt8, UInt8, UInt8), _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "ByteQueue.withTail out of range")
        let at = base! + start + range.upperBound
        let saved = at.loadUnaligned(as: UInt32.self)
        withUnsafeBytes(of: tail) { at.copyMemory(from: $0.baseAddress!, byteCount: 4) }
        defer { at.storeBytes(of: saved, as: UInt32.self) }
        return try body(UnsafeRawBufferPointer(start: base! + start + range.lowerBound, count: range.count + 4))
    }

    /// A copy of the first `n` live bytes (or all, when fewer).
    func prefix(_ n: Int) -> ArraySlice<UInt8> {
        withBytes { ArraySlice($0.prefix(n)) }
    }
}
