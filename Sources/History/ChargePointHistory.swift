import Frames
import OCPP

/// The history of one charge point: fed its connections and its messages in
/// time order, it reports sessions, meter samples, status and connectivity
/// intervals and what it learned about the charge point.
///
/// Sessions use the charger's timestamps (and keep the observed ones beside
/// them); status and connectivity use observation time, so that the two can
/// be combined into uptime without mixing clocks.
public final class ChargePointHistory {
    public let chargePoint: String
    private let options: HistoryOptions
    private let sink: HistorySink
    private let dataEnd: Timestamp?
    private var sessions: SessionTracker!
    private var status: StatusTracker!
    private var connectivity: ConnectivityTracker!
    private var attempts: AttemptTracker!
    /// Connection opens and closes not yet applied, in time order.
    private var events: [(time: Timestamp, open: Bool, connection: HistoryConnection)] = []
    private var nextEvent = 0
    private var skews: [Double] = []
    private var heartbeat: Int?
    /// Configuration changes of the heartbeat interval awaiting their answer.
    private var pendingHeartbeat: [Int64: Int] = [:]

    /// WebSocket pings and pongs from the charge point, in time order: signs
    /// of life between messages.
    private var keepAlives: [Timestamp] = []
    private var nextKeepAlive = 0

    public init(chargePoint: String, connections: [HistoryConnection], keepAlives: [Timestamp] = [], dataEnd: Timestamp?,
                options: HistoryOptions, sink: HistorySink) {
        self.keepAlives = keepAlives.sorted()
        self.chargePoint = chargePoint
        self.options = options
        self.sink = sink
        self.dataEnd = dataEnd
        // The attempt tracker reads what the other trackers derive.
        let attempts = AttemptTracker(chargePoint: chargePoint, options: options)
        self.attempts = attempts
        sessions = SessionTracker(chargePoint: chargePoint, options: options) { [unowned sink] (sample: consuming MeterSample) in
            attempts.meterSample(sample)
            sink.meterSample(consume sample)
        }
        status = StatusTracker(chargePoint: chargePoint) { [unowned sink] in
            sink.statusInterval($0)
            attempts.statusInterval($0)
        }
        connectivity = ConnectivityTracker(chargePoint: chargePoint, options: options) { [unowned sink] in
            sink.connectivity($0)
            attempts.connectivity($0)
        }
        for c in connections {
            if let t = c.opened { events.append((t, true, c)) }
            if let t = c.closed, c.closedHow != "end-of-data" { events.append((t, false, c)) }
        }
        events.sort { $0.time != $1.time ? $0.time < $1.time : ($0.open ? 0 : 1, $0.connection.id) < ($1.open ? 0 : 1, $1.connection.id) }
    }

    private func applyEvents(before t: Timestamp?) {
        while true {
            let event = nextEvent < events.count && (t == nil || events[nextEvent].time < t!) ? events[nextEvent].time : nil
            let ping = nextKeepAlive < keepAlives.count && (t == nil || keepAlives[nextKeepAlive] < t!) ? keepAlives[nextKeepAlive] : nil
            if let p = ping, event == nil || p < event! {
                connectivity.keepAlive(at: p)
                nextKeepAlive += 1
                continue
            }
            guard event != nil else { return }
            let e = events[nextEvent]
            if e.open { connectivity.connectionOpened(e.connection.id, at: e.time) }
            else { connectivity.connectionClosed(e.connection.id, at: e.time, how: e.connection.closedHow ?? "closed") }
            nextEvent += 1
        }
    }

    public func message(_ m: HistoryMessage) {
        applyEvents(before: m.time)
        heartbeatChanges(m)
        clockSample(m)
        connectivity.message(m)
        status.message(m)
        sessions.message(m)
        attempts.message(m)
    }

    /// The heartbeat interval from BootNotification answers and from
    /// accepted ChangeConfiguration (1.6) or SetVariables (2.x) changes.
    private func heartbeatChanges(_ m: HistoryMessage) {
        switch (m.kind, m.type) {
        case (.bootNotification, .callResult):
            if m.payload["status"]?.string != "Rejected", let i = StationDescription.heartbeatInterval(bootNotificationResult: m.payload), i > 0 {
                setHeartbeat(i)
            }
        case (.changeConfiguration, .call):
            if m.payload["key"]?.string == "HeartbeatInterval", let v = m.payload["value"]?.int { pendingHeartbeat[m.id] = v }
        case (.changeConfiguration, .callResult):
            if let r = m.request, let v = pendingHeartbeat.removeValue(forKey: r), m.payload["status"]?.string == "Accepted" { setHeartbeat(v) }
        case (.setVariables, .call):
            for d in m.payload["setVariableData"]?.array ?? [] where d["variable"]?["name"]?.string == "HeartbeatInterval" {
                if let v = d["attributeValue"]?.int { pendingHeartbeat[m.id] = v }
            }
        case (.setVariables, .callResult):
            if let r = m.request, let v = pendingHeartbeat.removeValue(forKey: r),
               m.payload["setVariableResult"]?.array?.contains(where: {
                   $0["variable"]?["name"]?.string == "HeartbeatInterval" && $0["attributeStatus"]?.string == "Accepted"
               }) == true {
                setHeartbeat(v)
            }
        default:
            break
        }
    }

    private func setHeartbeat(_ seconds: Int) {
        heartbeat = seconds
        connectivity.heartbeatSeconds = seconds
    }

    /// Charger clock minus observation clock, from reports that are sent when
    /// they happen (not meter samples, which may be old by design, and not
    /// 2.x events flagged offline).
    private func clockSample(_ m: HistoryMessage) {
        guard m.type == .call, m.direction == .chargePointToCSMS else { return }
        let ts: Timestamp?
        switch m.kind {
        case .statusNotification, .startTransaction, .stopTransaction: ts = m.payload["timestamp"]?.timestamp
        case .transactionEvent: ts = m.payload["offline"]?.bool == true ? nil : m.payload["timestamp"]?.timestamp
        default: ts = nil
        }
        guard let t = ts else { return }
        skews.append(Double(t.microseconds - m.time.microseconds) / 1_000_000)
    }

    public func finish() {
        applyEvents(before: nil)
        connectivity.finish(dataEnd: dataEnd)
        status.finish(dataEnd: dataEnd)
        let skew = median(skews)
        let records = sessions.finish(clockSkew: skew)
        for r in records { sink.session(r) }
        for a in attempts.finish(sessions: records, dataEnd: dataEnd) { sink.attempt(a) }
        sink.chargePoint(ChargePointDerived(chargePoint: chargePoint, clockSkewSeconds: skew, clockSamples: skews.count,
                                            heartbeatInterval: heartbeat, boots: connectivity.boots, sessions: records.count))
    }

    private func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
