import Testing

/// The command runs on jemalloc (Sources/ocppscope/MemoryAllocator.swift):
/// linked, and serving the process's allocations rather than merely loaded.
@Suite("Memory allocator")
struct MemoryAllocatorTests {
    @Test func theCommandAllocatesThroughJemalloc() throws {
        let (status, out, _) = try Fixture.run(["--version"])
        #expect(status == 0)
        #expect(out.contains("memory allocator: jemalloc 5."), "\(out)")
        #expect(!out.contains("not in use"), "\(out)")
    }
}
