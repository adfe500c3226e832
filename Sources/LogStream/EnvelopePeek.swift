/// The first elements of an OCPP-J array — type, unique id, action — read
/// without validating the rest.
///
/// Why a peek and not a parse: direction and version must be known before a
/// frame reaches the message decoder, which validates the whole message
/// itself; a text the peek cannot read still goes on, to become a decode
/// issue there.
struct EnvelopePeek {
    var type: Int
    var uniqueId: String
    var action: String?

    init?(_ t: [UInt8]) {
        var i = 0
        func ws() { while i < t.count, t[i] == 0x20 || t[i] == 0x09 || t[i] == 0x0A || t[i] == 0x0D { i += 1 } }
        func string() -> String? {
            ws()
            guard i < t.count, t[i] == 0x22 else { return nil }
            i += 1
            let s = i
            while i < t.count, t[i] != 0x22 {
                if t[i] == 0x5C { return nil }   // escapes in ids or actions: leave it to the decoder
                i += 1
            }
            guard i < t.count else { return nil }
            defer { i += 1 }
            return String(decoding: t[s..<i], as: UTF8.self)
        }
        func comma() -> Bool { ws(); if i < t.count, t[i] == 0x2C { i += 1; return true }; return false }
        ws()
        guard i < t.count, t[i] == 0x5B else { return nil }
        i += 1
        ws()
        guard i < t.count, t[i] >= 0x30, t[i] <= 0x39 else { return nil }
        type = Int(t[i] - 0x30)
        i += 1
        guard comma(), let id = string() else { return nil }
        uniqueId = id
        if type == 2 || type == 6 {
            guard comma(), let a = string() else { return nil }
            action = a
        }
    }
}

/// The OCPP version a log line states (`ocpp1.6`, `OCPP 2.0.1`, `v201`).
/// Versions a log does not state are inferred by the store from actions and
/// payload shapes, as for captures whose handshake was not seen.
enum VersionEvidence {
    /// `ocpp1.6`, `OCPP 2.0.1`, `v201`, `1.6J` → `1.6`, `2.0.1`, `2.1`.
    static func normalise(_ s: String) -> String? {
        let l = s.lowercased().filter { $0.isNumber || $0 == "." }
        switch l {
        case "1.6", "16": return "1.6"
        case "2.0.1", "201", "2.0": return "2.0.1"
        case "2.1", "21": return "2.1"
        default: return nil
        }
    }
}
