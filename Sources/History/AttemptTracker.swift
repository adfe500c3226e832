import Frames
import OCPP

/// Charge attempts per port, and why each failed.
///
/// An attempt begins when a driver starts to use a port: the connector
/// leaves Available for Preparing (1.6) or becomes Occupied (2.x), a 2.x
/// TransactionEvent is Started or reports CablePluggedIn, EVDetected or
/// Authorized, an Authorize arrives, the CSMS asks for a remote start, or a
/// session starts with none of these before it. It ends when the port is
/// Available again, when the next attempt begins on the port, or when no
/// session started within `attemptWindowSeconds` of its last plug-in or
/// authorization (a timeout).
///
/// The outcome, in this order of precedence:
/// - without a session: `start-rejected` (RemoteStart/RequestStart Rejected
///   or answered with a CALLERROR), `authorization-rejected` (the Authorize
///   answer's status), `authorization-unanswered` (no answer, or a
///   CALLERROR), `fault` (the port, or the whole 1.6 charge point, Faulted or
///   reporting an error code during the attempt), `offline`, else
///   `no-session`;
/// - with one: `start-rejected` (1.6 idTagInfo, 2.x idTokenInfo not
///   Accepted, StartTransaction answered with a CALLERROR),
///   `authorization-rejected` (stopped DeAuthorized), `fault`,
///   `stopped-by-charger` (a stop reason that is not the driver's or the
///   EV's: EmergencyStop, PowerLoss, Reboot, Other, GroundFault, …),
///   `offline` (when the stop was not seen or too little energy flowed),
///   `low-energy` (at most `minimumEnergyWh`), else `success`.
///
/// Honest edges: an attempt still running when the data ends, or begun
/// before it (its session's start not seen, its connector's first report
/// already Preparing), is `incomplete` — never failed; a session whose stop
/// was never seen is `unknown`. Sessions are joined to attempts by their
/// number and port, never by transaction id: ids that do not rise with time
/// (`transaction_id_not_rising`), reused ids (`transaction_id_reused`) and
/// sessions overlapping on one port (`overlapping_sessions`, each its own
/// attempt) are flagged, not merged.
final class AttemptTracker {
    private let chargePoint: String
    private let options: HistoryOptions

    /// A port as the history knows it: 1.6 a connector, 2.x an EVSE.
    struct Port: Hashable { var evse: Int?; var connector: Int? }

    private enum Kind {
        case begin(port: Port?, connector: Int?, how: String, token: String?, authorize: Int64?, remote: Int64?)
        case charging(Port, connector: Int?)
    }
    private struct Event { var time: Timestamp; var message: Int64; var kind: Kind }

    private var events: [Event] = []
    private var statuses: [StatusInterval] = []
    private var offline: [ConnectivityInterval] = []
    /// CALL id → status of its answer (`Accepted`, `Invalid`, `CALLERROR code`).
    private var answers: [Int64: String] = [:]
    private var transactionEventCalls: [Int64: String] = [:]
    private var transactionEvse: [String: (evse: Int?, connector: Int?)] = [:]
    /// 2.x transactions whose TransactionEvent answer refused the id token.
    private var transactionRejected: [String: String] = [:]
    /// Per session number: the first register reading, and when it first rose.
    private var registers: [Int: (first: Double, firstAt: Timestamp, riseAt: Timestamp?)] = [:]
    private var version: String?

    init(chargePoint: String, options: HistoryOptions) {
        self.chargePoint = chargePoint
        self.options = options
    }

    // MARK: Collecting

    func statusInterval(_ i: StatusInterval) { statuses.append(i) }
    func connectivity(_ i: ConnectivityInterval) { if !i.online { offline.append(i) } }

    func meterSample(_ v: MeterSample) {
        guard let n = v.session, v.measurand == "Energy.Active.Import.Register", v.phase == nil,
              v.location == nil || v.location == "Outlet", let wh = v.value else { return }
        if var r = registers[n] {
            if r.riseAt == nil && wh > r.first { r.riseAt = v.observed }
            registers[n] = r
        } else {
            registers[n] = (wh, v.observed, nil)
        }
    }

