import Foundation
import Frames
import OCPP

/// The few words a message row stores as text (direction, type, OCPP
/// version), read from SQLite's bytes without making a String of each.
///
/// Why: the history reads every message back, and making Strings of these
/// columns (and upper-casing the type to look it up) cost the history
/// reader 16 M instructions in String validation and 13 M in
/// MessageType(name:) (callgrind, 10 MB benchmark capture); reading the
/// messages went from 543 M to 517 M. Anything unexpected goes the String
/// way, as before.
struct StoredWords {
    /// The versions seen so far in this reading, as bytes and as Strings.
    private var versions: [([UInt8], String)] = []
    private static let types = MessageType.allCases.map { (Array($0.name.utf8), $0) }

    /// Whether `raw` holds exactly `word` (memcmp: `elementsEqual` on the
    /// buffer went byte by byte through generic code, 345 instructions a word).
    @inline(__always) static func equals(_ raw: UnsafeRawBufferPointer, _ word: UnsafeRawBufferPointer) -> Bool {
        raw.count == word.count && (raw.isEmpty || memcmp(raw.baseAddress!, word.baseAddress!, raw.count) == 0)
    }

    @inline(__always) static func equals(_ raw: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        equals(raw, UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    static func direction(_ raw: UnsafeRawBufferPointer) -> Direction {
        if equals(raw, "csms_to_cp") { return .csmsToChargePoint }
        if equals(raw, "cp_to_csms") { return .chargePointToCSMS }
        return Direction(wireName: String(decoding: raw, as: UTF8.self)) ?? .chargePointToCSMS
    }

    static func type(_ raw: UnsafeRawBufferPointer) -> MessageType {
        for (bytes, t) in types where bytes.withUnsafeBytes({ equals(raw, $0) }) { return t }
        return MessageType(name: String(decoding: raw, as: UTF8.self)) ?? .call
    }

    /// The version as a String, made once per distinct value.
    mutating func version(_ raw: UnsafeRawBufferPointer) -> String {
        for (bytes, s) in versions where bytes.withUnsafeBytes({ StoredWords.equals(raw, $0) }) { return s }
        let s = String(decoding: raw, as: UTF8.self)
        if versions.count < 8 { versions.append((Array(raw), s)) }
        return s
    }
}
