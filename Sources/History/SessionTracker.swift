import Frames
import OCPP

/// Rebuilds charging sessions from 1.6 Start/Stop/MeterValues and 2.x
/// TransactionEvent, with energy derived carefully and flags where a user
/// must look. Sessions are held until `finish` so that flags that need the
/// whole picture (clock skew for late messages) are computed once.
final class SessionTracker {
    private let chargePoint: String
    private let options: HistoryOptions
    private let emitSample: (consuming MeterSample) -> Void
    /// The last message's samples, emptied for the next (`samples`).
    private var sampleBuffer: [ParsedSample] = []

    /// The samples of a `meterValue` array, in a buffer kept between
    /// messages (its storage is unique again once the caller lets go of it).
    private func samples(_ meterValues: JSONView?) -> [ParsedSample] {
        sampleBuffer.removeAll(keepingCapacity: true)
        MeterValueParser.samples(meterValues, into: &sampleBuffer)
        return sampleBuffer
    }

    /// A session being built.
    final class Building {
        var record: SessionRecord
        /// Register readings (Wh) in arrival order, with the charger's time.
        var readings: [(time: Timestamp?, wh: Double, isSample: Bool)] = []
        /// Scales (to Wh) the register was reported in: more than one is a unit change.
        var registerUnits: Set<Double> = []
        var exportFirst: Double?
        var exportLast: Double?
        var maxPowerSampleW: Double?
        var lastSampleTime: Timestamp?
        var lastSampleObserved: Timestamp?
        var seen: Set<Int> = []
        var lastSeqNo: Int?
        /// Smallest (payload time − observation) of its messages, s: very
        /// negative means replayed late.
        var minLag: Double?
        var open = true
        var rebootedDuring = false
        init(_ r: SessionRecord) { record = r }
        func flag(_ f: String) { if !record.flags.contains(f) { record.flags.append(f) } }
    }

    private var sessions: [Building] = []
    private var byTransactionId: [String: Building] = [:]
    private var openByPort: [PortKey: Building] = [:]
    private var usedTransactionIds: Set<String> = []
    private var pendingStarts: [Int64: (message: HistoryMessage, connector: Int?, idTag: String?, meterStart: Double?, time: Timestamp?)] = [:]
    private var remoteStarts: [(message: Int64, time: Timestamp, idTag: String?, connector: Int?, remoteStartId: Int?, accepted: Bool?)] = []
    private var remoteStartCalls: [Int64: Int] = [:]   // CALL id → index in remoteStarts

    struct PortKey: Hashable { var evse: Int?; var connector: Int? }

    init(chargePoint: String, options: HistoryOptions, emitSample: @escaping (consuming MeterSample) -> Void) {
        self.chargePoint = chargePoint
        self.options = options
        self.emitSample = emitSample
    }

    var count: Int { sessions.count }

    // MARK: Dispatch

    func message(_ m: HistoryMessage) {
        switch (m.kind, m.type) {
        case (.startTransaction, .call): startCall(m)
        case (.startTransaction, .callResult): startResult(m)
        case (.stopTransaction, .call): stopTransaction(m)
        case (.meterValues, .call): meterValues(m)
        case (.transactionEvent, .call): transactionEvent(m)
        case (.remoteStartTransaction, .call), (.requestStartTransaction, .call): remoteStartCall(m)
        case (.remoteStartTransaction, .callResult), (.requestStartTransaction, .callResult): remoteStartResult(m)
        case (.remoteStopTransaction, .call), (.requestStopTransaction, .call):
            if let id = idString(m.payload["transactionId"]), let s = byTransactionId[id], s.record.remoteStopMessage == nil {
                s.record.remoteStopMessage = m.id
            }
        case (.bootNotification, .call):
            for s in sessions where s.open {
                s.rebootedDuring = true
                s.flag("reboot_during_session")
            }
        default:
            break
        }
    }

    // MARK: OCPP 1.6

    private func startCall(_ m: HistoryMessage) {
        let p = m.payload
        pendingStarts[m.id] = (m, p["connectorId"]?.int, p["idTag"]?.string, p["meterStart"]?.double,
                               p["timestamp"]?.timestamp)
    }

    private func startResult(_ m: HistoryMessage) {
        guard let req = m.request, let start = pendingStarts.removeValue(forKey: req) else { return }
        let s = newSession(evse: nil, connector: start.connector, observed: start.message.time, version: start.message.ocppVersion)
        s.record.idToken = start.idTag
        s.record.startedAt = start.time
        s.record.startMessage = start.message.id
        s.record.meterStartWh = start.meterStart
        if let ms = start.meterStart { s.readings.append((start.time, ms, false)) }
        noteLag(s, payloadTime: start.time, observed: start.message.time)
        if let status = m.payload["idTagInfo"]?["status"]?.string, status != "Accepted" {
            s.record.startStatus = status
            s.flag("start_rejected")
        }
        if let id = idString(m.payload["transactionId"]) {
            bind(s, transactionId: id)
        }
        linkRemoteStart(s, idTag: start.idTag, connector: start.connector, remoteStartId: nil, at: start.message.time)
    }

