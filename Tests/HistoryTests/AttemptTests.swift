import Frames
import Testing
@testable import History

/// One attempt's outcome and cause, for compact expectations.
private func verdict(_ a: AttemptRecord) -> String {
    a.outcome + (a.causeText.map { " " + $0 } ?? "")
}

@Suite("Charge attempts 1.6")
struct Attempts16Tests {
    func scenario() -> Scenario {
        let s = Scenario()
        s.connect(at: 0)
        s.boot(at: 1)
        s.status16(1, "Available", at: 2)
        return s
    }

    @Test func aCleanChargeIsASuccessWithItsChargeStartTime() {
        let s = scenario()
        s.charge16(from: 100, wh: 5000, txId: 1)
        let r = s.run(end: 2000)
        #expect(r.attempts.count == 1)
        let a = r.attempts[0]
        #expect(verdict(a) == "success")
        #expect(a.began == "preparing")
        #expect(a.ended == "available")
        #expect(a.session == 1 && a.transactionId == "1" && a.idToken == "TAG" && a.energyWh == 5000)
        #expect(a.startedAt == Scenario.ts(100) && a.endedAt == Scenario.ts(760))
        // Ready at the authorization (110), energy flowing at Charging (115).
        #expect(a.readyAt == Scenario.ts(110))
        #expect(a.chargeStartedAt == Scenario.ts(115))
    }

    @Test func authorizationRejected() {
        let s = scenario()
        s.status16(1, "Preparing", at: 100)
        s.authorize(status: "Invalid", at: 110)
        s.status16(1, "Available", at: 150)
        let a = s.run(end: 2000).attempts
        #expect(a.map(verdict) == ["failed authorization-rejected (Invalid)"])
        #expect(a[0].ended == "available")
    }

