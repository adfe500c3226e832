/// Replaces personal data in payloads with a keyed hash, so that a database
/// can be shared without id tags and tokens (personal data under GDPR) while
/// sessions of one driver still join: the same tag always gives the same hash.
///
/// It works on member names, not on actions, so it covers every message
/// that carries them: `idTag`, `parentIdTag` (1.6), `idToken` and
/// `groupIdToken` (2.x, a string or an object holding `idToken`), and with
/// serials also `chargePointSerialNumber`, `chargeBoxSerialNumber`,
/// `serialNumber` and `meterSerialNumber`.
public struct Redactor: Sendable {
    public enum Scope: String, Sendable, CaseIterable {
        case ids
        case serials
    }

    static let idMembers: Set<String> = ["idTag", "parentIdTag", "idToken", "groupIdToken", "emaid", "uid"]
    static let serialMembers: Set<String> = ["chargePointSerialNumber", "chargeBoxSerialNumber", "serialNumber", "meterSerialNumber"]

    public let scopes: Set<Scope>
    /// The keyed hash (an HMAC given by the caller); its output replaces the value.
    public let hash: @Sendable (String) -> String

    public init(scopes: Set<Scope>, hash: @escaping @Sendable (String) -> String) {
        self.scopes = scopes
        self.hash = hash
    }

    /// The payload with personal values replaced, and how many were.
    public func redact(_ v: JSONValue) -> (JSONValue, Int) {
        var count = 0
        let out = walk(v, &count)
        return (out, count)
    }

    private func walk(_ v: JSONValue, _ count: inout Int) -> JSONValue {
        switch v {
        case .object(let members):
            return .object(members.map { (k, value) in
                if scopes.contains(.ids) && Redactor.idMembers.contains(k) {
                    switch value {
                    case .string(let s):
                        count += 1
                        return (k, .string(hash(s)))
                    case .object:
                        return (k, walk(value, &count))   // 2.x idToken {idToken, type}
                    default:
                        return (k, value)
                    }
                }
                if scopes.contains(.serials) && Redactor.serialMembers.contains(k), case .string(let s) = value {
                    count += 1
                    return (k, .string(hash(s)))
                }
                return (k, walk(value, &count))
            })
        case .array(let items):
            return .array(items.map { walk($0, &count) })
        default:
            return v
        }
    }

    /// A quick check that a payload may hold something to redact, so most
    /// messages are not parsed at all.
    public func mayApply(_ text: ArraySlice<UInt8>) -> Bool {
        let needles: [[UInt8]] = (scopes.contains(.ids) ? [Array("idTag".utf8), Array("dToken".utf8), Array("emaid".utf8), Array("\"uid\"".utf8)] : [])
            + (scopes.contains(.serials) ? [Array("erialNumber".utf8)] : [])
        return needles.contains { n in
            text.withUnsafeBufferPointer { b in
                guard b.count >= n.count else { return false }
                var i = 0
                while i + n.count <= b.count {
                    if b[i] == n[0] && Array(b[i..<(i + n.count)]) == n { return true }
                    i += 1
                }
                return false
            }
        }
    }
}
