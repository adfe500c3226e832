import Frames
import Testing
@testable import History

@Suite("Sessions 1.6")
struct Sessions16Tests {
    @Test func aCleanSessionUsesStopMinusStart() {
        let s = Scenario()
        s.connect(at: 0)
        s.boot(at: 1)
        s.start16(meter: 1000, at: 100, txId: 7)
        s.meter16(txId: 7, value: "1.5", unit: "kWh", at: 400)
        s.meter16(txId: 7, value: "2.0", unit: "kWh", at: 700)
        s.stop16(txId: 7, meter: 2100, at: 800)
        let r = s.run(end: 1000)
        #expect(r.sessions.count == 1)
        let x = r.sessions[0]
        #expect(x.transactionId == "7")
        #expect(x.energyWh == 1100)
        #expect(x.energySource == "meter_stop_minus_start")
        #expect(x.flags == [])
        #expect(x.stopReason == "Local")
        #expect(x.startedAt == Scenario.ts(100))
        // kWh samples normalised to Wh.
        #expect(r.samples.map(\.value) == [1500, 2000])
        #expect(r.samples.allSatisfy { $0.session == 1 && $0.normalizedUnit == "Wh" })
    }

    @Test func missingStopAfterARebootIsEstimatedFromTheLastSample() {
        let s = Scenario()
        s.connect(at: 0, closeAt: 500, how: "rst")
        s.boot(at: 1)
        s.start16(meter: 5000, at: 100, txId: 1)
        s.meter16(txId: 1, value: "5600", at: 400)
        s.connect(at: 600)
        s.boot(at: 601)   // the StopTransaction was lost with the reboot
        s.start16(meter: 0, at: 700, txId: 2)
        s.stop16(txId: 2, meter: 300, at: 900)
        let r = s.run(end: 1000)
        let lost = r.sessions[0]
        #expect(lost.flags.contains("missing_stop"))
        #expect(lost.flags.contains("reboot_during_session"))
        #expect(lost.flags.contains("estimated"))
        #expect(lost.energySource == "last_sample_estimated")
        #expect(lost.energyWh == 600)
        #expect(r.sessions[1].energyWh == 300)
        #expect(r.sessions[1].flags == [])
    }