    private func stopTransaction(_ m: HistoryMessage) {
        let p = m.payload
        let id = idString(p["transactionId"])
        var s = id.flatMap { byTransactionId[$0] }
        if s == nil || s?.open == false {
            if let s, s.open == false, duplicate(s, m) { return }
            // A stop for a session whose start is not in the data.
            let n = newSession(evse: nil, connector: nil, observed: m.time, version: m.ocppVersion)
            n.flag("missing_start")
            if let id { bind(n, transactionId: id, checkReuse: false) }
            n.record.idToken = p["idTag"]?.string
            s = n
        }
        let session = s!
        if duplicate(session, m) { return }
        let stopTime = p["timestamp"]?.timestamp
        noteLag(session, payloadTime: stopTime, observed: m.time)
        for sample in samples(p["transactionData"]) { add(sample, to: session, m, evse: nil, connector: session.record.connector) }
        if let stop = p["meterStop"]?.double {
            session.record.meterStopWh = stop
            session.readings.append((stopTime, stop, false))
        }
        session.record.stoppedAt = stopTime
        session.record.stoppedObserved = m.time
        session.record.stopMessage = m.id
        // 1.6 §6.49: an absent reason means Local.
        session.record.stopReason = p["reason"]?.string ?? "Local"
        close(session)
    }

    private func meterValues(_ m: HistoryMessage) {
        let p = m.payload
        let connector = p["connectorId"]?.int
        var session: Building?
        if let id = idString(p["transactionId"]) { session = byTransactionId[id] }
        if session == nil, let c = connector, c > 0 { session = openByPort[PortKey(evse: nil, connector: c)] }
        if let s = session, duplicate(s, m) { return }
        // Read once: the samples give both the rows and the lag (they were read twice before).
        let samples = samples(p["meterValue"])
        for sample in samples {
            add(sample, to: session, m, evse: nil, connector: connector)
        }
        if let s = session { noteLag(s, payloadTime: samples.last?.time, observed: m.time) }
    }

    // MARK: OCPP 2.0.1 / 2.1

    private func transactionEvent(_ m: HistoryMessage) {
        let p = m.payload
        guard let info = p["transactionInfo"], let id = idString(info["transactionId"]) else { return }
        let event = p["eventType"]?.string ?? ""
        let time = p["timestamp"]?.timestamp
        let evse = p["evse"]?["id"]?.int
        let connector = p["evse"]?["connectorId"]?.int
        var s = byTransactionId[id]
        var checked = false
        if let existing = s, !existing.open {
            if duplicate(existing, m) { return }
            checked = true
            existing.flag("event_after_end")
        }
        if s == nil {
            let n = newSession(evse: evse, connector: connector, observed: m.time, version: m.ocppVersion)
            bind(n, transactionId: id, checkReuse: true)
            n.record.startedAt = time
            n.record.startMessage = m.id
            if event != "Started" { n.flag("missing_start") }
            s = n
        }
        let session = s!
        if !checked && duplicate(session, m) { return }
        if session.record.evse == nil { session.record.evse = evse }
        if session.record.connector == nil, let connector {
            session.record.connector = connector
            openByPort[PortKey(evse: session.record.evse, connector: connector)] = session
        }
        if let token = p["idToken"], session.record.idToken == nil {
            session.record.idToken = token["idToken"]?.string
            session.record.idTokenType = token["type"]?.string
        }
        if let seq = p["seqNo"]?.int {
            if let last = session.lastSeqNo, seq != last + 1 { session.flag("seq_gap") }
            session.lastSeqNo = seq
        }
        if p["offline"]?.bool == true { session.flag("offline_messages") }
        noteLag(session, payloadTime: time, observed: m.time)
        if let rid = info["remoteStartId"]?.int {
            linkRemoteStart(session, idTag: nil, connector: nil, remoteStartId: rid, at: m.time)
        }
        let samples = samples(p["meterValue"])
        for sample in samples {
            add(sample, to: session, m, evse: session.record.evse, connector: session.record.connector)
            if sample.isImportRegister, let v = sample.value {
                if sample.context == "Transaction.Begin" || (event == "Started" && session.record.meterStartWh == nil) {
                    session.record.meterStartWh = v
                }
                if sample.context == "Transaction.End" || event == "Ended" { session.record.meterStopWh = v }
            }
        }
        if event == "Ended" {
            session.record.stoppedAt = time
            session.record.stoppedObserved = m.time
            session.record.stopMessage = m.id
            // 2.0.1 E06: stoppedReason may be omitted when the reason is Local.
            session.record.stopReason = info["stoppedReason"]?.string ?? "Local"
            close(session)
        }
    }

