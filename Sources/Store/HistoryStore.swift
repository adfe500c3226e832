import Frames
import History
import OCPP

extension Store {
    /// Charge points whose history must be rebuilt after these sources.
    public func chargePoints(ofSources ids: [Int64]) throws -> [String] {
        var out = Set<String>()
        let s = try db.prepare("SELECT DISTINCT charge_point FROM connections WHERE source_id = ?")
        for id in ids {
            s.reset()
            s.bind(1, id)
            while try s.step() { if let cp = s.text(0) { out.insert(cp) } }
        }
        return out.sorted()
    }

    public func allChargePoints() throws -> [String] {
        var out: [String] = []
        let s = try db.prepare("SELECT DISTINCT charge_point FROM connections ORDER BY charge_point")
        while try s.step() { if let cp = s.text(0) { out.append(cp) } }
        return out
    }

    /// The connections of a charge point, and the end of the data that covers it.
    public func historyConnections(_ chargePoint: String) throws -> ([HistoryConnection], Timestamp?) {
        var out: [HistoryConnection] = []
        let s = try reused("""
            SELECT id, opened_us, closed_us, closed_how, handshake_seen FROM connections
            WHERE charge_point = ? ORDER BY coalesce(opened_us, 0), id
            """)
        s.bind(1, chargePoint)
        while try s.step() {
            out.append(HistoryConnection(id: s.int64(0), opened: s.isNull(1) ? nil : Timestamp(microseconds: s.int64(1)),
                                         closed: s.isNull(2) ? nil : Timestamp(microseconds: s.int64(2)),
                                         closedHow: s.text(3), handshakeSeen: s.int64(4) != 0))
        }
        let last = try reused("""
            SELECT max(last_us) FROM sources WHERE id IN (SELECT source_id FROM connections WHERE charge_point = ?)
            """)
        last.bind(1, chargePoint)
        let end: Int64? = try last.step() && !last.isNull(0) ? last.int64(0) : nil
        last.reset()
        return (out, end.map { Timestamp(microseconds: $0) })
    }

    /// Calls `body` with each message of a charge point in time order, its
    /// payload parsed (and its PayloadKey made) only for the actions the
    /// history reads.
    public func historyMessages(_ chargePoint: String, _ body: (HistoryMessage) throws -> Void) throws {
        let s = try reused("""
            SELECT id, time_us, connection_id, direction, type, action, payload, request_id, error_code, ocpp_version
            FROM messages WHERE charge_point = ? ORDER BY time_us, id
            """)
        s.bind(1, chargePoint)
        var make = StoredHistoryMessage()
        while try s.step() {
            let action = make.action(s.rawText(5))
            try body(make.message(
                id: s.int64(0), time: s.int64(1), connection: s.int64(2),
                direction: s.withText(3, StoredWords.direction) ?? .chargePointToCSMS,
                type: s.withText(4, StoredWords.type) ?? .call, action: action,
                payload: action.kind.payloadRead ? s.rawText(6) : nil, request: s.isNull(7) ? nil : s.int64(7),
                errorCode: s.rawText(8), version: s.rawText(9)))
        }
    }

    /// A stored payload parsed straight from SQLite's bytes when they are
    /// ASCII (nearly always), which are then exactly the bytes a String made
    /// of them would hold; otherwise through a String, as before, so that
    /// invalid UTF-8 is repaired the same way. Why: making a String and then
    /// an array of each payload cost about 4% of an ingest's instructions.
    static func parsePayload(_ raw: UnsafeRawBufferPointer) -> JSONView {
        if ASCII.only(raw) {
            return (try? JSONTape(parsing: raw))?.root ?? .null
        }
        return (try? JSONTape(parsing: String(decoding: raw, as: UTF8.self)))?.root ?? .null
    }

    /// The times of WebSocket pings and pongs the charge point sent.
    public func keepAlives(_ chargePoint: String) throws -> [Timestamp] {
        var out: [Timestamp] = []
        let s = try reused("SELECT time_us FROM keepalives WHERE charge_point = ? AND direction = 'cp_to_csms' ORDER BY time_us")
        s.bind(1, chargePoint)
        while try s.step() { out.append(Timestamp(microseconds: s.int64(0))) }
        return out
    }

    /// Removes the derived rows of a charge point before it is rebuilt.
    public func clearHistory(_ chargePoint: String) throws {
        for table in Store.historyTables {
            let s = try reused("DELETE FROM \(table) WHERE charge_point = ?")
            s.bind(1, chargePoint)
            try s.run()
        }
    }
}