    @Test func authorizationUnansweredOrAnsweredWithAnError() {
        let s = scenario()
        s.status16(1, "Preparing", at: 100)
        s.authorize(status: nil, at: 110)
        s.status16(1, "Available", at: 150)
        s.status16(1, "Preparing", at: 400)
        s.authorize(status: "CALLERROR:InternalError", at: 410)
        s.status16(1, "Available", at: 450)
        #expect(s.run(end: 2000).attempts.map(verdict) == ["failed authorization-unanswered",
                                                           "failed authorization-unanswered (CALLERROR InternalError)"])
    }

    @Test func noSessionWithinTheWindowTimesOut() {
        let s = scenario()
        s.status16(1, "Preparing", at: 100)
        s.authorize(at: 110)
        s.status16(1, "Available", at: 600)
        let a = s.run(end: 2000).attempts
        #expect(a.map(verdict) == ["failed no-session"])
        #expect(a[0].ended == "timeout" && a[0].endedAt == Scenario.ts(230))
    }

    @Test func theWindowIsAnOption() {
        let s = scenario()
        s.options.attemptWindowSeconds = 600
        s.status16(1, "Preparing", at: 100)
        s.authorize(at: 110)
        s.start16(meter: 0, at: 400, txId: 1)   // a slow driver, within 10 minutes
        s.status16(1, "Charging", at: 401)
        s.stop16(txId: 1, meter: 4000, at: 900)
        s.status16(1, "Available", at: 950)
        #expect(s.run(end: 2000).attempts.map(verdict) == ["success"])
    }

    @Test func startRejectedByIdTagInfoRemoteStartOrCallError() {
        let s = scenario()
        s.status16(1, "Preparing", at: 100)
        s.start16(meter: 0, at: 105, txId: 1, status: "Invalid")
        s.stop16(txId: 1, meter: 0, at: 110, reason: "DeAuthorized")
        s.status16(1, "Available", at: 120)
        s.remoteStart16(status: "Rejected", at: 300)
        let c = s.call("StartTransaction", #"{"connectorId":1,"idTag":"X","meterStart":0,"timestamp":"\#(Scenario.iso(600))"}"#, at: 600)
        s.error(c, code: "InternalError", at: 600.2)
        s.status16(1, "Available", at: 700)
        let a = s.run(end: 2000).attempts
        #expect(a.map(verdict) == ["failed start-rejected (Invalid)", "failed start-rejected (Rejected)",
                                   "failed start-rejected (CALLERROR InternalError)"])
        #expect(a[1].began == "remote-start" && a[1].connector == 1)
    }

    @Test func aFaultDuringTheAttemptIsNamed() {
        let s = scenario()
        s.status16(1, "Preparing", at: 100)
        s.authorize(at: 110)
        s.start16(meter: 0, at: 112, txId: 1)
        s.status16(1, "Charging", at: 115)
        s.status16(1, "Faulted", error: "GroundFailure", at: 200)
        s.stop16(txId: 1, meter: 900, at: 201, reason: "Other")
        s.status16(1, "Available", at: 300)
        #expect(s.run(end: 2000).attempts.map(verdict) == ["failed fault (GroundFailure)"])
    }

    @Test func aPortFaultedWhenTheDriverArrivesFailsThem() {
        let s = scenario()
        s.status16(1, "Faulted", error: "PowerMeterFailure", at: 50)
        s.authorize(at: 110)
        let a = s.run(end: 2000).attempts
        #expect(a.map(verdict) == ["failed fault (PowerMeterFailure)"])
        #expect(a[0].began == "authorize" && a[0].connector == 1)   // the charge point's only port
    }

    @Test func stoppedByAChargerSideReason() {
        let s = scenario()
        s.charge16(from: 100, wh: 5000, txId: 1, reason: "PowerLoss")
        s.charge16(from: 1000, wh: 5000, txId: 2, reason: "EmergencyStop")
        #expect(s.run(end: 3000).attempts.map(verdict) == ["failed stopped-by-charger (PowerLoss)",
                                                           "failed stopped-by-charger (EmergencyStop)"])
    }

    @Test func energyBelowTheThreshold() {
        let s = scenario()
        s.charge16(from: 100, wh: 60, txId: 1)
        s.options.minimumEnergyWh = 50
        s.charge16(from: 1000, wh: 60, txId: 2)
        let r = s.run(end: 3000).attempts
        #expect(r.map(verdict) == ["success", "success"])   // 60 Wh > 50
        let t = scenario()
        t.charge16(from: 100, wh: 60, txId: 1)
        #expect(t.run(end: 3000).attempts.map(verdict) == ["failed low-energy (60 Wh)"])
    }

    @Test func chargerOfflineDuringTheAttempt() {
        let s = Scenario()
        s.connect(at: 0, closeAt: 150, how: "rst")
        s.boot(at: 1)
        s.status16(1, "Available", at: 2)
        s.status16(1, "Preparing", at: 100)
        s.authorize(at: 110)
        s.connect(at: 400)
        s.boot(at: 401)
        s.status16(1, "Available", at: 402)
        let a = s.run(end: 2000).attempts
        #expect(a.map(verdict) == ["failed offline"])
        #expect(a[0].flags.contains("offline_during_attempt"))
    }

    @Test func anAttemptCutByTheEndOfTheDataIsIncomplete() {
        let s = scenario()
        s.status16(1, "Preparing", at: 100)
        s.authorize(at: 110)
        s.start16(meter: 0, at: 112, txId: 1)
        s.status16(1, "Charging", at: 115)
        s.meter16(txId: 1, value: "300", at: 200)
        let a = s.run(end: 250).attempts
        #expect(a.map(verdict) == ["incomplete"])
        #expect(a[0].ended == "end-of-data" && a[0].session == 1)
        // Waiting for a driver when the data ends, within the window: incomplete too.
        let t = scenario()
        t.status16(1, "Preparing", at: 100)
        #expect(t.run(end: 150).attempts.map(verdict) == ["incomplete"])
    }

    @Test func anAttemptBegunBeforeTheDataIsNeverFailed() {
        let s = Scenario()
        s.connect(at: 0)
        s.status16(1, "Preparing", at: 1)   // the first report: plugged in before the capture began
        s.status16(1, "Available", at: 400)
        let a = s.run(end: 2000).attempts
        #expect(a.map(verdict) == ["incomplete"])
        #expect(a[0].flags.contains("started_before_data"))
    }

    @Test func aSessionWithNoPrecedingSignalIsAnAttempt() {
        let s = scenario()
        s.start16(meter: 0, at: 100, txId: 1)
        s.stop16(txId: 1, meter: 3000, at: 700)
        let a = s.run(end: 2000).attempts
        #expect(a.map(verdict) == ["success"])
        #expect(a[0].began == "transaction" && a[0].ended == "session-stop")
    }

    @Test func transactionIdsThatDoNotRiseAreFlaggedNotJoined() {
        let s = scenario()
        s.charge16(from: 100, wh: 2000, txId: 10)
        s.charge16(from: 1000, wh: 2000, txId: 4)
        let a = s.run(end: 3000).attempts
        #expect(a.map(\.session) == [1, 2])
        #expect(a[1].flags.contains("transaction_id_not_rising"))
        #expect(!a[0].flags.contains("transaction_id_not_rising"))
    }

    @Test func theRemoteStartsAttemptIsTheSessionsAttempt() {
        let s = scenario()
        s.status16(1, "Preparing", at: 100)
        s.remoteStart16(at: 130)
        s.start16(meter: 0, at: 135, txId: 1)
        s.status16(1, "Charging", at: 136)
        s.stop16(txId: 1, meter: 3000, at: 700)
        s.status16(1, "Available", at: 710)
        let a = s.run(end: 2000).attempts
        #expect(a.map(verdict) == ["success"])
        #expect(a[0].began == "preparing" && a[0].readyAt == Scenario.ts(130))
    }
}

