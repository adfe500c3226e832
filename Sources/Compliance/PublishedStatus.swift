import Foundation
import Frames
import OCPP
import Reconcile

/// What an operator published about its EVSEs' status (to an AFIR national
/// access point or an OCPI roaming platform), read for `afir compare`.
///
/// Accepted, told apart by content: OCPI Location objects (their `evses`),
/// OCPI EVSE objects, or status updates `{"last_updated"|"time"|"timestamp",
/// "evse_id"|"uid", "status"}`; as a JSON array, an OCPI response envelope
/// (`{"data":…}`), or one object per line. A record that cannot be used is
/// named in `problems`, never dropped silently.
public enum PublishedStatus {
    public struct Update: Sendable, Equatable {
        public var evseId: String?
        public var uid: String?
        public var time: Int64
        public var status: OCPIStatus
        /// Where in the file it came from, for messages.
        public var origin: String
        public var name: String { evseId ?? uid ?? "?" }
    }

    public struct Result: Sendable {
        public var updates: [Update]
        public var problems: [String]
    }

    public static func read(path: String) throws -> Result {
        guard let data = FileManager.default.contents(atPath: path) else { throw CDRReader.InputError("cannot read \(path)") }
        return try parse(String(decoding: data, as: UTF8.self))
    }

    public static func parse(_ input: String) throws -> Result {
        var text = input
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard text.contains(where: { !$0.isWhitespace }) else { throw CDRReader.InputError("the published status file is empty") }
        var result = Result(updates: [], problems: [])
        if let whole = try? JSONValue.parse(text) {
            let items = whole["data"].map { $0.array ?? [$0] } ?? whole.array ?? [whole]
            for (i, v) in items.enumerated() { take(v, origin: "item \(i + 1)", into: &result) }
            return result
        }
        // One object per line.
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let l = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if l.isEmpty || l.hasPrefix("#") { continue }
            guard let v = try? JSONValue.parse(String(l)) else {
                result.problems.append("line \(i + 1): not valid JSON")
                continue
            }
            take(v, origin: "line \(i + 1)", into: &result)
        }
        return result
    }

    private static func take(_ v: JSONValue, origin: String, into r: inout Result) {
        guard case .object = v else {
            r.problems.append("\(origin): not a JSON object")
            return
        }
        if let evses = v["evses"]?.array {
            for (j, e) in evses.enumerated() { take(e, origin: "\(origin) evse \(j + 1)", into: &r) }
            return
        }
        let evseId = v["evse_id"]?.string, uid = v["uid"]?.string ?? v["evse_uid"]?.string
        guard evseId != nil || uid != nil else {
            r.problems.append("\(origin): no evse_id or uid")
            return
        }
        guard let raw = v["status"]?.string, let status = OCPIStatus(name: raw) else {
            r.problems.append("\(origin): no OCPI status (AVAILABLE, CHARGING, …)")
            return
        }
        guard let t = (v["last_updated"] ?? v["time"] ?? v["timestamp"])?.string, let ts = Timestamp(iso8601: t) else {
            r.problems.append("\(origin): no last_updated time (ISO 8601)")
            return
        }
        r.updates.append(Update(evseId: evseId, uid: uid, time: ts.microseconds, status: status, origin: origin))
    }
}
