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
        var params: [String: SQLValue] = [:]
        if let cp = filter.chargePoint { sql += " AND m.charge_point = :cp"; params["cp"] = .text(cp) }
        if let a = filter.action { sql += " AND m.action = :action"; params["action"] = .text(a) }
        if let t = filter.since { sql += " AND m.time_us >= :since"; params["since"] = .int(t.microseconds) }
        if let t = filter.until { sql += " AND m.time_us < :until"; params["until"] = .int(t.microseconds) }
        sql += " ORDER BY m.time_us, m.id"
        if let n = filter.limit { sql += " LIMIT :limit"; params["limit"] = .int(Int64(n)) }
        try rows(sql, params) { r in
            let type = MessageType(name: r.text("type") ?? "") ?? .call
            var payload = r.text("payload") ?? "{}"
            if type == .callError || type == .callResultError {
                payload = MessageRecord.errorPayload(code: r.text("error_code"), description: r.text("error_description"), details: payload)
            }
            try body(MessageRecord(
                time: Timestamp(microseconds: r.int("time_us") ?? 0), chargePoint: r.text("charge_point") ?? "",
                direction: Direction(wireName: r.text("direction") ?? "") ?? .chargePointToCSMS, type: type,
                uniqueId: r.text("unique_id") ?? "", action: r.text("action"), payloadJSON: payload, ocppVersion: r.text("ocpp_version"),
                source: r.text("path") ?? "", frame: r.int("frame") ?? 0, latencyMicros: r.int("latency_us"),
                answer: r.text("answer")))
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
            try rows(sql) { r in out[name] = r.values.first.flatMap { if case .int(let n) = $0 { return n } else { return nil } } ?? 0 }
        }
        return out
    }
}
