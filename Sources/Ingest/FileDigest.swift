import Crypto
import Foundation
import Frames

/// The SHA-256 of a file's bytes, read in chunks (bounded memory).
///
/// Why a cryptographic digest: it identifies a source for idempotent
/// re-ingest whatever its name or location, and users can check it against
/// `sha256sum`.
public enum FileDigest {
    public static func sha256(path: String) throws -> String {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw IngestError.unreadable(path, "cannot open")
        }
        defer { try? h.close() }
        var hasher = SHA256()
        while true {
            let chunk = try h.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
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
