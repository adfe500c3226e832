#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one read from a byte source gave.
public enum ReadResult: Equatable, Sendable {
    /// This many bytes were written into the buffer (never 0).
    case bytes(Int)
    /// The source has nothing more, ever.
    case end
    /// Nothing now, maybe later (a followed file that has not grown yet).
    case idle
}

/// A stream of raw bytes: a file, a pipe, standard input, a gzip member
/// stream over one of those, or a followed file.
///
/// Why a protocol of chunked reads rather than `FileHandle`: the line splitter
/// reads megabyte chunks into its own buffer, and `FileHandle.read` allocates
/// a `Data` per call, which shows on the hot path.
public protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogInputError) -> ReadResult
    /// Bytes consumed from the underlying file so far (compressed bytes for
    /// gzip), for progress reports.
    var bytesConsumed: Int64 { get }
}

/// Why a log input could not be opened or read.
public enum LogInputError: Error, CustomStringConvertible, Sendable {
    case unreadable(String, String)
    case gzip(String)
    case notALog(String, String)

    public var description: String {
        switch self {
        case .unreadable(let p, let why): return "\(p): cannot read: \(why)"
        case .gzip(let why): return "gzip stream: \(why)"
        case .notALog(let p, let why): return "\(p): \(why)"
        }
    }
}

/// Reads a file descriptor with read(2): regular files, pipes, standard input.
public final class FileDescriptorSource: ByteSource {
    public let fd: Int32
    private let ownsDescriptor: Bool
    public private(set) var bytesConsumed: Int64 = 0
    /// Called with every chunk read (the ingest hashes streams it cannot read twice).
    public var tap: ((UnsafeRawBufferPointer) -> Void)?
    private let name: String

    public init(fd: Int32, name: String, ownsDescriptor: Bool) {
        self.fd = fd
        self.name = name
        self.ownsDescriptor = ownsDescriptor
    }

    /// Opens a file for reading.
    public convenience init(path: String) throws(LogInputError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        self.init(fd: fd, name: path, ownsDescriptor: true)
    }

    deinit { if ownsDescriptor { close(fd) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogInputError) -> ReadResult {
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            #else
            let n = Darwin.read(fd, buffer.baseAddress, buffer.count)
            #endif
            if n > 0 {
                bytesConsumed += Int64(n)
                tap?(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                return .bytes(n)
            }
            if n == 0 { return .end }
            if errno == EINTR { continue }
            throw .unreadable(name, String(cString: strerror(errno)))
        }
    }
}