    func message(_ m: HistoryMessage) {
        guard m.kind != .none else { return }
        if version == nil { version = m.ocppVersion }
        let p = m.payload
        switch (m.kind, m.type) {
        case (.authorize, .call):
            let token = p["idTag"]?.string ?? p["idToken"]?["idToken"]?.string
            events.append(Event(time: m.time, message: m.id, kind: .begin(port: nil, connector: nil, how: "authorize", token: token, authorize: m.id, remote: nil)))
        case (.authorize, .callResult):
            if let r = m.request { answers[r] = p["idTagInfo"]?["status"]?.string ?? p["idTokenInfo"]?["status"]?.string ?? "Accepted" }
        case (.remoteStartTransaction, .call), (.requestStartTransaction, .call):
            let token = p["idTag"]?.string ?? p["idToken"]?["idToken"]?.string
            let port: Port? = m.kind == .requestStartTransaction
                ? p["evseId"]?.int.map { Port(evse: $0, connector: nil) }
                : p["connectorId"]?.int.map { Port(evse: nil, connector: $0) }
            events.append(Event(time: m.time, message: m.id, kind: .begin(port: port, connector: nil, how: "remote-start", token: token, authorize: nil, remote: m.id)))
        case (.remoteStartTransaction, .callResult), (.requestStartTransaction, .callResult):
            if let r = m.request { answers[r] = p["status"]?.string ?? "Accepted" }
        case (.transactionEvent, .call):
            transactionEvent(m)
        case (.transactionEvent, .callResult):
            if let r = m.request, let tx = transactionEventCalls.removeValue(forKey: r),
               let status = p["idTokenInfo"]?["status"]?.string, status != "Accepted" {
                transactionRejected[tx] = transactionRejected[tx] ?? status
            }
        case (_, .callError), (_, .callResultError):
            if let r = m.request { answers[r] = "CALLERROR " + (m.errorCode ?? "?") }
        default:
            break
        }
    }

    private func transactionEvent(_ m: HistoryMessage) {
        let p = m.payload
        guard let tx = p["transactionInfo"]?["transactionId"].flatMap(Self.idString) else { return }
        transactionEventCalls[m.id] = tx
        var evse = p["evse"]?["id"]?.int, connector = p["evse"]?["connectorId"]?.int
        if let known = transactionEvse[tx] {
            evse = evse ?? known.evse
            connector = connector ?? known.connector
        }
        transactionEvse[tx] = (evse, connector)
        let port = evse.map { Port(evse: $0, connector: nil) }
        let trigger = p["triggerReason"]?.string ?? ""
        let how: String? = switch trigger {
        case "CablePluggedIn": "plugged-in"
        case "EVDetected": "ev-detected"
        case "Authorized": "authorized"
        case "RemoteStart": "remote-start"
        default: p["eventType"]?.string == "Started" ? "transaction" : nil
        }
        if let how {
            events.append(Event(time: m.time, message: m.id, kind: .begin(port: port, connector: connector, how: how,
                                                                          token: p["idToken"]?["idToken"]?.string, authorize: nil, remote: nil)))
        }
        if p["transactionInfo"]?["chargingState"]?.string == "Charging", let port {
            events.append(Event(time: m.time, message: m.id, kind: .charging(port, connector: connector)))
        }
    }

    static func idString(_ v: JSONView) -> String? { v.scalarText }

    // MARK: Building

    /// An attempt being built.
    private final class Building {
        var record: AttemptRecord
        var port: Port?
        var lastSignal: Timestamp
        var signals: [Timestamp] = []
        var authorizeCalls: [Int64] = []
        var remoteCalls: [Int64] = []
        var session: SessionRecord?
        var sessionStopped = false
        var fault: String?
        var chargingAt: Timestamp?
        var beforeData = false
        init(_ r: AttemptRecord, port: Port?) {
            record = r
            self.port = port
            lastSignal = r.startedAt
            signals = [r.startedAt]
        }
        func flag(_ f: String) { if !record.flags.contains(f) { record.flags.append(f) } }
    }

