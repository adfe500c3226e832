import Crypto
import Foundation

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