    @Test func aSessionStillRunningAtTheEndIsOpenNotMissing() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 10, at: 100, txId: 1)
        s.meter16(txId: 1, value: "60", at: 200)
        let r = s.run(end: 300)
        #expect(r.sessions[0].flags == ["open_at_end", "estimated"])
        #expect(r.sessions[0].energyWh == 50)
    }

    @Test func aMeterResetIsFlaggedAndEnergyCountsBothSides() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 9000, at: 100, txId: 1)
        s.meter16(txId: 1, value: "9500", at: 200)
        s.meter16(txId: 1, value: "20", at: 300)      // the meter restarted from zero
        s.meter16(txId: 1, value: "420", at: 400)
        s.stop16(txId: 1, meter: 500, at: 500)
        let r = s.run(end: 600)
        let x = r.sessions[0]
        #expect(x.flags.contains("meter_reset"))
        #expect(x.flags.contains("stop_below_start"))
        #expect(x.energySource == "register_samples")
        #expect(x.energyWh == 980)   // 500 before the reset, 400 + 80 after
    }

    @Test func aRegisterGoingBackwardsALittleIsNotAReset() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 1000, at: 100, txId: 1)
        s.meter16(txId: 1, value: "1500", at: 200)
        s.meter16(txId: 1, value: "1400", at: 300)
        s.stop16(txId: 1, meter: 1600, at: 400)
        let x = s.run(end: 500).sessions[0]
        #expect(x.flags.contains("register_backwards"))
        #expect(!x.flags.contains("meter_reset"))
        #expect(x.energyWh == 700)   // 500 up, 100 back, 200 up
    }

    @Test func stopBelowALaterSampleIsAMismatch() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 1000, at: 100, txId: 1)
        s.meter16(txId: 1, value: "3000", at: 300)
        s.stop16(txId: 1, meter: 2500, at: 400)
        let x = s.run(end: 500).sessions[0]
        #expect(x.flags.contains("stop_sample_mismatch"))
    }

    @Test func implausiblePower() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 0, at: 100, txId: 1)
        s.stop16(txId: 1, meter: 500_000, at: 160)   // 500 kWh in a minute
        #expect(s.run(end: 500).sessions[0].flags.contains("implausible_power"))
    }

    @Test func unitChangeWithinASession() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 1000, at: 100, txId: 1)
        s.meter16(txId: 1, value: "1500", unit: "Wh", at: 200)
        s.meter16(txId: 1, value: "2.0", unit: "kWh", at: 300)
        s.stop16(txId: 1, meter: 2100, at: 400)
        let x = s.run(end: 500).sessions[0]
        #expect(x.flags.contains("unit_change"))
        #expect(x.energyWh == 1100)
    }

    @Test func duplicateMessagesAreCountedOnce() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 1000, at: 100, txId: 1)
        s.meter16(txId: 1, value: "1500", at: 200)
        s.meter16(txId: 1, value: "1500", at: 210, sampleAt: 200)   // re-sent
        s.stop16(txId: 1, meter: 1600, at: 400)
        let r = s.run(end: 500)
        #expect(r.sessions[0].flags.contains("duplicate_messages"))
        #expect(r.samples.count == 1)
    }

    @Test func messagesReplayedLateFromAnOfflineQueue() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 1000, at: 100, txId: 1)
        // Stopped at 200 by the charger's clock, delivered an hour later.
        s.stop16(txId: 1, meter: 1500, at: 3800, stampedAt: 200)
        let x = s.run(end: 4000).sessions[0]
        #expect(x.flags.contains("late_messages"))
        #expect(x.stoppedAt == Scenario.ts(200))
        #expect(x.stoppedObserved == Scenario.ts(3800))
    }

    @Test func transactionIdReusedAfterAReboot() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 0, at: 100, txId: 1)
        s.stop16(txId: 1, meter: 100, at: 200)
        s.start16(meter: 100, at: 300, txId: 1)
        s.stop16(txId: 1, meter: 250, at: 400)
        let r = s.run(end: 500)
        #expect(r.sessions.map(\.energyWh) == [100, 150])
        #expect(r.sessions[1].flags == ["transaction_id_reused"])
    }

    @Test func rejectedStartAndStopWithoutStart() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 0, at: 100, txId: 3, status: "Invalid")
        s.stop16(txId: 99, meter: 100, at: 200, reason: nil)
        let r = s.run(end: 500)
        #expect(r.sessions[0].flags.contains("start_rejected"))
        #expect(r.sessions[0].startStatus == "Invalid")
        #expect(r.sessions[1].flags.contains("missing_start"))
        #expect(r.sessions[1].stopReason == "Local")   // 1.6: absent reason means Local
        #expect(r.sessions[1].flags.contains("no_meter_data"))
    }

    @Test func remoteStartAndStopAreLinked() {
        let s = Scenario()
        s.connect(at: 0)
        let rs = s.call("RemoteStartTransaction", #"{"idTag":"APP1","connectorId":1}"#, at: 50, from: false)
        s.result(rs, #"{"status":"Accepted"}"#, at: 50.5)
        s.start16(tag: "APP1", meter: 0, at: 60, txId: 5)
        let stop = s.call("RemoteStopTransaction", #"{"transactionId":5}"#, at: 90, from: false)
        s.result(stop, #"{"status":"Accepted"}"#, at: 90.5)
        s.stop16(txId: 5, meter: 10, at: 91, reason: "Remote")
        let x = s.run(end: 100).sessions[0]
        #expect(x.remoteStartMessage == rs)
        #expect(x.remoteStopMessage == stop)
    }

    @Test func signedOCMFValuesAreReadAndKept() {
        let s = Scenario()
        s.connect(at: 0)
        s.start16(meter: 1000, at: 100, txId: 1)
        let ocmf = #"OCMF|{\"FV\":\"1.0\",\"RD\":[{\"TM\":\"2026-03-02T00:03:20,000+0000 S\",\"TX\":\"B\",\"RV\":1.0,\"RU\":\"kWh\"},{\"TM\":\"2026-03-02T00:05:00,000+0000 S\",\"TX\":\"E\",\"RV\":1.75,\"RU\":\"kWh\"}]}|{\"SD\":\"3045\"}"#
        let c = s.call("MeterValues", #"{"connectorId":1,"transactionId":1,"meterValue":[{"timestamp":"\#(Scenario.iso(300))","sampledValue":[{"value":"\#(ocmf)","format":"SignedData","measurand":"Energy.Active.Import.Register"}]}]}"#, at: 300)
        s.result(c, "{}", at: 300.1)
        s.stop16(txId: 1, meter: 1750, at: 400)
        let r = s.run(end: 500)
        #expect(r.samples[0].value == 1750)
        #expect(r.samples[0].signedData?.hasPrefix("OCMF|") == true)
        #expect(r.sessions[0].flags == [])
    }
}

@Suite("Sessions 2.0.1")
struct Sessions2Tests {
    @Test func startedUpdatedEndedWithMultiplier() {
        let s = Scenario(version: "2.0.1")
        s.connect(at: 0)
        s.event("Started", tx: "T1", seq: 0, at: 100, wh: 4.0, context: "Transaction.Begin", unit: #"{"unit":"Wh","multiplier":3}"#)
        s.event("Updated", tx: "T1", seq: 1, at: 200, wh: 4.5, unit: #"{"unit":"kWh"}"#)
        s.event("Ended", tx: "T1", seq: 2, at: 300, wh: 5.25, context: "Transaction.End", info: #","stoppedReason":"EVDisconnected""#, unit: #"{"unit":"kWh"}"#)
        let r = s.run(end: 400)
        let x = r.sessions[0]
        #expect(x.meterStartWh == 4000)
        #expect(x.meterStopWh == 5250)
        #expect(x.energyWh == 1250)
        #expect(x.stopReason == "EVDisconnected")
        #expect(x.evse == 1 && x.connector == 1)
        #expect(x.idToken == "TOK")
        #expect(x.flags == [])
        #expect(r.samples.map(\.value) == [4000, 4500, 5250])
    }

    @Test func aScaleChangeWithinASessionIsAUnitChange() {
        let s = Scenario(version: "2.0.1")
        s.connect(at: 0)
        s.event("Started", tx: "T1", seq: 0, at: 100, wh: 4.0, unit: #"{"unit":"kWh"}"#)
        s.event("Ended", tx: "T1", seq: 1, at: 300, wh: 5000)
        let x = s.run(end: 400).sessions[0]
        #expect(x.flags == ["unit_change"])
        #expect(x.energyWh == 1000)
    }

    @Test func seqGapsOfflineEventsAndEndedWithoutReasonMeansLocal() {
        let s = Scenario(version: "2.0.1")
        s.connect(at: 0)
        s.event("Started", tx: "T1", seq: 0, at: 100, wh: 100)
        s.event("Updated", tx: "T1", seq: 3, at: 2000, wh: 300, extra: #","offline":true"#, stampedAt: 150)
        s.event("Ended", tx: "T1", seq: 4, at: 2001, wh: 400, stampedAt: 160)
        let x = s.run(end: 3000).sessions[0]
        #expect(x.flags.contains("seq_gap"))
        #expect(x.flags.contains("offline_messages"))
        #expect(x.flags.contains("late_messages"))
        #expect(x.stopReason == "Local")
        #expect(x.energyWh == 300)
    }

    @Test func anEventWithoutStartedAndASessionNeverEnded() {
        let s = Scenario(version: "2.0.1")
        s.connect(at: 0)
        s.event("Updated", tx: "T9", seq: 5, at: 100, wh: 100)
        s.event("Ended", tx: "T9", seq: 6, at: 200, wh: 150)
        s.event("Started", tx: "T10", seq: 0, at: 300, wh: 150)
        s.event("Updated", tx: "T10", seq: 1, at: 400, wh: 450)
        let r = s.run(end: 500)
        #expect(r.sessions[0].flags.contains("missing_start"))
        #expect(r.sessions[1].flags.contains("open_at_end"))
        #expect(r.sessions[1].energyWh == 300)
        #expect(r.sessions[1].energySource == "last_sample_estimated")
    }

    @Test func duplicateEventsAndRemoteStartById() {
        let s = Scenario(version: "2.0.1")
        s.connect(at: 0)
        let rs = s.call("RequestStartTransaction", #"{"remoteStartId":42,"idToken":{"idToken":"APP","type":"Central"},"evseId":1}"#, at: 50, from: false)
        s.result(rs, #"{"status":"Accepted"}"#, at: 50.2)
        s.event("Started", tx: "T1", seq: 0, at: 60, wh: 0, info: #","remoteStartId":42"#)
        s.event("Updated", tx: "T1", seq: 1, at: 100, wh: 50)
        s.event("Updated", tx: "T1", seq: 1, at: 100, wh: 50)
        s.event("Ended", tx: "T1", seq: 2, at: 200, wh: 80, info: #","stoppedReason":"Remote""#)
        let r = s.run(end: 300)
        #expect(r.sessions[0].remoteStartMessage == rs)
        #expect(r.sessions[0].flags == ["duplicate_messages"])
        #expect(r.sessions[0].energyWh == 80)
    }

    @Test func aMeterResetIn2x() {
        let s = Scenario(version: "2.0.1")
        s.connect(at: 0)
        s.event("Started", tx: "T1", seq: 0, at: 100, wh: 5000)
        s.event("Updated", tx: "T1", seq: 1, at: 200, wh: 5400)
        s.event("Updated", tx: "T1", seq: 2, at: 300, wh: 10)
        s.event("Ended", tx: "T1", seq: 3, at: 400, wh: 110)
        let x = s.run(end: 500).sessions[0]
        #expect(x.flags.contains("meter_reset"))
        #expect(x.flags.contains("stop_below_start"))
        #expect(x.energyWh == 500)   // 400 before the reset, 100 after
    }
}