    // MARK: Remote starts

    private func remoteStartCall(_ m: HistoryMessage) {
        let p = m.payload
        let idTag = p["idTag"]?.string ?? p["idToken"]?["idToken"]?.string
        let connector = p["connectorId"]?.int ?? p["evseId"]?.int
        remoteStarts.append((m.id, m.time, idTag, connector, p["remoteStartId"]?.int, nil))
        remoteStartCalls[m.id] = remoteStarts.count - 1
    }

    private func remoteStartResult(_ m: HistoryMessage) {
        guard let req = m.request, let i = remoteStartCalls[req] else { return }
        remoteStarts[i].accepted = m.payload["status"]?.string == "Accepted"
    }

    private func linkRemoteStart(_ s: Building, idTag: String?, connector: Int?, remoteStartId: Int?, at time: Timestamp) {
        guard s.record.remoteStartMessage == nil else { return }
        let window = options.remoteStartWindowSeconds * 1_000_000
        let match = remoteStarts.lastIndex { r in
            if let rid = remoteStartId { return r.remoteStartId == rid }
            guard r.accepted != false, time.microseconds >= r.time.microseconds,
                  time.microseconds - r.time.microseconds <= window else { return false }
            if let want = r.idTag, let got = idTag, want != got { return false }
            if let want = r.connector, let got = connector, want != got { return false }
            return true
        }
        if let i = match {
            s.record.remoteStartMessage = remoteStarts[i].message
            remoteStarts.remove(at: i)
            remoteStartCalls = remoteStartCalls.filter { $0.value != i }.mapValues { $0 > i ? $0 - 1 : $0 }
        }
    }

    // MARK: Building blocks

    private func newSession(evse: Int?, connector: Int?, observed: Timestamp, version: String?) -> Building {
        let key = PortKey(evse: evse, connector: connector)
        if connector != nil, let previous = openByPort[key], previous.open {
            // A new session on a port whose last one never stopped.
            previous.flag("missing_stop")
            previous.record.stopReason = previous.record.stopReason ?? "missing"
            close(previous)
        }
        var r = SessionRecord(chargePoint: chargePoint, number: sessions.count + 1)
        r.evse = evse
        r.connector = connector
        r.startedObserved = observed
        r.ocppVersion = version
        let b = Building(r)
        sessions.append(b)
        if connector != nil { openByPort[key] = b }
        return b
    }

    private func bind(_ s: Building, transactionId id: String, checkReuse: Bool = true) {
        if checkReuse && usedTransactionIds.contains(id) { s.flag("transaction_id_reused") }
        usedTransactionIds.insert(id)
        s.record.transactionId = id
        byTransactionId[id] = s
    }

    /// Whether this message repeats one already counted for the session.
    private func duplicate(_ s: Building, _ m: HistoryMessage) -> Bool {
        var h = Hasher()
        h.combine(m.kind)
        h.combine(m.payloadKey)
        let key = h.finalize()
        if s.seen.contains(key) {
            s.flag("duplicate_messages")
            return true
        }
        s.seen.insert(key)
        return false
    }

    private func noteLag(_ s: Building, payloadTime: Timestamp?, observed: Timestamp) {
        guard let t = payloadTime else { return }
        let lag = Double(t.microseconds - observed.microseconds) / 1_000_000
        s.minLag = min(s.minLag ?? lag, lag)
    }

    private func add(_ p: ParsedSample, to s: Building?, _ m: HistoryMessage, evse: Int?, connector: Int?) {
        emitSample(MeterSample(chargePoint: chargePoint, session: s?.record.number, evse: evse, connector: connector,
                               time: p.time, observed: m.time, measurand: p.measurand, phase: p.phase, location: p.location,
                               context: p.context, unit: p.unit, raw: p.raw, value: p.value, normalizedUnit: p.normalizedUnit,
                               signedData: p.signedData, message: m.id))
        guard let s, let v = p.value else { return }
        if p.isImportRegister {
            s.readings.append((p.time, v, true))
            s.registerUnits.insert(p.scale)
            s.lastSampleTime = p.time ?? s.lastSampleTime
            s.lastSampleObserved = m.time
        } else if p.isExportRegister {
            if s.exportFirst == nil { s.exportFirst = v }
            s.exportLast = v
        } else if p.isActivePowerImport {
            s.maxPowerSampleW = max(s.maxPowerSampleW ?? v, v)
        }
    }

