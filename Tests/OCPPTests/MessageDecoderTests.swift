import Frames
import Testing
@testable import OCPP

/// Collects what a MessageDecoder produces.
final class Collector: MessageSink {
    var messages: [DecodedMessage] = []
    var outcomes: [CallOutcome] = []
    var issues: [DecodeIssue] = []
    func connectionOpened(_ c: ConnectionInfo) {}
    func connectionUpdated(_ c: ConnectionInfo) {}
    func message(_ m: DecodedMessage) { messages.append(m) }
    func outcome(_ o: CallOutcome) { outcomes.append(o) }
    func issue(_ i: DecodeIssue) { issues.append(i) }

    var text: [String] { messages.map { String(decoding: $0.frame.text, as: UTF8.self) } }
}

private func frame(_ s: String, _ d: Direction, at ms: Int64, connection: Int = 1) -> OCPPFrame {
    OCPPFrame(text: Array(s.utf8), time: Timestamp(microseconds: ms * 1000), direction: d, connection: connection, frame: ms)
}

@Suite("Correlation and masking")
struct MessageDecoderTests {
    @Test func answersGetTheirCallsActionAndLatency() {
        let c = Collector()
        let d = MessageDecoder(sink: c)
        d.frame(frame(#"[2,"1","Heartbeat",{}]"#, .chargePointToCSMS, at: 1000))
        d.frame(frame(#"[2,"1","Reset",{"type":"Soft"}]"#, .csmsToChargePoint, at: 1001))  // same id, other side
        d.frame(frame(#"[3,"1",{"currentTime":"2026-01-01T00:00:00Z"}]"#, .csmsToChargePoint, at: 1250))
        d.frame(frame(#"[4,"1","NotSupported","",{}]"#, .chargePointToCSMS, at: 1300))
        #expect(c.messages[2].action == "Heartbeat")
        #expect(c.messages[2].latency == 250_000)
        #expect(c.messages[2].request == 1)
        #expect(c.messages[3].action == "Reset")
        #expect(c.messages[3].request == 2)
        #expect(c.outcomes.count == 2)
    }

    @Test func unansweredCallsAreReportedWhenTheConnectionEnds() {
        let c = Collector()
        let d = MessageDecoder(sink: c)
        d.frame(frame(#"[2,"a","GetConfiguration",{}]"#, .csmsToChargePoint, at: 1))
        d.frame(frame(#"[2,"b","Heartbeat",{}]"#, .chargePointToCSMS, at: 2))
        d.frame(frame(#"[3,"b",{"currentTime":"2026-01-01T00:00:00Z"}]"#, .csmsToChargePoint, at: 3))
        var info = ConnectionInfo(id: 1, chargePoint: "CP1", identitySource: .urlPath, firstFrame: 1)
        info.ended = true
        info.closedHow = "close-frame"
        d.connectionUpdated(info)
        guard case .unanswered(let call, let reason)? = c.outcomes.last else { Issue.record("no outcome"); return }
        #expect(call == 1)
        #expect(reason == "closed")
    }

    @Test func anIdReusedLaterIsANewCall() {
        let c = Collector()
        let d = MessageDecoder(sink: c)
        d.frame(frame(#"[2,"1","Heartbeat",{}]"#, .chargePointToCSMS, at: 1))
        d.frame(frame(#"[3,"1",{}]"#, .csmsToChargePoint, at: 2))
        d.frame(frame(#"[2,"1","Heartbeat",{}]"#, .chargePointToCSMS, at: 10_000_000))
        d.frame(frame(#"[3,"1",{}]"#, .csmsToChargePoint, at: 10_000_001))
        #expect(c.messages[3].request == 3)
        #expect(c.messages[3].latency == 1000)
    }

    @Test func answersOnAnotherConnectionDoNotMatch() {
        let c = Collector()
        let d = MessageDecoder(sink: c)
        d.frame(frame(#"[2,"1","Heartbeat",{}]"#, .chargePointToCSMS, at: 1, connection: 1))
        d.frame(frame(#"[3,"1",{}]"#, .csmsToChargePoint, at: 2, connection: 2))
        #expect(c.messages[1].action == nil)
    }

    @Test func callResultErrorRefersToTheAnsweredCall() {
        let c = Collector()
        let d = MessageDecoder(sink: c)
        d.frame(frame(#"[2,"9","NotifyReport",{}]"#, .chargePointToCSMS, at: 1))
        d.frame(frame(#"[3,"9",{}]"#, .csmsToChargePoint, at: 2))
        d.frame(frame(#"[5,"9","FormatViolation","bad result",{}]"#, .chargePointToCSMS, at: 3))
        #expect(c.messages[2].action == "NotifyReport")
    }

    /// The decoder remembers the last 32 answered calls of a connection: a
    /// CALLRESULTERROR finds any of those (the newest when an id was used
    /// twice), and not one answered before them.
    @Test func callResultErrorFindsTheLast32AnsweredCalls() {
        let c = Collector()
        let d = MessageDecoder(sink: c)
        var t: Int64 = 0
        func exchange(_ id: String, _ action: String) {
            t += 2
            d.frame(frame(#"[2,"\#(id)","\#(action)",{}]"#, .csmsToChargePoint, at: t))
            d.frame(frame(#"[3,"\#(id)",{}]"#, .chargePointToCSMS, at: t + 1))
        }
        exchange("dup", "Reset")
        for i in 0..<38 { exchange("c\(i)", "GetVariables") }
        exchange("dup", "SetVariables")
        func error(_ id: String) -> String? {
            t += 1
            d.frame(frame(#"[5,"\#(id)","FormatViolation","bad result",{}]"#, .csmsToChargePoint, at: t))
            return c.messages.last!.action
        }
        #expect(error("dup") == "SetVariables")
        #expect(error("c37") == "GetVariables")
        #expect(error("c7") == "GetVariables")   // the 32nd newest
        #expect(error("c6") == nil)              // the 33rd
        #expect(error("c0") == nil)
    }

    /// Ids are keys by their bytes: 40 held as they are, longer ones by
    /// their first 32 and a hash of all. Ids that share those 32 bytes, ids
    /// one byte apart in length, an escaped id and its plain spelling (one
    /// id), each pair with one CALL open: every answer finds its own.
    @Test func idsOfEveryLengthAndSpellingFindTheirCalls() {
        let c = Collector()
        let d = MessageDecoder(sink: c)
        let prefix = String(repeating: "p", count: 32)
        let ids = [prefix + "-first-of-two-long-ids", prefix + "-second-of-two-long-ids",
                   String(repeating: "x", count: 39), String(repeating: "x", count: 40), String(repeating: "x", count: 41),
                   "", #"e\u0301"#, "é", String(repeating: "u", count: OCPPMessage.maxUniqueIdLength)]
        var t: Int64 = 0
        for (k, id) in ids.enumerated() {
            t += 1
            d.frame(frame(#"[2,"\#(id)","DataTransfer",{"vendorId":"v\#(k)"}]"#, .chargePointToCSMS, at: t))
        }
        // An escaped spelling answers the plain one's CALL.
        t += 1
        d.frame(frame(#"[3,"\u00e9",{"status":"Accepted"}]"#, .csmsToChargePoint, at: t))
        for (k, id) in ids.enumerated().reversed() where id != "é" {
            t += 1
            d.frame(frame(#"[3,"\#(id)",{"status":"Accepted","data":"\#(k)"}]"#, .csmsToChargePoint, at: t))
        }
        let answers = c.messages.filter { $0.message.type == .callResult }
        #expect(answers.count == ids.count)
        #expect(answers.allSatisfy { $0.action == "DataTransfer" })
        // Each answer took its own CALL (sequence k + 1), none another's.
        #expect(answers[0].request == Int64(ids.firstIndex(of: "é")! + 1))
        let rest = answers.dropFirst().map { $0.request }
        let expected = ids.enumerated().reversed().filter { $0.element != "é" }.map { Int64($0.offset + 1) as Int64? }
        #expect(rest == expected)
        #expect(answers[0].uniqueId == "é")
        #expect(c.outcomes.count == ids.count)
    }

    @Test func secretsAreMasked() {
        let c = Collector()
        let d = MessageDecoder(sink: c)
        d.frame(frame(#"[2,"1","ChangeConfiguration",{"key":"AuthorizationKey","value":"DEADBEEF1234"}]"#, .csmsToChargePoint, at: 1))
        d.frame(frame(#"[2,"2","ChangeConfiguration",{"key":"HeartbeatInterval","value":"60"}]"#, .csmsToChargePoint, at: 2))
        d.frame(frame(#"[2,"3","SetVariables",{"setVariableData":[{"attributeValue":"s3cret","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}]"#, .csmsToChargePoint, at: 3))
        d.frame(frame(#"[2,"4","GetConfiguration",{}]"#, .csmsToChargePoint, at: 4))
        d.frame(frame(#"[3,"4",{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"DEADBEEF1234"}]}]"#, .chargePointToCSMS, at: 5))
        #expect(c.text[0] == #"[2,"1","ChangeConfiguration",{"key":"AuthorizationKey","value":"***"}]"#)
        #expect(c.text[1].contains("\"60\""))
        #expect(!c.text.joined().contains("s3cret"))
        #expect(!c.text.joined().contains("DEADBEEF"))
        #expect(d.secretsMasked == 3)
        // The payload range follows the new text.
        #expect(String(decoding: c.messages[0].payloadBytes, as: UTF8.self) == #"{"key":"AuthorizationKey","value":"***"}"#)
    }

    @Test func badFramesBecomeIssuesWithTheirLayer() {
        let c = Collector()
        let d = MessageDecoder(sink: c)
        d.frame(frame("not json", .chargePointToCSMS, at: 1))
        d.frame(frame(#"[9,"1"]"#, .chargePointToCSMS, at: 2))
        #expect(c.messages.isEmpty)
        #expect(c.issues.map(\.layer) == [.json, .ocpp])
        #expect(c.issues[0].raw == Array("not json".utf8))
    }
}