    private enum Item {
        case status(StatusInterval)
        case event(Event)
        case sessionStart(SessionRecord)
        case sessionStop(SessionRecord)
    }

    private var open: [Port?: Building] = [:]
    private var done: [Building] = []
    private var current: [StatusTracker.Key: StatusInterval] = [:]
    private var lastNumericTransaction: Double?

    private var window: Int64 { options.attemptWindowSeconds * 1_000_000 }

    /// Builds the attempts from everything collected and the finished
    /// sessions, and returns them in start order.
    func finish(sessions: [SessionRecord], dataEnd: Timestamp?) -> [AttemptRecord] {
        var items: [(time: Timestamp, message: Int64, order: Int, item: Item)] = []
        for s in statuses { items.append((s.from, s.message, 0, .status(s))) }
        for e in events { items.append((e.time, e.message, 1, .event(e))) }
        for s in sessions {
            if let t = s.startedObserved, !s.flags.contains("missing_start") || s.startMessage != nil {
                items.append((t, s.startMessage ?? 0, 2, .sessionStart(s)))
            } else if let t = s.stoppedObserved ?? s.startedObserved {
                // Only its stop was seen: an attempt begun before the data.
                items.append((t, s.stopMessage ?? 0, 2, .sessionStart(s)))
            }
            // A stop never seen (missing_stop) is not a stop: the next session on the port ends the attempt.
            if let t = s.stoppedObserved, !s.flags.contains("open_at_end") {
                items.append((t, s.stopMessage ?? s.startMessage ?? 0, 3, .sessionStop(s)))
            }
        }
        items.sort { ($0.time, $0.message, $0.order) < ($1.time, $1.message, $1.order) }

        var ports = Set<Port>()
        for s in statuses { if let p = port(of: s) { ports.insert(p) } }
        for s in sessions { if let p = port(of: s) { ports.insert(p) } }
        let onlyPort = ports.count == 1 ? ports.first : nil
        var seenConnectors = Set<StatusTracker.Key>()

        for (index, entry) in items.enumerated() {
            expire(before: entry.time)
            switch entry.item {
            case .status(let s):
                let key = StatusTracker.Key(evse: s.evse, connector: s.connector)
                let first = seenConnectors.insert(key).inserted
                current[key] = s
                applyStatus(s, firstReport: first)
            case .event(let e):
                switch e.kind {
                case let .begin(port, connector, how, token, authorize, remote):
                    var p = port
                    if p == nil { p = resolvePort(token: token, remote: remote, from: index, items: items, sessions: sessions) ?? onlyPort }
                    begin(p, connector: connector, how: how, token: token, authorize: authorize, remote: remote, at: e.time, message: e.message)
                case let .charging(p, connector):
                    if let b = open[p], b.record.connector == nil || connector == nil || b.record.connector == connector {
                        b.chargingAt = b.chargingAt ?? e.time
                    }
                }
            case .sessionStart(let s):
                sessionStarted(s, at: entry.time)
            case .sessionStop(let s):
                for b in open.values where b.session?.number == s.number { b.sessionStopped = true }
            }
        }
        // The end of the data: attempts without a session that waited longer
        // than the window timed out; the others are cut.
        for (key, b) in open {
            if b.session == nil, let end = dataEnd, end.microseconds - b.lastSignal.microseconds > window {
                close(key, at: Timestamp(microseconds: b.lastSignal.microseconds + window), how: "timeout", message: nil)
            } else if b.sessionStopped, let stop = b.session?.stoppedObserved {
                close(key, at: max(stop, b.record.startedAt), how: "session-stop", message: b.session?.stopMessage)
            } else {
                close(key, at: dataEnd.map { max($0, b.record.startedAt) }, how: "end-of-data", message: nil, cut: true)
            }
        }
        done.sort { ($0.record.startedAt, $0.record.startMessage ?? 0) < ($1.record.startedAt, $1.record.startMessage ?? 0) }
        return done.enumerated().map { i, b in
            var r = b.record
            r.number = i + 1
            r.ocppVersion = r.ocppVersion ?? version
            return r
        }
    }

