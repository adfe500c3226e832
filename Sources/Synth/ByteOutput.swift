// Buffered byte output to a file or to memory.
//
// Captures of up to 1 GB are written in one pass, so output must stream with
// bounded memory: bytes collect in one buffer that is handed to stdio in
// large chunks (one fwrite per megabyte, not per packet). Tests write the
// same bytes to memory instead and parse them back.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public final class ByteOutput {
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8]
    private let flushThreshold: Int
    private let inMemory: Bool
    /// Bytes handed to this output so far (buffered ones included).
    public private(set) var bytesWritten: Int64 = 0
    /// Everything written, for an in-memory output.
    public private(set) var memory: [UInt8] = []

    /// Creates (truncates) `path` for writing.
    public init(path: String, bufferSize: Int = 1 << 20) throws {
        guard let f = fopen(path, "wb") else {
            throw SynthError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        file = f
        inMemory = false
        flushThreshold = bufferSize
        buffer = []
        buffer.reserveCapacity(bufferSize + 65_536)
    }

    /// An output that keeps everything in `memory`.
    public init() {
        file = nil
        inMemory = true
        flushThreshold = Int.max
        buffer = []
    }

    deinit { try? close() }

    @inline(__always) public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += Int64(bytes.count)
        if buffer.count >= flushThreshold { try flush() }
    }

    @inline(__always) public func write(_ bytes: ArraySlice<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += Int64(bytes.count)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Gives direct access to the pending buffer, for writers that append
    /// small headers without building a temporary array.
    @inline(__always) public func append(_ body: (inout [UInt8]) -> Void) throws {
        let before = buffer.count
        body(&buffer)
        bytesWritten += Int64(buffer.count - before)
        if buffer.count >= flushThreshold { try flush() }
    }

    public func flush() throws {
        if inMemory {
            if memory.isEmpty { swap(&memory, &buffer) } else { memory.append(contentsOf: buffer); buffer.removeAll() }
            return
        }
        guard let f = file, !buffer.isEmpty else { return }
        let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        if n != buffer.count { throw SynthError("write failed: \(String(cString: strerror(errno)))") }
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() throws {
        try flush()
        if let f = file {
            file = nil
            if fclose(f) != 0 { throw SynthError("close failed: \(String(cString: strerror(errno)))") }
        }
    }
}
