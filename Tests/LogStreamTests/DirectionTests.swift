import Foundation
import Frames
import LogStream
import OCPP
import Testing

/// Direction from the OCPP rules, from the CALL an answer answers, and from
/// the writer's side for the rest — for logs of either side.
@Suite("Direction inference")
struct DirectionTests {
    @Test func actionTablesCoverEveryVersion() {
        #expect(OCPPActions.sender(of: "BootNotification") == .chargePointToCSMS)
        #expect(OCPPActions.sender(of: "TransactionEvent") == .chargePointToCSMS)
        #expect(OCPPActions.sender(of: "NotifyPeriodicEventStream") == .chargePointToCSMS)   // 2.1
        #expect(OCPPActions.sender(of: "RemoteStartTransaction") == .csmsToChargePoint)
        #expect(OCPPActions.sender(of: "SetVariables") == .csmsToChargePoint)
        #expect(OCPPActions.sender(of: "ChangeConfiguration") == .csmsToChargePoint)
        #expect(OCPPActions.sender(of: "SetDefaultTariff") == .csmsToChargePoint)           // 2.1
        #expect(OCPPActions.sender(of: "DataTransfer") == nil)
        #expect(OCPPActions.fromChargePoint.isDisjoint(with: OCPPActions.fromCSMS))
    }

    /// The same conversation as the CSMS logs it and as the charger logs it.
    static let csmsSide = """
    2023-04-15 12:00:00 CP_1 recv [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
    2023-04-15 12:00:00 CP_1 send [3,"1",{"status":"Accepted","currentTime":"2023-04-15T12:00:00Z","interval":300}]
    2023-04-15 12:00:01 CP_1 send [2,"s1","DataTransfer",{"vendorId":"csms"}]
    2023-04-15 12:00:01 CP_1 recv [3,"s1",{"status":"Accepted"}]
    2023-04-15 12:00:02 CP_1 recv [2,"c1","DataTransfer",{"vendorId":"cp"}]
    2023-04-15 12:00:02 CP_1 send [3,"c1",{"status":"Accepted"}]
    """
    static let chargerSide = """
    2023-04-15 12:00:00 CP_1 send [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
    2023-04-15 12:00:00 CP_1 recv [3,"1",{"status":"Accepted","currentTime":"2023-04-15T12:00:00Z","interval":300}]
    2023-04-15 12:00:01 CP_1 recv [2,"s1","DataTransfer",{"vendorId":"csms"}]
    2023-04-15 12:00:01 CP_1 send [3,"s1",{"status":"Accepted"}]
    2023-04-15 12:00:02 CP_1 send [2,"c1","DataTransfer",{"vendorId":"cp"}]
    2023-04-15 12:00:02 CP_1 recv [3,"c1",{"status":"Accepted"}]
    """

    @Test(arguments: [csmsSide, chargerSide])
    func bothSidesLogsGiveTheSameDirections(log: String) throws {
        let (sink, stats, _, _) = try LogFixture.read(log)
        #expect(sink.frames.map(\.direction) == [.chargePointToCSMS, .csmsToChargePoint, .csmsToChargePoint, .chargePointToCSMS,
                                                 .chargePointToCSMS, .csmsToChargePoint])
        #expect(stats.directionGuessed == 0)
    }

    /// A log that starts with messages only the writer's side can place: they
    /// wait until a later message shows which side wrote it.
    @Test func earlyAmbiguousMessagesWaitForTheWritersSide() throws {
        let log = """
        2023-04-15 12:00:00 CP_1 send [3,"old",{"status":"Accepted"}]
        2023-04-15 12:00:01 CP_1 recv [2,"d1","DataTransfer",{"vendorId":"x"}]
        2023-04-15 12:00:02 CP_1 send [2,"r1","Reset",{"type":"Soft"}]
        2023-04-15 12:00:03 CP_1 send [3,"d1",{"status":"Accepted"}]
        """
        let (sink, stats, _, _) = try LogFixture.read(log)
        // Reset is sent by a CSMS: this is a CSMS's log. Its `send` answer went to the charge point,
        // the DataTransfer it received came from the charge point.
        #expect(sink.frames.map(\.direction) == [.csmsToChargePoint, .chargePointToCSMS, .csmsToChargePoint, .csmsToChargePoint])
        #expect(sink.frames.map(\.frame) == [1, 2, 3, 4])
        #expect(stats.directionGuessed == 0)
    }

    @Test func answersAreCorrelatedThroughTheDecoder() throws {
        let (sink, _) = try LogFixture.decode(DirectionTests.csmsSide)
        #expect(sink.messages.count == 6)
        let answers = sink.messages.filter { $0.message.type == .callResult }
        #expect(answers.allSatisfy { $0.request != nil })
        #expect(answers.map(\.action) == ["BootNotification", "DataTransfer", "DataTransfer"])
        #expect(answers[0].latency == 0)
    }

    @Test func aLogWithNoWordsUsesTheRulesAndAssumesTheRest() throws {
        let log = """
        2023-04-15 12:00:00 CP_1 [2,"1","Heartbeat",{}]
        2023-04-15 12:00:00 CP_1 [3,"1",{"currentTime":"2023-04-15T12:00:00Z"}]
        2023-04-15 12:00:01 CP_1 [2,"2","DataTransfer",{"vendorId":"x"}]
        2023-04-15 12:00:01 CP_1 [3,"zz",{}]
        """
        let (sink, stats, _, _) = try LogFixture.read(log)
        #expect(sink.frames.map(\.direction) == [.chargePointToCSMS, .csmsToChargePoint, .chargePointToCSMS, .csmsToChargePoint])
        #expect(stats.directionGuessed == 2)
    }
}
