import Frames
import OCPP
@testable import History

/// Records what the history derives.
final class Recorder: HistorySink {
    var sessions: [SessionRecord] = []
    var samples: [MeterSample] = []
    var status: [StatusInterval] = []
    var connectivity: [ConnectivityInterval] = []
    var derived: [ChargePointDerived] = []
    var attempts: [AttemptRecord] = []
    func session(_ s: SessionRecord) { sessions.append(s) }
    func meterSample(_ v: MeterSample) { samples.append(v) }
    func statusInterval(_ i: StatusInterval) { status.append(i) }
    func connectivity(_ i: ConnectivityInterval) { connectivity.append(i) }
    func chargePoint(_ d: ChargePointDerived) { derived.append(d) }
    func attempt(_ a: AttemptRecord) { attempts.append(a) }
}

/// Builds a charge point's message history in a few lines per scenario.
/// Times are seconds after 2026-03-02T00:00:00Z.
final class Scenario {
    static let t0: Int64 = 1_772_409_600 * 1_000_000
    var messages: [HistoryMessage] = []
    var connections: [HistoryConnection] = []
    var nextId: Int64 = 1
    var version: String
    var connection: Int64 = 1
    var options = HistoryOptions()
    /// Times (s) of WebSocket pings from the charge point.
    var pings: [Double] = []

    init(version: String = "1.6") { self.version = version }

    static func ts(_ s: Double) -> Timestamp { Timestamp(microseconds: t0 + Int64(s * 1_000_000)) }
    static func iso(_ s: Double) -> String { ts(s).iso8601 }

    func connect(at s: Double, closeAt: Double? = nil, how: String = "close-frame") {
        connection = Int64(connections.count + 1)
        connections.append(HistoryConnection(id: connection, opened: Scenario.ts(s), closed: closeAt.map(Scenario.ts),
                                             closedHow: closeAt == nil ? "end-of-data" : how, handshakeSeen: true))
    }

    /// A CALL; returns its id for the answer.
    @discardableResult
    func call(_ action: String, _ payload: String, at s: Double, from cp: Bool = true) -> Int64 {
        let id = nextId
        nextId += 1
        messages.append(HistoryMessage(id: id, time: Scenario.ts(s), connection: connection,
                                       direction: cp ? .chargePointToCSMS : .csmsToChargePoint, type: .call, action: action,
                                       payload: try! JSONTape(parsing: payload).root, payloadKey: PayloadKey.of(payload), request: nil, errorCode: nil,
                                       ocppVersion: version))
        return id
    }

    /// A CALLERROR answering `call`.
    func error(_ call: Int64, code: String, at s: Double) {
        let c = messages.first { $0.id == call }!
        let id = nextId
        nextId += 1
        messages.append(HistoryMessage(id: id, time: Scenario.ts(s), connection: connection, direction: c.direction.reversed,
                                       type: .callError, action: c.action, payload: .null, payloadKey: 0, request: call,
                                       errorCode: code, ocppVersion: version))
    }

    func result(_ call: Int64, _ payload: String, at s: Double) {
        let c = messages.first { $0.id == call }!
        let id = nextId
        nextId += 1
        messages.append(HistoryMessage(id: id, time: Scenario.ts(s), connection: connection, direction: c.direction.reversed,
                                       type: .callResult, action: c.action,
                                       payload: try! JSONTape(parsing: payload).root, payloadKey: PayloadKey.of(payload), request: call, errorCode: nil, ocppVersion: version))
    }

    // 1.6 helpers
    func boot(at s: Double, interval: Int = 300) {
        let b = call("BootNotification", #"{"chargePointVendor":"V","chargePointModel":"M"}"#, at: s)
        result(b, #"{"status":"Accepted","currentTime":"\#(Scenario.iso(s))","interval":\#(interval)}"#, at: s + 0.1)
    }

    func start16(connector: Int = 1, tag: String = "TAG", meter: Double, at s: Double, txId: Int, status: String = "Accepted") {
        let c = call("StartTransaction", #"{"connectorId":\#(connector),"idTag":"\#(tag)","meterStart":\#(Int(meter)),"timestamp":"\#(Scenario.iso(s))"}"#, at: s)
        result(c, #"{"transactionId":\#(txId),"idTagInfo":{"status":"\#(status)"}}"#, at: s + 0.2)
    }

    func meter16(connector: Int = 1, txId: Int?, value: String, unit: String = "Wh", at s: Double, sampleAt: Double? = nil) {
        let tx = txId.map { #","transactionId":\#($0)"# } ?? ""
        let c = call("MeterValues", #"{"connectorId":\#(connector)\#(tx),"meterValue":[{"timestamp":"\#(Scenario.iso(sampleAt ?? s))","sampledValue":[{"value":"\#(value)","measurand":"Energy.Active.Import.Register","unit":"\#(unit)"}]}]}"#, at: s)
        result(c, "{}", at: s + 0.1)
    }

    func stop16(txId: Int, meter: Double, at s: Double, reason: String? = "Local", stampedAt: Double? = nil) {
        let r = reason.map { #","reason":"\#($0)""# } ?? ""
        let c = call("StopTransaction", #"{"transactionId":\#(txId),"meterStop":\#(Int(meter)),"timestamp":"\#(Scenario.iso(stampedAt ?? s))"\#(r)}"#, at: s)
        result(c, #"{"idTagInfo":{"status":"Accepted"}}"#, at: s + 0.1)
    }

    // 2.x helpers
    func event(_ type: String, tx: String, seq: Int, at s: Double, wh: Double? = nil, context: String? = nil,
               extra: String = "", info: String = "", stampedAt: Double? = nil, unit: String = #"{"unit":"Wh"}"#) {
        var mv = ""
        if let wh {
            let ctx = context.map { #","context":"\#($0)""# } ?? ""
            mv = #","meterValue":[{"timestamp":"\#(Scenario.iso(stampedAt ?? s))","sampledValue":[{"value":\#(wh),"measurand":"Energy.Active.Import.Register","unitOfMeasure":\#(unit)\#(ctx)}]}]"#
        }
        let c = call("TransactionEvent", #"{"eventType":"\#(type)","timestamp":"\#(Scenario.iso(stampedAt ?? s))","triggerReason":"Authorized","seqNo":\#(seq),"transactionInfo":{"transactionId":"\#(tx)"\#(info)},"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"TOK","type":"ISO14443"}\#(extra)\#(mv)}"#, at: s)
        result(c, "{}", at: s + 0.1)
    }

    func run(end: Double?) -> Recorder {
        let r = Recorder()
        let h = ChargePointHistory(chargePoint: "CP", connections: connections, keepAlives: pings.map(Scenario.ts),
                                   dataEnd: end.map(Scenario.ts), options: options, sink: r)
        for m in messages.sorted(by: { $0.time != $1.time ? $0.time < $1.time : $0.id < $1.id }) { h.message(m) }
        h.finish()
        return r
    }
}