    private func port(of s: StatusInterval) -> Port? {
        if let e = s.evse { return Port(evse: e, connector: nil) }
        return s.connector > 0 ? Port(evse: nil, connector: s.connector) : nil
    }

    private func port(of s: SessionRecord) -> Port? {
        if let e = s.evse { return Port(evse: e, connector: nil) }
        return s.connector.map { Port(evse: nil, connector: $0) }
    }

    /// The port of an Authorize or a remote start that did not name one: an
    /// attempt already waiting for a driver, else the remote start's session,
    /// else the first port that starts a session for the same token or gets
    /// plugged in within the window.
    private func resolvePort(token: String?, remote: Int64?, from index: Int,
                             items: [(time: Timestamp, message: Int64, order: Int, item: Item)], sessions: [SessionRecord]) -> Port? {
        if remote == nil,
           let waiting = open.filter({ $0.value.session == nil && $0.value.record.idToken == nil && $0.key != nil })
            .min(by: { $0.value.record.startedAt < $1.value.record.startedAt }) {
            return waiting.key
        }
        if let r = remote, let s = sessions.first(where: { $0.remoteStartMessage == r }) { return port(of: s) }
        let start = items[index].time.microseconds
        for entry in items[(index + 1)...] {
            if entry.time.microseconds - start > window { break }
            switch entry.item {
            case .sessionStart(let s) where token == nil || s.idToken == nil || s.idToken == token:
                return port(of: s)
            case .status(let s) where s.status == "Preparing" || s.status == "Occupied":
                return port(of: s)
            case .event(let e):
                if case let .begin(p?, _, how, t, _, _) = e.kind, how != "remote-start", token == nil || t == nil || t == token { return p }
            default:
                continue
            }
        }
        return nil
    }

    private func newAttempt(_ port: Port?, connector: Int?, how: String, at t: Timestamp, message: Int64?) -> Building {
        var r = AttemptRecord(chargePoint: chargePoint, number: 0, startedAt: t, began: how)
        r.evse = port?.evse
        r.connector = port?.connector ?? connector
        r.startMessage = message
        let b = Building(r, port: port)
        if port == nil { b.flag("port_unknown") }
        open[port] = b
        // A port already faulted when the driver arrives fails them too.
        for (key, s) in current where isFault(s) && applies(key, to: b) { b.fault = b.fault ?? faultName(s) }
        return b
    }

    private func begin(_ port: Port?, connector: Int?, how: String, token: String?, authorize: Int64?, remote: Int64?,
                       at t: Timestamp, message: Int64) {
        var b = open[port]
        if let existing = b {
            if existing.sessionStopped {
                close(port, at: t, how: "next-attempt", message: message)
                b = nil
            } else if existing.session != nil && existing.chargingAt != nil && (how == "authorize" || how == "remote-start") {
                // An Authorize while a session charges is usually the one that stops it.
                return
            }
        }
        let a = b ?? newAttempt(port, connector: connector, how: how, at: t, message: message)
        if a.record.idToken == nil { a.record.idToken = token }
        if a.record.connector == nil { a.record.connector = connector }
        if let c = authorize { a.authorizeCalls.append(c) }
        if let c = remote { a.remoteCalls.append(c) }
        a.lastSignal = t
        if !a.signals.contains(t) { a.signals.append(t) }
    }

    private func sessionStarted(_ s: SessionRecord, at t: Timestamp) {
        let port = port(of: s)
        var overlapped = false
        if let b = open[port], b.session != nil {
            // A second session on the port: the first stopped (a new attempt),
            // or still runs (both flagged, each its own attempt).
            overlapped = !b.sessionStopped && b.session?.stoppedObserved != nil
            if overlapped { b.flag("overlapping_sessions") }
            close(port, at: t, how: "next-attempt", message: s.startMessage)
        }
        let b = open[port] ?? newAttempt(port, connector: s.connector, how: "transaction", at: t, message: s.startMessage)
        if overlapped { b.flag("overlapping_sessions") }
        b.session = s
        if b.record.connector == nil { b.record.connector = s.connector }
        if b.record.idToken == nil { b.record.idToken = s.idToken }
        b.record.transactionId = s.transactionId
        if s.flags.contains("missing_start") { b.beforeData = true }
        if s.flags.contains("transaction_id_reused") { b.flag("transaction_id_reused") }
        if let id = s.transactionId, let n = Double(id) {
            if let last = lastNumericTransaction, n < last { b.flag("transaction_id_not_rising") }
            lastNumericTransaction = n
        }
        b.lastSignal = t
    }