/// Writes what the history derives, with reused prepared statements.
public final class HistoryWriter: HistorySink {
    private let insertSession: Statement
    private let insertSample: Statement
    /// Meter values are written `samplesPerInsert` to an INSERT (they are
    /// most of the history's rows; see SourceWriter.flush for why), held
    /// in `pendingSamples` until there are enough or the charge point ends.
    private let insertSampleRows: Statement
    private var pendingSamples: [MeterSample] = []
    static let samplesPerInsert = 16
    static let sampleColumns: Int32 = 16

    static func insertSamples(rows: Int) -> String {
        SQLiteDatabase.insert(into: "meter_values", columns: """
            charge_point, session_no, evse, connector, time_us, observed_us, measurand, phase, location, context, unit, raw,
            value, normalized_unit, signed_data, message_id
            """, count: Int(sampleColumns), rows: rows)
    }
    private let insertStatus: Statement
    private let insertConnectivity: Statement
    private let insertAttempt: Statement
    private let updateChargePoint: Statement
    private let energy: Statement
    private var failure: Error?
    /// Rows written per table (tables with none left out).
    public var counts: [String: Int] {
        let all = ["transactions": sessions, "meter_values": samples, "status_intervals": statuses,
                   "connectivity": connectivities, "attempts": attempts]
        return all.filter { $0.value > 0 }
    }
    // Counted as integers: a String-keyed count per meter value row was a hash each.
    private var sessions = 0, samples = 0, statuses = 0, connectivities = 0, attempts = 0

