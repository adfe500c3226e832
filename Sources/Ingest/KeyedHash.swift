import Crypto
import Foundation
import OCPP

/// The keyed hash of `ingest --redact`: HMAC-SHA256 under a key the
/// operator keeps elsewhere, so the same id tag always maps to the same
/// value (sessions still join) but the value cannot be reversed or
/// recomputed without the key.
public enum KeyedHash {
    public struct KeyError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the key file (at least 16 bytes; surrounding whitespace ignored).
    public static func key(file: String) throws(KeyError) -> SymmetricKey {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw KeyError(description: "cannot read the redaction key file \(file)")
        }
        let trimmed = Data(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard trimmed.count >= 16 else {
            throw KeyError(description: "the redaction key in \(file) is shorter than 16 bytes; use e.g. `head -c 32 /dev/urandom | base64 > \(file)`")
        }
        return SymmetricKey(data: trimmed)
    }

    /// `h:` and the first 16 bytes of the HMAC in hex (128 bits: no collisions in practice).
    public static func function(key: SymmetricKey) -> @Sendable (String) -> String {
        // The key's bytes, not the SymmetricKey (which is not Sendable).
        let bytes = key.withUnsafeBytes { Data($0) }
        return { value in
            let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: SymmetricKey(data: bytes))
            return "h:" + mac.prefix(16).map { String(format: "%02x", $0) }.joined()
        }
    }

    public static func redactor(keyFile: String, scopes: Set<Redactor.Scope>) throws(KeyError) -> Redactor {
        Redactor(scopes: scopes, hash: function(key: try key(file: keyFile)))
    }
}
