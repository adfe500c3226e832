import CJemalloc

/// The command's memory allocator: jemalloc, linked into the executable so
/// that its malloc and free stand in for glibc's for the whole process (the
/// Swift runtime and SQLite included). The libraries and the tests keep
/// whatever allocator their host has.
///
/// Why: an ingest hands every decoded message from the thread that built it
/// to the thread that writes it, which frees it. glibc returns such a block
/// to the arena of the thread that allocated it, under that arena's lock,
/// while that thread allocates from it: perf of the 250 MB benchmark ingest
/// found the SQLite writer thread asleep in `__lll_lock_wait_private` under
/// `_int_free` more than a thousand times, and the two cores idle 13% of the
/// decoding pass. jemalloc frees into the freeing thread's cache and
/// returns blocks to their arena in batches. Twelve interleaved pairs of
/// that ingest (glibc, then jemalloc through LD_PRELOAD): 0.15 s less wall
/// time (median; 11 of 12 faster) and 0.28 s less CPU. glibc's tcache
/// raised to 2,000 blocks (GLIBC_TUNABLES) did not help, and mimalloc was
/// slower than jemalloc (8 pairs, median 0.2 s). Peak memory grew from 78 MB
/// to about 100 MB (README, Performance).
enum MemoryAllocator {
    /// "jemalloc VERSION", and whether the process's allocations go through
    /// it: `thread.allocated` counts what this thread got from jemalloc, so
    /// a Swift allocation that does not move it was served by another malloc
    /// (the library linked but not interposed).
    static var description: String {
        var version: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &version, &size, nil, 0) == 0, let version else { return "unknown allocator" }
        let name = "jemalloc " + String(cString: version).prefix { $0 != "-" }
        return name + (servesSwiftAllocations ? "" : " (linked, not in use)")
    }

    /// Whether a Swift allocation on this thread is counted by jemalloc.
    private static var servesSwiftAllocations: Bool {
        let before = allocatedByThisThread
        let block = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { block.deallocate() }
        guard let before, let after = allocatedByThisThread else { return false }
        return after >= before + (1 << 16)
    }

    private static var allocatedByThisThread: UInt64? {
        var value: UInt64 = 0
        var size = MemoryLayout<UInt64>.size
        return mallctl("thread.allocated", &value, &size, nil, 0) == 0 ? value : nil
    }
}
