import Foundation
import Testing
@testable import Store

/// The gathering spill's writer thread: blocks land where they were
/// queued for, in any number and size, and a file that cannot be written
/// is reported by `finish`, not lost.
@Suite("Spill writer")
struct SpillWriterTests {
    private func temporaryFile(_ flags: Int32) -> (fd: Int32, path: String) {
        let path = NSTemporaryDirectory() + "/spill-writer-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: path, contents: nil)
        return (open(path, flags), path)
    }

    @Test func blocksLandWhereTheyWereQueuedFor() throws {
        let (fd, path) = temporaryFile(O_RDWR)
        defer { close(fd); unlink(path) }
        let writer = SpillWriter(fd: fd)
        var expected: [UInt8] = []
        // More blocks than the writer holds, of growing sizes, each of several parts.
        for k in 0..<12 {
            let parts = (0..<3).map { p in [UInt8]((0..<(k * 1000 + p * 7 + 1)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ k &+ p) }) }
            let offset = Int64(expected.count)
            let buffers = parts.map { part in part.withUnsafeBytes { UnsafeRawBufferPointer(start: UnsafeMutableRawPointer.allocate(byteCount: $0.count, alignment: 1), count: $0.count) } }
            for (b, part) in zip(buffers, parts) { UnsafeMutableRawBufferPointer(mutating: b).copyBytes(from: part) }
            writer.write(buffers, at: offset)
            for b in buffers { b.deallocate() }
            for part in parts { expected += part }
        }
        #expect(writer.finish() == nil)
        #expect(writer.finish() == nil, "finishing again changes nothing")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(expected))
    }

    @Test func aFileThatCannotBeWrittenIsReported() {
        let (fd, path) = temporaryFile(O_RDONLY)
        defer { close(fd); unlink(path) }
        let writer = SpillWriter(fd: fd)
        let bytes: [UInt8] = Array(repeating: 7, count: 100)
        bytes.withUnsafeBytes { writer.write([$0], at: 0) }
        bytes.withUnsafeBytes { writer.write([$0], at: 100) }
        let failure = writer.finish()
        #expect(failure != nil)
        #expect(writer.finish() == failure)
    }
}