    private func isFault(_ s: StatusInterval) -> Bool {
        s.status == "Faulted" || (s.errorCode.map { $0 != "NoError" && !$0.isEmpty } ?? false)
    }

    private func faultName(_ s: StatusInterval) -> String {
        if let e = s.errorCode, e != "NoError", !e.isEmpty { return e == "OtherError" ? (s.vendorErrorCode ?? e) : e }
        return s.vendorErrorCode ?? s.info ?? s.status
    }

    /// Whether a status report of `key` concerns attempt `b`: its own port,
    /// or the whole charge point (1.6 connector 0, a 2.x report without EVSE).
    private func applies(_ key: StatusTracker.Key, to b: Building) -> Bool {
        if key.evse == nil && key.connector == 0 { return true }
        guard let p = b.port else { return false }
        if let e = key.evse {
            guard p.evse == e else { return false }
            return b.record.connector == nil || key.connector == 0 || b.record.connector == key.connector
        }
        return p.evse == nil && p.connector == key.connector
    }

    private func applyStatus(_ s: StatusInterval, firstReport: Bool) {
        let key = StatusTracker.Key(evse: s.evse, connector: s.connector)
        if isFault(s) {
            for b in open.values where applies(key, to: b) && !b.sessionStopped { b.fault = b.fault ?? faultName(s) }
        }
        guard let port = port(of: s) else { return }
        switch s.status {
        case "Available":
            if let b = open[port], b.record.connector == nil || s.evse == nil || b.record.connector == s.connector {
                close(port, at: s.from, how: "available", message: s.message)
            }
        case "Preparing", "Occupied":
            if let b = open[port], b.sessionStopped { close(port, at: s.from, how: "next-attempt", message: s.message) }
            if open[port] == nil {
                let b = newAttempt(port, connector: s.evse == nil ? s.connector : (s.connector > 0 ? s.connector : nil),
                                   how: s.status == "Preparing" ? "preparing" : "occupied", at: s.from, message: s.message)
                if firstReport { b.beforeData = true; b.flag("started_before_data") }
            }
        case "Charging":
            if let b = open[port], b.session != nil || b.chargingAt == nil { b.chargingAt = b.chargingAt ?? s.from }
        default:
            break
        }
    }

    /// Attempts without a session whose last plug-in or authorization is
    /// older than the window have timed out.
    private func expire(before t: Timestamp) {
        for (key, b) in open where b.session == nil && t.microseconds - b.lastSignal.microseconds > window {
            close(key, at: Timestamp(microseconds: b.lastSignal.microseconds + window), how: "timeout", message: nil)
        }
    }

    private func close(_ port: Port?, at t: Timestamp?, how: String, message: Int64?, cut: Bool = false) {
        guard let b = open.removeValue(forKey: port) else { return }
        b.record.endedAt = t
        b.record.ended = how
        b.record.endMessage = message
        judge(b, end: t, cut: cut)
        done.append(b)
    }

    // MARK: Judging