@Suite("Charge attempts 2.0.1")
struct Attempts201Tests {
    func scenario() -> Scenario {
        let s = Scenario(version: "2.0.1")
        s.connect(at: 0)
        s.status2("Available", at: 2)
        return s
    }

    @Test func aCleanChargeIsASuccess() {
        let s = scenario()
        s.charge2(tx: "T1", from: 100, wh: 8000)
        let a = s.run(end: 2000).attempts
        #expect(a.map(verdict) == ["success"])
        #expect(a[0].began == "occupied" && a[0].evse == 1 && a[0].idToken == "TOK" && a[0].energyWh == 8000)
        #expect(a[0].readyAt == Scenario.ts(111) && a[0].chargeStartedAt == Scenario.ts(120))
    }

    @Test func authorizationRejected() {
        let s = scenario()
        s.status2("Occupied", at: 100)
        s.tx2("Started", tx: "T1", seq: 0, trigger: "CablePluggedIn", at: 101, wh: 5000)
        s.authorize("TOK", status: "Blocked", at: 110)
        s.tx2("Ended", tx: "T1", seq: 1, trigger: "EVCommunicationLost", at: 200, wh: 5000, stopped: "EVDisconnected")
        s.status2("Available", at: 201)
        #expect(s.run(end: 2000).attempts.map(verdict) == ["failed authorization-rejected (Blocked)"])
    }

    @Test func authorizationUnanswered() {
        let s = scenario()
        s.status2("Occupied", at: 100)
        s.authorize("TOK", status: nil, at: 110)
        s.status2("Available", at: 200)
        #expect(s.run(end: 2000).attempts.map(verdict) == ["failed authorization-unanswered"])
    }

    @Test func noSessionWithinTheWindow() {
        let s = scenario()
        s.status2("Occupied", at: 100)
        s.status2("Available", at: 500)
        s.status2("Occupied", at: 1000)
        s.tx2("Started", tx: "T2", seq: 0, trigger: "CablePluggedIn", at: 1001, wh: 0)
        s.tx2("Ended", tx: "T2", seq: 1, trigger: "EVConnectTimeout", at: 1100, wh: 0, stopped: "Timeout")
        s.status2("Available", at: 1101)
        #expect(s.run(end: 2000).attempts.map(verdict) == ["failed no-session", "failed no-session (Timeout)"])
    }

