import Frames
import OCPP

/// Filters of the `messages` command; every value reaches SQLite as a bound
/// parameter.
public struct MessageFilter: Sendable {
    public var chargePoint: String?
    public var action: String?
    public var since: Timestamp?
    public var until: Timestamp?
    public var limit: Int?
    public init(chargePoint: String? = nil, action: String? = nil, since: Timestamp? = nil, until: Timestamp? = nil, limit: Int? = nil) {
        self.chargePoint = chargePoint
        self.action = action
        self.since = since
        self.until = until
        self.limit = limit
    }
}

extension Store {
    /// Calls `body` with each stored message matching `filter`, in time order.
    public func messages(_ filter: MessageFilter, _ body: (MessageRecord) throws -> Void) throws {
        var sql = """
            SELECT m.time_us, m.charge_point, m.direction, m.type, m.unique_id, m.action, m.payload, m.error_code,
                   m.error_description, m.ocpp_version, s.path, m.frame, m.latency_us, m.answer
            FROM messages m JOIN sources s ON s.id = m.source_id
            WHERE 1 = 1
            """
        var params: [SQLValue] = []
        if let cp = filter.chargePoint { sql += " AND m.charge_point = ?"; params.append(.text(cp)) }
        if let a = filter.action { sql += " AND m.action = ?"; params.append(.text(a)) }
        if let t = filter.since { sql += " AND m.time_us >= ?"; params.append(.int(t.microseconds)) }
        if let t = filter.until { sql += " AND m.time_us < ?"; params.append(.int(t.microseconds)) }
        sql += " ORDER BY m.time_us, m.id"
        if let n = filter.limit { sql += " LIMIT ?"; params.append(.int(Int64(n))) }
        let s = try db.prepare(sql)
        try s.bind(params)
        while try s.step() {
            let type = MessageType(name: s.text(3) ?? "") ?? .call
            var payload = s.text(6) ?? "{}"
            if type == .callError || type == .callResultError {
                payload = MessageRecord.errorPayload(code: s.text(7), description: s.text(8), details: payload)
            }
            try body(MessageRecord(
                time: Timestamp(microseconds: s.int64(0)), chargePoint: s.text(1) ?? "",
                direction: Direction(wireName: s.text(2) ?? "") ?? .chargePointToCSMS, type: type,
                uniqueId: s.text(4) ?? "", action: s.text(5), payloadJSON: payload, ocppVersion: s.text(9),
                source: s.text(10) ?? "", frame: s.int64(11), latencyMicros: s.isNull(12) ? nil : s.int64(12),
                answer: s.text(13)))
        }
    }

    /// Totals over the whole database, for the end of `ingest`.
    public func totals() throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for (name, sql) in [("sources", "SELECT count(*) FROM sources"),
                            ("charge_points", "SELECT count(*) FROM charge_points"),
                            ("connections", "SELECT count(*) FROM connections"),
                            ("messages", "SELECT count(*) FROM messages"),
                            ("decode_issues", "SELECT count(*) FROM decode_issues")] {
            out[name] = try db.scalarInt(sql) ?? 0
        }
        return out
    }
}