    private func judge(_ b: Building, end: Timestamp?, cut: Bool) {
        var r = b.record
        let s = b.session
        r.session = s?.number
        r.energyWh = s?.energyWh
        r.stopReason = s?.stopReason
        // Energy flowing: the first register rise or Charging report within the attempt.
        var flowing = b.chargingAt
        if let s, let reg = registers[s.number] {
            let rise = (s.meterStartWh.map { reg.first > $0 } ?? false) ? reg.firstAt : reg.riseAt
            if let rise, rise >= r.startedAt { flowing = min(flowing ?? rise, rise) }
        }
        r.chargeStartedAt = flowing
        if let f = flowing {
            r.readyAt = b.signals.filter { $0 <= f }.max() ?? r.startedAt
        }
        let offlineDuring = offline.contains { o in
            o.from.microseconds < (end ?? b.lastSignal).microseconds && o.to.microseconds > r.startedAt.microseconds
        }
        if offlineDuring { b.flag("offline_during_attempt"); r.flags = b.record.flags }

        func fail(_ cause: String, _ detail: String? = nil) {
            r.outcome = "failed"
            r.cause = cause
            r.causeDetail = detail
        }
        let remoteAnswers = b.remoteCalls.map { answers[$0] }
        let authAnswers = b.authorizeCalls.map { answers[$0] }

        if let s {
            let startError = s.startMessage.flatMap { answers[$0] }.flatMap { $0.hasPrefix("CALLERROR") ? $0 : nil }
            let rejected = s.transactionId.flatMap { transactionRejected[$0] }
            if let status = s.startStatus ?? rejected {
                fail("start-rejected", status)
            } else if let e = startError {
                fail("start-rejected", e)
            } else if s.stopReason == "DeAuthorized" {
                fail("authorization-rejected", "DeAuthorized")
            } else if flowing == nil, let a = authAnswers.last ?? nil, a != "Accepted" {
                // 2.x: the transaction began at plug-in, the driver's token was refused.
                fail(a.hasPrefix("CALLERROR") ? "authorization-unanswered" : "authorization-rejected", a)
            } else if flowing == nil, s.stopReason == "Timeout" {
                // 2.x: nothing started within the charger's own timeout.
                fail("no-session", "Timeout")
            } else if s.flags.contains("open_at_end") && !b.sessionStopped {
                // Still running when the data ends; if the port was free
                // again before that, its stop was lost instead.
                r.outcome = cut ? "incomplete" : "unknown"
            } else if let f = b.fault {
                fail("fault", f)
            } else if let reason = s.stopReason, reason != "missing", !StopReasons.driverOrEV.contains(reason) {
                fail("stopped-by-charger", reason)
            } else if s.stopReason == "missing" && s.flags.contains("reboot_during_session") {
                fail("stopped-by-charger", "Reboot")
            } else if offlineDuring && (s.stopReason == nil || s.stopReason == "missing" || (s.energyWh ?? 0) <= options.minimumEnergyWh) {
                fail("offline")
            } else if b.beforeData {
                r.outcome = "incomplete"
            } else if s.stopReason == nil || s.stopReason == "missing" {
                r.outcome = "unknown"
            } else if (s.energyWh ?? 0) <= options.minimumEnergyWh {
                fail("low-energy", s.energyWh.map { abs($0) < 9e15 ? "\(Int($0.rounded())) Wh" : "\($0) Wh" } ?? "no meter data")
            } else {
                r.outcome = "success"
            }
        } else {
            let lastRemote = remoteAnswers.last ?? nil
            let lastAuth = authAnswers.last ?? nil
            if !remoteAnswers.isEmpty, !remoteAnswers.contains("Accepted"), let a = lastRemote {
                fail("start-rejected", a)
            } else if let a = lastAuth, a != "Accepted", !a.hasPrefix("CALLERROR") {
                fail("authorization-rejected", a)
            } else if let a = lastAuth, a.hasPrefix("CALLERROR") {
                fail("authorization-unanswered", a)
            } else if !authAnswers.isEmpty && lastAuth == nil && !cut {
                fail("authorization-unanswered")
            } else if let f = b.fault {
                fail("fault", f)
            } else if offlineDuring {
                fail("offline")
            } else if cut || b.beforeData {
                r.outcome = "incomplete"
            } else {
                fail("no-session")
            }
        }
        // Cut by the start of the data: what would be a failure is not known to be one.
        if b.beforeData && r.outcome == "failed" { r.outcome = "incomplete"; r.cause = nil; r.causeDetail = nil }
        if b.beforeData { b.flag("started_before_data") }
        r.flags = b.record.flags
        b.record = r
    }
}