    public init(store: Store) throws {
        let db = store.db
        insertSession = try db.prepare("""
            INSERT INTO transactions(charge_point, session_no, ocpp_version, evse, connector, transaction_id, id_token,
                id_token_type, started_us, stopped_us, started_observed_us, stopped_observed_us, meter_start_wh, meter_stop_wh,
                energy_wh, energy_source, export_wh, max_power_w, stop_reason, start_status, remote_start_message,
                remote_stop_message, start_message, stop_message, flags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertSample = try db.prepare(HistoryWriter.insertSamples(rows: 1))
        insertSampleRows = try db.prepare(HistoryWriter.insertSamples(rows: HistoryWriter.samplesPerInsert))
        insertSampleRows.bindsTextFromOwnBuffer(capacity: 1 << 18)
        pendingSamples.reserveCapacity(HistoryWriter.samplesPerInsert)
        insertStatus = try db.prepare("""
            INSERT INTO status_intervals(charge_point, evse, connector, status, error_code, info, vendor_error_code,
                from_us, to_us, reported_us, source, message_id, to_is_data_end)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertConnectivity = try db.prepare("""
            INSERT INTO connectivity(charge_point, online, from_us, to_us, began, ended, from_message, to_message, connection_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertAttempt = try db.prepare("""
            INSERT INTO attempts(charge_point, attempt_no, ocpp_version, evse, connector, started_us, ended_us, began, ended,
                id_token, session_no, transaction_id, energy_wh, ready_us, charge_started_us, stop_reason, outcome, cause,
                cause_detail, flags, start_message, end_message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for s in [insertSession, insertSample, insertStatus, insertConnectivity, insertAttempt] { s.bindsTextFromOwnBuffer() }
        updateChargePoint = try db.prepare("""
            UPDATE charge_points SET clock_skew_s = ?, clock_samples = ?, boots = ?, sessions = ?,
                heartbeat_interval_s = coalesce(?, heartbeat_interval_s) WHERE identity = ?
            """)
        energy = try db.prepare("""
            UPDATE charge_points SET energy_wh = (SELECT sum(energy_wh) FROM transactions WHERE charge_point = ?) WHERE identity = ?
            """)
    }

    /// Writes what is held, then reports the first write error, if any (the
    /// caller rolls back). Called at the end of each charge point.
    public func check() throws {
        flushSamples()
        if let failure { throw failure }
    }

    private func flushSamples() {
        let s = pendingSamples.count == HistoryWriter.samplesPerInsert ? insertSampleRows : insertSample
        // Bound where they lie, through a pointer: as values, each was copied
        // out and its strings retained and released (see SourceWriter.flush).
        pendingSamples.withUnsafeBufferPointer { rows in
            if s === insertSampleRows {
                for r in rows.indices { bind(rows.baseAddress! + r, to: s, at: Int32(r) * HistoryWriter.sampleColumns) }
                attempt { try s.run() }
            } else {
                for r in rows.indices {
                    bind(rows.baseAddress! + r, to: s, at: 0)
                    attempt { try s.run() }
                }
            }
        }
        pendingSamples.removeAll(keepingCapacity: true)
    }

    private func attempt(_ body: () throws -> Void) {
        do { try body() } catch { if failure == nil { failure = error } }
    }

    public func session(_ r: SessionRecord) {
        sessions += 1
        let s = insertSession
        s.bind(1, r.chargePoint)
        s.bind(2, Int64(r.number))
        s.bind(3, r.ocppVersion)
        s.bind(4, r.evse)
        s.bind(5, r.connector)
        s.bind(6, r.transactionId)
        s.bind(7, r.idToken)
        s.bind(8, r.idTokenType)
        s.bind(9, r.startedAt?.microseconds)
        s.bind(10, r.stoppedAt?.microseconds)
        s.bind(11, r.startedObserved?.microseconds)
        s.bind(12, r.stoppedObserved?.microseconds)
        s.bind(13, r.meterStartWh)
        s.bind(14, r.meterStopWh)
        s.bind(15, r.energyWh)
        s.bind(16, r.energySource)
        s.bind(17, r.exportWh)
        s.bind(18, r.maxPowerW)
        s.bind(19, r.stopReason)
        s.bind(20, r.startStatus)
        s.bind(21, r.remoteStartMessage)
        s.bind(22, r.remoteStopMessage)
        s.bind(23, r.startMessage)
        s.bind(24, r.stopMessage)
        var flags = "["
        for (i, f) in r.flags.enumerated() {
            if i > 0 { flags += "," }
            JSONValue.writeString(f, into: &flags)
        }
        s.bind(25, flags + "]")
        attempt { try s.run() }
    }

    public func meterSample(_ v: consuming MeterSample) {
        samples += 1
        pendingSamples.append(consume v)
        if pendingSamples.count == HistoryWriter.samplesPerInsert { flushSamples() }
    }

    private func bind(_ row: UnsafePointer<MeterSample>, to s: Statement, at base: Int32) {
        s.bind(base + 1, row.pointee.chargePoint)
        s.bind(base + 2, row.pointee.session)
        s.bind(base + 3, row.pointee.evse)
        s.bind(base + 4, row.pointee.connector)
        s.bind(base + 5, row.pointee.time?.microseconds)
        s.bind(base + 6, row.pointee.observed.microseconds)
        s.bind(base + 7, row.pointee.measurand)
        s.bind(base + 8, row.pointee.phase)
        s.bind(base + 9, row.pointee.location)
        s.bind(base + 10, row.pointee.context)
        s.bind(base + 11, row.pointee.unit)
        s.bind(base + 12, row.pointee.raw)
        s.bind(base + 13, row.pointee.value)
        s.bind(base + 14, row.pointee.normalizedUnit)
        s.bind(base + 15, row.pointee.signedData)
        s.bind(base + 16, row.pointee.message)
    }

    public func statusInterval(_ i: StatusInterval) {
        statuses += 1
        let s = insertStatus
        s.bind(1, i.chargePoint)
        s.bind(2, i.evse)
        s.bind(3, Int64(i.connector))
        s.bind(4, i.status)
        s.bind(5, i.errorCode)
        s.bind(6, i.info)
        s.bind(7, i.vendorErrorCode)
        s.bind(8, i.from.microseconds)
        s.bind(9, i.to?.microseconds)
        s.bind(10, i.reportedAt?.microseconds)
        s.bind(11, i.source)
        s.bind(12, i.message)
        s.bind(13, Int64(i.toIsDataEnd ? 1 : 0))
        attempt { try s.run() }
    }

    public func connectivity(_ i: ConnectivityInterval) {
        connectivities += 1
        let s = insertConnectivity
        s.bind(1, i.chargePoint)
        s.bind(2, Int64(i.online ? 1 : 0))
        s.bind(3, i.from.microseconds)
        s.bind(4, i.to.microseconds)
        s.bind(5, i.began)
        s.bind(6, i.ended)
        s.bind(7, i.fromMessage)
        s.bind(8, i.toMessage)
        s.bind(9, i.connection)
        attempt { try s.run() }
    }

    public func attempt(_ a: AttemptRecord) {
        attempts += 1
        let s = insertAttempt
        s.bind(1, a.chargePoint)
        s.bind(2, Int64(a.number))
        s.bind(3, a.ocppVersion)
        s.bind(4, a.evse)
        s.bind(5, a.connector)
        s.bind(6, a.startedAt.microseconds)
        s.bind(7, a.endedAt?.microseconds)
        s.bind(8, a.began)
        s.bind(9, a.ended)
        s.bind(10, a.idToken)
        s.bind(11, a.session)
        s.bind(12, a.transactionId)
        s.bind(13, a.energyWh)
        s.bind(14, a.readyAt?.microseconds)
        s.bind(15, a.chargeStartedAt?.microseconds)
        s.bind(16, a.stopReason)
        s.bind(17, a.outcome)
        s.bind(18, a.cause)
        s.bind(19, a.causeDetail)
        s.bind(20, jsonArray(a.flags))
        s.bind(21, a.startMessage)
        s.bind(22, a.endMessage)
        attempt { try s.run() }
    }

    private func jsonArray(_ items: [String]) -> String {
        var out = "["
        for (i, f) in items.enumerated() {
            if i > 0 { out += "," }
            JSONValue.writeString(f, into: &out)
        }
        return out + "]"
    }

    public func chargePoint(_ d: ChargePointDerived) {
        let s = updateChargePoint
        s.bind(1, d.clockSkewSeconds)
        s.bind(2, Int64(d.clockSamples))
        s.bind(3, Int64(d.boots))
        s.bind(4, Int64(d.sessions))
        s.bind(5, d.heartbeatInterval)
        s.bind(6, d.chargePoint)
        attempt { try s.run() }
        energy.bind(1, d.chargePoint)
        energy.bind(2, d.chargePoint)
        attempt { try energy.run() }
    }
}

/// One row of the port map: which port (and location) a connector belongs
/// to. For 2.x charge points `connector` names the EVSE.
public struct PortMapEntry: Sendable, Equatable {
    public var chargePoint: String
    public var connector: Int
    public var port: String
    public var location: String?
    public var maxKW: Double?

    public init(chargePoint: String, connector: Int, port: String, location: String? = nil, maxKW: Double? = nil) {
        self.chargePoint = chargePoint
        self.connector = connector
        self.port = port
        self.location = location
        self.maxKW = maxKW
    }
}

extension Store {
    /// Replaces the port map with `entries`, in one transaction.
    public func replacePortMap(_ entries: [PortMapEntry]) throws {
        try db.transaction {
            try db.execute("DELETE FROM port_map")
            let s = try db.prepare("INSERT INTO port_map(charge_point, connector, port, location, max_kw) VALUES (?, ?, ?, ?, ?)")
            for e in entries {
                s.reset()
                s.bind(1, e.chargePoint)
                s.bind(2, Int64(e.connector))
                s.bind(3, e.port)
                s.bind(4, e.location)
                s.bind(5, e.maxKW)
                try s.run()
            }
        }
    }

    /// The port map, ordered by charge point and connector.
    public func portMap() throws -> [PortMapEntry] {
        var out: [PortMapEntry] = []
        try rows("SELECT charge_point, connector, port, location, max_kw FROM port_map ORDER BY charge_point, connector") { r in
            out.append(PortMapEntry(chargePoint: r.text("charge_point") ?? "", connector: Int(r.int("connector") ?? 0), port: r.text("port") ?? "",
                                    location: r.text("location"), maxKW: r.double("max_kw")))
        }
        return out
    }
}

/// A stored message made into what the history reads, from its columns'
/// bytes: one rule for both ways of reading them (`Store.historyMessages`
/// through the index, `HistorySpill` in rowid order), so the two cannot
/// drift apart. Action names and versions are made into Strings once each.
struct StoredHistoryMessage {
    private var names = ActionNames()
    private var words = StoredWords()

    /// The action's name and kind; nil (NULL) is no action.
    mutating func action(_ raw: UnsafeRawBufferPointer?) -> (name: String?, kind: HistoryAction) {
        raw.map { names.name($0) } ?? (nil, .none)
    }

    /// `payload` is parsed (and its PayloadKey made) only for the actions the
    /// history reads; NULL texts are nil.
    mutating func message(id: Int64, time: Int64, connection: Int64, direction: Direction, type: MessageType,
                          action: (name: String?, kind: HistoryAction), payload: UnsafeRawBufferPointer?, request: Int64?,
                          errorCode: UnsafeRawBufferPointer?, version: UnsafeRawBufferPointer?) -> HistoryMessage {
        var parsed = JSONView.null
        var key = 0
        if action.kind.payloadRead, let payload {
            parsed = Store.parsePayload(payload)
            key = PayloadKey.of(payload)
        }
        return HistoryMessage(id: id, time: Timestamp(microseconds: time), connection: connection, direction: direction, type: type,
                              action: action.name, kind: action.kind, payload: parsed, payloadKey: key, request: request,
                              errorCode: errorCode.map { String(decoding: $0, as: UTF8.self) },
                              ocppVersion: version.map { words.version($0) })
    }
}
