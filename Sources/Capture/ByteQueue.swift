/// A growable byte buffer read from the front: the bytes of one TCP direction
/// that have arrived in order but not yet been consumed by the parser above.
///
/// Why not `Array.removeFirst`: that is O(n) per call. The queue keeps a read
/// index and compacts only when the dead prefix is larger than what is live,
/// so each byte is copied at most a small constant number of times.
struct ByteQueue {
    private(set) var storage: [UInt8] = []
    private(set) var start = 0

    var count: Int { storage.count - start }
    var isEmpty: Bool { start == storage.count }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0 && start >= storage.count - start { compact() }
        storage.append(contentsOf: bytes)
    }

    mutating func consume(_ n: Int) {
        start += n
        if start == storage.count { storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20); start = 0 }
    }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20)
        start = 0
    }

    private mutating func compact() {
        storage.removeSubrange(0..<start)
        start = 0
    }

    subscript(i: Int) -> UInt8 { storage[start + i] }

    /// Calls `body` with the live bytes (valid only inside the call).
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[start...]))
        }
    }

    func prefix(_ n: Int) -> ArraySlice<UInt8> { storage[start..<min(storage.count, start + n)] }
}
