import Analysis
import Foundation

/// OCPI EVSE ids to OCPP identities and ports (`--evse-map FILE`): a CSV
/// `evse_id,charge_point,connector`, header optional, `#` comments.
///
/// Why a file: OCPI names an EVSE by its eMI3 id (`DE*OSC*E0004*1`) or the
/// CPO's `evse_uid`; OCPP knows the WebSocket identity and a connector (1.6)
/// or EVSE id (2.x). Only the operator knows how they correspond.
///
/// Ids are compared without case and without the optional `*` separators
/// of eMI3 (`DE*OSC*E0004*1` = `DEOSCE00041`). The connector column takes
/// a number (a 1.6 connector, a 2.x EVSE) or `EVSE/connector`, or is empty
/// for the whole charge point.
public struct EVSEMap: Sendable {
    public struct Target: Sendable, Equatable {
        public var chargePoint: String
        public var port: Port?
        public init(chargePoint: String, port: Port?) {
            self.chargePoint = chargePoint
            self.port = port
        }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var problem: String
        public var description: String { "EVSE map line \(line): \(problem)" }
    }

    private var byKey: [String: Target] = [:]
    public var count: Int { byKey.count }
    /// Charge points the map names: sessions elsewhere cannot be reached by location.
    public var chargePoints: Set<String> { Set(byKey.values.map(\.chargePoint)) }

    public init() {}

    public init(parsing text: String) throws(ParseError) {
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = CSVLine.fields(line)
            if byKey.isEmpty && ["evse_id", "evse", "evse_uid"].contains(f[0].lowercased()) { continue }
            guard f.count >= 2, !f[0].isEmpty, !f[1].isEmpty else {
                throw ParseError(line: lineNo, problem: "expected evse_id,charge_point,connector")
            }
            var port: Port?
            if f.count > 2, !f[2].isEmpty, f[2] != "*" {
                guard let p = Port(f[2]) else {
                    throw ParseError(line: lineNo, problem: "connector \"\(f[2])\" is not a number or EVSE/connector")
                }
                port = p
            }
            let key = Self.key(f[0])
            let target = Target(chargePoint: f[1], port: port)
            if let old = byKey[key], old != target {
                throw ParseError(line: lineNo, problem: "\(f[0]) is mapped twice, to different ports")
            }
            byKey[key] = target
        }
    }

    public static func load(path: String) throws -> EVSEMap {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CDRReader.InputError("cannot read the EVSE map \(path)")
        }
        return try EVSEMap(parsing: String(decoding: data, as: UTF8.self))
    }

    static func key(_ id: String) -> String {
        id.uppercased().filter { $0 != "*" && $0 != " " }
    }

    public func target(evseId: String?, evseUid: String?) -> Target? {
        if let id = evseId, let t = byKey[Self.key(id)] { return t }
        if let uid = evseUid, let t = byKey[Self.key(uid)] { return t }
        return nil
    }

    /// Fills in the OCPP charge point and port of each CDR whose EVSE the
    /// map knows (a CSV that already names a charge point keeps it).
    public func resolve(_ records: [ChargeDetailRecord]) -> [ChargeDetailRecord] {
        records.map { c in
            guard c.chargePoint == nil, let t = target(evseId: c.evseId, evseUid: c.evseUid) else { return c }
            var c = c
            c.chargePoint = t.chargePoint
            c.port = t.port
            return c
        }
    }
}
