import Crypto
import Foundation
import Frames

/// The SHA-256 of a file's bytes, read in chunks (bounded memory).
///
/// Why a cryptographic digest: it identifies a source for idempotent
/// re-ingest whatever its name or location, and users can check it against
/// `sha256sum`.
///
/// Read with `read(2)` into one buffer of 1 MiB: Foundation's
/// `FileHandle.read(upToCount:)` read the file 4 KiB a call (strace of the
/// 250 MB benchmark ingest: 61,038 reads for the digest alone, beside the
/// index build it runs next to), and made a `Data` for every chunk.
public enum FileDigest {
    static let chunk = 1 << 20

    public static func sha256(path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IngestError.unreadable(path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        while true {
            let n = read(fd, buffer.baseAddress, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError.unreadable(path, String(cString: strerror(errno)))
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// A file's SHA-256 computed on a thread of its own, from `start` on (or
/// from the first `value`), for SourceWriter.digestLater.
final class BackgroundDigest: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var started = false
    private var result: Result<String, Error>?

    init(path: String) { self.path = path }

    /// Starts the hashing, once.
    func start() {
        lock.lock()
        defer { lock.unlock() }
        guard !started else { return }
        started = true
        startThread(named: "digest") { [self] in
            let r = Result { try FileDigest.sha256(path: path) }
            lock.lock()
            result = r
            lock.unlock()
            done.signal()
        }
    }

    /// The digest, waiting for the hashing to end.
    func value() throws -> String {
        start()
        done.wait()
        done.signal()
        lock.lock()
        defer { lock.unlock() }
        return try result!.get()
    }
}

public enum IngestError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case notAnInput(String, String)

    public var description: String {
        switch self {
        case .unreadable(let p, let why): return "\(p): cannot read: \(why)"
        case .notAnInput(let p, let why): return "\(p): \(why)"
        }
    }
}