    private func close(_ s: Building) {
        s.open = false
        let key = PortKey(evse: s.record.evse, connector: s.record.connector)
        if openByPort[key] === s { openByPort[key] = nil }
    }

    private func idString(_ v: JSONView?) -> String? { v?.scalarText }

    // MARK: Finishing

    /// Computes energy and flags of every session and returns them in order.
    /// `clockSkew` is the charge point's median skew (s).
    func finish(clockSkew: Double?) -> [SessionRecord] {
        for (_, start) in pendingStarts.sorted(by: { $0.key < $1.key }) {
            // A StartTransaction never answered: the session may still have run.
            let s = newSession(evse: nil, connector: start.connector, observed: start.message.time, version: start.message.ocppVersion)
            s.record.idToken = start.idTag
            s.record.startedAt = start.time
            s.record.startMessage = start.message.id
            s.record.meterStartWh = start.meterStart
            if let ms = start.meterStart { s.readings.insert((start.time, ms, false), at: 0) }
            s.flag("start_unanswered")
        }
        pendingStarts.removeAll()
        return sessions.map { finalize($0, clockSkew: clockSkew) }
    }

    private func finalize(_ s: Building, clockSkew: Double?) -> SessionRecord {
        var r = s.record
        if s.open {
            r.flags.append(s.rebootedDuring ? "missing_stop" : "open_at_end")
            if s.rebootedDuring { r.stopReason = r.stopReason ?? "missing" }
            r.stoppedAt = s.lastSampleTime
            r.stoppedObserved = s.lastSampleObserved
        }
        // Order readings by the charger's time: a StopTransaction's
        // transactionData repeats the Transaction.Begin reading at the end.
        // Readings without a time keep their place after the previous one.
        var lastTime = Int64.min
        let ordered = s.readings.enumerated().map { (i, r) -> (Int64, Int, (time: Timestamp?, wh: Double, isSample: Bool)) in
            if let t = r.time { lastTime = t.microseconds }
            return (lastTime, i, r)
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        let values = ordered.map(\.wh)
        var positive = 0.0
        var decreased = false, reset = false
        for (a, b) in zip(values, values.dropFirst()) {
            if b >= a { positive += b - a } else {
                decreased = true
                if b < 100 || b < a * 0.05 { reset = true }
            }
        }
        if decreased { r.flags.append(reset ? "meter_reset" : "register_backwards") }
        if let start = r.meterStartWh, let stop = r.meterStopWh, !r.flags.contains("missing_stop") {
            if stop < start { r.flags.append("stop_below_start") }
            if stop >= start && !decreased {
                r.energyWh = stop - start
                r.energySource = "meter_stop_minus_start"
            }
            let lastSample = ordered.last(where: { $0.isSample })?.wh
            // Samples come before the stop, so the stop is normally a little
            // higher; a sample above the stop means the two disagree.
            if let ls = lastSample, ls > stop + options.stopSampleToleranceWh {
                r.flags.append("stop_sample_mismatch")
            }
        }
        if r.energyWh == nil && values.count >= 2 {
            r.energyWh = positive
            r.energySource = (r.meterStopWh == nil || s.open || r.flags.contains("missing_stop")) ? "last_sample_estimated" : "register_samples"
            if r.energySource == "last_sample_estimated" { r.flags.append("estimated") }
        }
        if r.energyWh == nil { r.flags.append("no_meter_data") }
        if s.registerUnits.count > 1 { r.flags.append("unit_change") }
        if let first = s.exportFirst, let last = s.exportLast { r.exportWh = max(0, last - first) }
        // Peak power: from Power.Active.Import samples, else from register steps.
        var peak = s.maxPowerSampleW
        if peak == nil {
            let timed = ordered.filter { $0.isSample && $0.time != nil }
            for (a, b) in zip(timed, timed.dropFirst()) {
                let dt = Double(b.time!.microseconds - a.time!.microseconds) / 3_600_000_000
                if dt > 0 && b.wh >= a.wh { peak = max(peak ?? 0, (b.wh - a.wh) / dt) }
            }
        }
        r.maxPowerW = peak
        if let e = r.energyWh, e > 0 {
            let start = r.startedAt ?? r.startedObserved
            let stop = r.stoppedAt ?? r.stoppedObserved
            if let a = start, let b = stop {
                let hours = Double(b.microseconds - a.microseconds) / 3_600_000_000
                if hours <= 0 || e / hours > options.implausiblePowerKW * 1000 { r.flags.append("implausible_power") }
            }
        }
        if let lag = s.minLag, lag - (clockSkew ?? 0) < -options.lateSeconds { r.flags.append("late_messages") }
        return r
    }
}
