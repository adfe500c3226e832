import Frames

/// The filters the history commands share; every value is a bound parameter.
public struct HistoryFilter: Sendable {
    public var chargePoint: String?
    public var since: Timestamp?
    public var until: Timestamp?
    public init(chargePoint: String? = nil, since: Timestamp? = nil, until: Timestamp? = nil) {
        self.chargePoint = chargePoint
        self.since = since
        self.until = until
    }

    var parameters: [String: SQLValue] {
        ["cp": chargePoint.map { .text($0) } ?? .null,
         "since": since.map { .int($0.microseconds) } ?? .null,
         "until": until.map { .int($0.microseconds) } ?? .null]
    }
}

/// One result row: column names and values.
public struct Row {
    public var columns: [String]
    public var values: [SQLValue]
    public subscript(_ name: String) -> SQLValue {
        guard let i = columns.firstIndex(of: name) else { return .null }
        return values[i]
    }
    public func text(_ name: String) -> String? {
        switch self[name] {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        default: return nil
        }
    }
    public func int(_ name: String) -> Int64? {
        switch self[name] {
        case .int(let i): return i
        case .double(let d): return Int64(d)
        default: return nil
        }
    }
    public func double(_ name: String) -> Double? {
        switch self[name] {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}

extension Store {
    /// Runs a query with named parameters and calls `body` per row.
    public func rows(_ sql: String, _ params: [String: SQLValue] = [:], _ body: (Row) throws -> Void) throws {
        if let pg = postgres {
            let (text, binds) = PostgresDialect.translate(sql, params)
            let r = try pg.query(text, binds)
            for values in r.rows { try body(Row(columns: r.columns, values: values)) }
            return
        }
        let s = try db.prepare(sql)
        let names = Set(s.parameterNames)
        try s.bind(named: params.filter { names.contains($0.key) })
        let n = s.columnCount
        let columns = (0..<n).map { s.columnName($0) }
        while try s.step() {
            try body(Row(columns: columns, values: (0..<n).map { s.value($0) }))
        }
    }

    /// The inventory of charge points.
    public func chargers(_ f: HistoryFilter, _ body: (Row) throws -> Void) throws {
        try rows("""
            SELECT identity, vendor, model, serial, firmware, ocpp_version, heartbeat_interval_s, first_seen_us, last_seen_us,
                   coalesce(sessions, 0) AS sessions, energy_wh, clock_skew_s, boots,
                   (SELECT count(*) FROM connections c WHERE c.charge_point = identity) AS connections
            FROM charge_points
            WHERE (:cp IS NULL OR identity = :cp)
              AND (:since IS NULL OR last_seen_us >= :since)
              AND (:until IS NULL OR first_seen_us < :until)
            ORDER BY identity
            """, f.parameters, body)
    }

    /// One row per session, in start order.
    public func transactions(_ f: HistoryFilter, _ body: (Row) throws -> Void) throws {
        try rows("""
            SELECT charge_point, session_no, evse, connector, transaction_id, id_token, started_us, stopped_us,
                   meter_start_wh, meter_stop_wh, energy_wh, energy_source, stop_reason, flags, ocpp_version,
                   export_wh, max_power_w, started_observed_us, stopped_observed_us, remote_start_message,
                   remote_stop_message, start_message, stop_message
            FROM transactions
            WHERE (:cp IS NULL OR charge_point = :cp)
              AND (:since IS NULL OR coalesce(started_us, started_observed_us) >= :since)
              AND (:until IS NULL OR coalesce(started_us, started_observed_us) < :until)
            ORDER BY coalesce(started_us, started_observed_us), charge_point, session_no
            """, f.parameters, body)
    }

    /// The post-incident view of one charge point: messages, connects and
    /// disconnects, status changes, offline periods and sessions, merged in
    /// observation-time order.
    public func timeline(_ f: HistoryFilter, _ body: (Row) throws -> Void) throws {
        try rows("""
            SELECT * FROM (
                SELECT m.time_us, m.type AS kind, m.direction, m.action, m.unique_id,
                       m.latency_us, m.answer, m.error_code, m.error_description, m.payload AS detail,
                       m.id AS message_id, m.frame, s.path AS source
                FROM messages m JOIN sources s ON s.id = m.source_id
                WHERE m.charge_point = :cp
                UNION ALL
                SELECT c.opened_us, 'connect', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                       coalesce(c.subprotocol, '?') || ' from ' || coalesce(c.client_addr, '?') || ':' || coalesce(CAST(c.client_port AS TEXT), '?')
                         || CASE WHEN c.compressed <> 0 THEN ' (permessage-deflate)' ELSE '' END
                         || CASE WHEN c.http_status IS NOT NULL AND c.http_status <> 101 THEN ' refused with HTTP ' || CAST(c.http_status AS TEXT) ELSE '' END,
                       NULL, c.first_frame, s.path
                FROM connections c JOIN sources s ON s.id = c.source_id
                WHERE c.charge_point = :cp AND c.opened_us IS NOT NULL
                UNION ALL
                SELECT c.closed_us, 'disconnect', c.closed_by, NULL, NULL, NULL, NULL, NULL, NULL,
                       c.closed_how || CASE WHEN c.close_code IS NOT NULL THEN ' code ' || c.close_code ELSE '' END
                         || CASE WHEN coalesce(c.close_reason, '') <> '' THEN ' "' || c.close_reason || '"' ELSE '' END,
                       NULL, c.last_frame, s.path
                FROM connections c JOIN sources s ON s.id = c.source_id
                WHERE c.charge_point = :cp AND c.closed_us IS NOT NULL
                UNION ALL
                SELECT st.from_us, 'status', NULL, NULL, NULL, NULL, NULL, st.error_code, NULL,
                       CASE WHEN st.evse IS NOT NULL THEN 'evse ' || st.evse || ' ' ELSE '' END || 'connector ' || st.connector || ': ' || st.status
                         || CASE WHEN coalesce(st.error_code, 'NoError') <> 'NoError' THEN ' (' || st.error_code || ')' ELSE '' END
                         || CASE WHEN coalesce(st.vendor_error_code, '') <> '' THEN ' vendor ' || st.vendor_error_code ELSE '' END,
                       st.message_id, NULL, NULL
                FROM status_intervals st WHERE st.charge_point = :cp
                UNION ALL
                SELECT k.from_us, 'offline', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                       'offline (' || k.began || ') until ' || k.ended || ', ' || ((k.to_us - k.from_us) / 60000000) || ' min',
                       k.from_message, NULL, NULL
                FROM connectivity k WHERE k.charge_point = :cp AND k.online = 0
                UNION ALL
                SELECT t.started_observed_us, 'session-start', NULL, NULL, t.transaction_id, NULL, NULL, NULL, NULL,
                       'session ' || t.session_no || ' on ' || CASE WHEN t.evse IS NOT NULL THEN 'evse ' || t.evse || ' ' ELSE '' END
                         || 'connector ' || coalesce(CAST(t.connector AS TEXT), '?') || ' by ' || coalesce(t.id_token, '?'),
                       t.start_message, NULL, NULL
                FROM transactions t WHERE t.charge_point = :cp AND t.started_observed_us IS NOT NULL
                UNION ALL
                SELECT t.stopped_observed_us, 'session-stop', NULL, NULL, t.transaction_id, NULL, NULL, NULL, NULL,
                       'session ' || t.session_no || ' stopped (' || coalesce(t.stop_reason, '?') || '), '
                         || coalesce(CAST(CAST(round(t.energy_wh) AS BIGINT) AS TEXT) || ' Wh', 'energy unknown') || ' ' || t.flags,
                       t.stop_message, NULL, NULL
                FROM transactions t WHERE t.charge_point = :cp AND t.stopped_observed_us IS NOT NULL
            ) events
            WHERE (:since IS NULL OR time_us >= :since) AND (:until IS NULL OR time_us < :until)
            ORDER BY time_us, CASE kind WHEN 'connect' THEN 0 WHEN 'disconnect' THEN 2 ELSE 1 END, message_id, kind, detail
            """, f.parameters, body)
    }
}