    @Test func startRejectedByRequestStartOrIdTokenInfo() {
        let s = scenario()
        s.requestStart(status: "Rejected", at: 100)
        s.requestStart(status: "CALLERROR:NotSupported", at: 400)
        s.status2("Occupied", at: 700)
        s.tx2("Started", tx: "T1", seq: 0, trigger: "Authorized", at: 701, wh: 0, token: "BAD",
              answer: #"{"idTokenInfo":{"status":"Invalid"}}"#)
        s.tx2("Ended", tx: "T1", seq: 1, trigger: "Deauthorized", at: 702, wh: 0, stopped: "DeAuthorized")
        s.status2("Available", at: 710)
        #expect(s.run(end: 2000).attempts.map(verdict) == ["failed start-rejected (Rejected)",
                                                           "failed start-rejected (CALLERROR NotSupported)",
                                                           "failed start-rejected (Invalid)"])
    }

    @Test func aFaultDuringTheAttempt() {
        let s = scenario()
        s.status2("Occupied", at: 100)
        s.tx2("Started", tx: "T1", seq: 0, trigger: "Authorized", at: 101, wh: 1000, token: "TOK")
        s.tx2("Updated", tx: "T1", seq: 1, trigger: "ChargingStateChanged", at: 110, wh: 1000, state: "Charging")
        s.status2("Faulted", at: 200)
        s.tx2("Ended", tx: "T1", seq: 2, trigger: "AbnormalCondition", at: 201, wh: 1500, stopped: "GroundFault")
        s.status2("Available", at: 300)
        #expect(s.run(end: 2000).attempts.map(verdict) == ["failed fault (Faulted)"])
    }

    @Test func stoppedByAChargerSideReason() {
        let s = scenario()
        s.charge2(tx: "T1", from: 100, wh: 8000, stopped: "EmergencyStop")
        s.charge2(tx: "T2", from: 1000, wh: 8000, stopped: "PowerLoss")
        #expect(s.run(end: 3000).attempts.map(verdict) == ["failed stopped-by-charger (EmergencyStop)",
                                                           "failed stopped-by-charger (PowerLoss)"])
    }

    @Test func energyBelowTheThreshold() {
        let s = scenario()
        s.charge2(tx: "T1", from: 100, wh: 40)
        #expect(s.run(end: 3000).attempts.map(verdict) == ["failed low-energy (40 Wh)"])
    }

    @Test func chargerOfflineDuringTheAttempt() {
        let s = Scenario(version: "2.0.1")
        s.connect(at: 0, closeAt: 120, how: "rst")
        s.status2("Available", at: 2)
        s.status2("Occupied", at: 100)
        s.connect(at: 500)
        s.status2("Available", at: 501)
        #expect(s.run(end: 2000).attempts.map(verdict) == ["failed offline"])
    }

    @Test func anAttemptCutByTheEndOfTheDataIsIncomplete() {
        let s = scenario()
        s.status2("Occupied", at: 100)
        s.tx2("Started", tx: "T1", seq: 0, trigger: "Authorized", at: 101, wh: 1000, token: "TOK")
        s.tx2("Updated", tx: "T1", seq: 1, trigger: "ChargingStateChanged", at: 110, wh: 1000, state: "Charging")
        let a = s.run(end: 400).attempts
        #expect(a.map(verdict) == ["incomplete"])
        #expect(a[0].chargeStartedAt == Scenario.ts(110))
    }

    @Test func overlappingSessionsOnOneEVSEAreEachTheirOwnAttempt() {
        let s = scenario()
        s.tx2("Started", tx: "A", seq: 0, trigger: "Authorized", at: 100, wh: 0, token: "TOK")
        s.tx2("Updated", tx: "A", seq: 1, trigger: "ChargingStateChanged", at: 110, wh: 0, state: "Charging")
        s.tx2("Started", tx: "B", seq: 0, trigger: "Authorized", at: 300, wh: 0, token: "TOK2")
        s.tx2("Ended", tx: "A", seq: 2, trigger: "StopAuthorized", at: 400, wh: 3000, stopped: "Local")
        s.tx2("Ended", tx: "B", seq: 1, trigger: "StopAuthorized", at: 900, wh: 2000, stopped: "Local")
        let a = s.run(end: 2000).attempts
        #expect(a.count == 2)
        #expect(a.map(\.transactionId) == ["A", "B"])
        #expect(a.allSatisfy { $0.flags.contains("overlapping_sessions") })
    }
}
