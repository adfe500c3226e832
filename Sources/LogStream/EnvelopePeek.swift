import Frames

/// The first elements of an OCPP-J array — type, unique id, action — read
/// without validating the rest.
///
/// Why a peek and not a parse: direction and version must be known before a
/// frame reaches the message decoder, which validates the whole message
/// itself; a text the peek cannot read still goes on, to become a decode
/// issue there.
struct EnvelopePeek {
    var type: Int
    /// A seeded hash of the unique id's bytes, not the id itself: it only
    /// pairs answers with CALLs (LogFrameBuilder), and a String per message
    /// made, hashed and compared cost about a tenth of a log's reading
    /// (callgrind, 10 MB benchmark log).
    var uniqueId: UInt64
    /// The side that sends the CALL's action, when only one side may
    /// (`OCPPActions`): the action itself is not kept, as nothing else here
    /// needs it.
    var sender: Direction?

    /// The seed of `uniqueId`, drawn once per process.
    static let seed = UInt64.random(in: .min ... .max)

    init?(_ t: [UInt8]) {
        var i = 0
        func ws() { while i < t.count, t[i] == 0x20 || t[i] == 0x09 || t[i] == 0x0A || t[i] == 0x0D { i += 1 } }
        /// The contents of a string without escapes (escapes in ids or
        /// actions: leave it to the decoder).
        func bytes() -> Range<Int>? {
            ws()
            guard i < t.count, t[i] == 0x22 else { return nil }
            i += 1
            let s = i
            // The closing quote eight bytes at a time (ids are often 36).
            i = t.withUnsafeBytes { FlatJSON.nextQuoteOrBackslash($0, from: s) }
            guard i < t.count, t[i] == 0x22 else { return nil }
            defer { i += 1 }
            return s..<i
        }
        func comma() -> Bool { ws(); if i < t.count, t[i] == 0x2C { i += 1; return true }; return false }
        ws()
        guard i < t.count, t[i] == 0x5B else { return nil }
        i += 1
        ws()
        guard i < t.count, t[i] >= 0x30, t[i] <= 0x39 else { return nil }
        type = Int(t[i] - 0x30)
        i += 1
        guard comma(), let id = bytes() else { return nil }
        uniqueId = t.withUnsafeBytes { ByteWord.hash(UnsafeRawBufferPointer(rebasing: $0[id]), seed: EnvelopePeek.seed) }
        if type == 2 || type == 6 {
            guard comma(), let a = bytes() else { return nil }
            sender = t.withUnsafeBytes { OCPPActions.sender(ofBytes: UnsafeRawBufferPointer(rebasing: $0[a])) }
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
