import Frames
import OCPP
@testable import History

/// Scenario helpers for charge attempts: status reports, authorizations,
/// remote starts and 2.x transaction events with their triggers.
extension Scenario {
    // 1.6
    func status16(_ connector: Int = 1, _ status: String, error: String = "NoError", at s: Double) {
        let c = call("StatusNotification", #"{"connectorId":\#(connector),"status":"\#(status)","errorCode":"\#(error)","timestamp":"\#(Scenario.iso(s))"}"#, at: s)
        result(c, "{}", at: s + 0.05)
    }

    /// An Authorize; `status` nil leaves it unanswered, `CALLERROR:X` answers with an error.
    func authorize(_ tag: String = "TAG", status: String? = "Accepted", at s: Double) {
        let v2 = version != "1.6"
        let c = call("Authorize", v2 ? #"{"idToken":{"idToken":"\#(tag)","type":"ISO14443"}}"# : #"{"idTag":"\#(tag)"}"#, at: s)
        guard let status else { return }
        if status.hasPrefix("CALLERROR:") { error(c, code: String(status.dropFirst(10)), at: s + 0.2); return }
        result(c, v2 ? #"{"idTokenInfo":{"status":"\#(status)"}}"# : #"{"idTagInfo":{"status":"\#(status)"}}"#, at: s + 0.2)
    }

    func remoteStart16(connector: Int = 1, tag: String = "TAG", status: String = "Accepted", at s: Double) {
        let c = call("RemoteStartTransaction", #"{"connectorId":\#(connector),"idTag":"\#(tag)"}"#, at: s, from: false)
        if status.hasPrefix("CALLERROR:") { error(c, code: String(status.dropFirst(10)), at: s + 0.3); return }
        result(c, #"{"status":"\#(status)"}"#, at: s + 0.3)
    }

    /// Available → Preparing → (authorized) StartTransaction → Charging → Stop → Finishing → Available.
    func charge16(connector: Int = 1, tag: String = "TAG", from a: Double, wh: Double, txId: Int, reason: String = "Local",
                  authorize: Bool = true) {
        status16(connector, "Preparing", at: a)
        if authorize { self.authorize(tag, at: a + 10) }
        start16(connector: connector, tag: tag, meter: 1000, at: a + 12, txId: txId)
        status16(connector, "Charging", at: a + 15)
        meter16(connector: connector, txId: txId, value: String(Int(1000 + wh / 2)), at: a + 300)
        stop16(txId: txId, meter: 1000 + wh, at: a + 600, reason: reason)
        status16(connector, "Finishing", at: a + 601)
        status16(connector, "Available", at: a + 660)
    }

    // 2.x
    func status2(evse: Int = 1, connector: Int = 1, _ status: String, at s: Double) {
        let c = call("StatusNotification", #"{"timestamp":"\#(Scenario.iso(s))","connectorStatus":"\#(status)","evseId":\#(evse),"connectorId":\#(connector)}"#, at: s)
        result(c, "{}", at: s + 0.05)
    }

    func requestStart(evse: Int = 1, tag: String = "TOK", status: String = "Accepted", at s: Double) {
        let c = call("RequestStartTransaction", #"{"evseId":\#(evse),"remoteStartId":7,"idToken":{"idToken":"\#(tag)","type":"Central"}}"#, at: s, from: false)
        if status.hasPrefix("CALLERROR:") { error(c, code: String(status.dropFirst(10)), at: s + 0.3); return }
        result(c, #"{"status":"\#(status)"}"#, at: s + 0.3)
    }

    /// A TransactionEvent with its trigger; `answer` is the CSMS's answer payload.
    func tx2(_ type: String, tx: String, seq: Int, trigger: String, at s: Double, evse: Int = 1, wh: Double? = nil,
             state: String? = nil, stopped: String? = nil, token: String? = nil, answer: String = "{}") {
        var info = #""transactionId":"\#(tx)""#
        if let state { info += #","chargingState":"\#(state)""# }
        if let stopped { info += #","stoppedReason":"\#(stopped)""# }
        var body = #"{"eventType":"\#(type)","timestamp":"\#(Scenario.iso(s))","triggerReason":"\#(trigger)","seqNo":\#(seq),"transactionInfo":{\#(info)},"evse":{"id":\#(evse),"connectorId":1}"#
        if let token { body += #","idToken":{"idToken":"\#(token)","type":"ISO14443"}"# }
        if let wh {
            body += #","meterValue":[{"timestamp":"\#(Scenario.iso(s))","sampledValue":[{"value":\#(wh),"measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh"}}]}]"#
        }
        let c = call("TransactionEvent", body + "}", at: s)
        result(c, answer, at: s + 0.1)
    }

    /// Occupied → Started (plugged in) → Authorize → Authorized → Charging → Ended → Available.
    func charge2(tx: String, from a: Double, wh: Double, stopped: String = "EVDisconnected", authStatus: String = "Accepted") {
        status2("Occupied", at: a)
        tx2("Started", tx: tx, seq: 0, trigger: "CablePluggedIn", at: a + 1, wh: 5000)
        authorize("TOK", status: authStatus, at: a + 10)
        tx2("Updated", tx: tx, seq: 1, trigger: "Authorized", at: a + 11, token: "TOK")
        tx2("Updated", tx: tx, seq: 2, trigger: "ChargingStateChanged", at: a + 20, wh: 5000, state: "Charging")
        tx2("Updated", tx: tx, seq: 3, trigger: "MeterValuePeriodic", at: a + 300, wh: 5000 + wh / 2)
        tx2("Ended", tx: tx, seq: 4, trigger: "EVCommunicationLost", at: a + 600, wh: 5000 + wh, stopped: stopped)
        status2("Available", at: a + 610)
    }
}
