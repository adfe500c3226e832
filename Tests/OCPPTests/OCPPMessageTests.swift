import Frames
import Testing
@testable import OCPP

private func parse(_ s: String) -> Result<OCPPMessage, OCPPMessage.Failure> {
    Array(s.utf8).withUnsafeBytes { raw in Result { () throws(OCPPMessage.Failure) in try OCPPMessage.parse(raw) } }
}

private func payload(_ s: String, _ m: OCPPMessage) -> String {
    String(decoding: Array(s.utf8)[m.payload], as: UTF8.self)
}

/// The unique id as `DecodedMessage.uniqueId` gives it, and its bytes as the correlator and the store take them.
private func uniqueId(_ m: OCPPMessage, in text: String) -> String {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { raw in
        let id = m.uniqueId(in: raw)
        let utf8 = m.withUniqueIdBytes(in: raw) { Array($0) }
        #expect(utf8 == Array(id.utf8), "the bytes are the String's UTF-8")
        return id
    }
}

@Suite("OCPP-J envelopes")
struct OCPPMessageTests {
    @Test func call() throws {
        let s = #"[2, "19223201", "BootNotification", {"chargePointVendor": "VendorX", "chargePointModel": "SingleSocketCharger"}]"#
        let m = try parse(s).get()
        #expect(m.type == .call)
        #expect(uniqueId(m, in: s) == "19223201")
        #expect(m.unusualUniqueId == nil, "a plain ASCII id is read where it lies")
        #expect(m.action == "BootNotification")
        #expect(payload(s, m) == #"{"chargePointVendor": "VendorX", "chargePointModel": "SingleSocketCharger"}"#)
    }

    @Test func callResultAndError() throws {
        let r = #"[3,"19223201",{"status":"Accepted","currentTime":"2013-02-01T20:53:32.486Z","interval":300}]"#
        let m = try parse(r).get()
        #expect(m.type == .callResult)
        #expect(m.action == nil)
        let e = #"[4,"162376037","NotSupported","SetDisplayMessageRequest not implemented",{}]"#
        let em = try parse(e).get()
        #expect(em.type == .callError)
        #expect(em.errorCode == "NotSupported")
        #expect(em.errorDescription == "SetDisplayMessageRequest not implemented")
        #expect(payload(e, em) == "{}")
    }

    @Test func ocpp21CallResultErrorAndSend() throws {
        let e = try parse(#"[5,"u1","InternalError","could not store",{"reason":"disk"}]"#).get()
        #expect(e.type == .callResultError)
        #expect(e.errorCode == "InternalError")
        let s = try parse(#"[6,"u2","NotifyPeriodicEventStream",{"id":1,"pending":0,"basetime":"2025-01-01T00:00:00Z","data":[]}]"#).get()
        #expect(s.type == .send)
        #expect(s.action == "NotifyPeriodicEventStream")
    }

    @Test func escapedUniqueIdIsDecoded() throws {
        let text = #"[2,"a\"b\u00e9\ud83d\ude00","Heartbeat",{}]"#
        let m = try parse(text).get()
        #expect(uniqueId(m, in: text) == "a\"bé😀")
        #expect(m.unusualUniqueId == "a\"bé😀")
    }

    /// Raw UTF-8 and invalid bytes are made a String (repaired as String
    /// repairs them); the length limit counts the id's characters, not the
    /// escapes that spell them.
    @Test func unusualUniqueIdsAreStringsAndTheLimitCountsTheValue() throws {
        let raw = #"[3,"caf\#u{e9}-1",{}]"#
        let r = try parse(raw).get()
        #expect(r.unusualUniqueId == "café-1")
        #expect(uniqueId(r, in: raw) == "café-1")

        var invalid = Array(#"[3,"ab"#.utf8)
        invalid.append(0xFF)
        invalid += Array(#"",{}]"#.utf8)
        let bad = try invalid.withUnsafeBytes { raw in try OCPPMessage.parse(raw) }
        #expect(bad.unusualUniqueId == "ab\u{FFFD}")
        invalid.withUnsafeBytes { raw in
            #expect(bad.withUniqueIdBytes(in: raw) { Array($0) } == Array("ab\u{FFFD}".utf8))
        }

        let spelled = String(repeating: #"\u0041"#, count: OCPPMessage.maxUniqueIdLength)
        let long = try parse(#"[2,"\#(spelled)","Heartbeat",{}]"#).get()
        #expect(long.unusualUniqueId == String(repeating: "A", count: OCPPMessage.maxUniqueIdLength))
        guard case .failure(let f) = parse(#"[2,"\#(String(repeating: "A", count: OCPPMessage.maxUniqueIdLength + 1))","Heartbeat",{}]"#) else {
            Issue.record("an over-long id parsed"); return
        }
        #expect(f.reason == "bad-unique-id")
        #expect(f.detail == "unique id of \(OCPPMessage.maxUniqueIdLength + 1) characters")
    }

    /// Known actions come from the action table, others and escaped
    /// spellings are decoded as any string.
    @Test func actionsKnownEscapedAndUnknown() throws {
        #expect(try parse(#"[2,"1","StatusNotification",{}]"#).get().action == "StatusNotification")
        #expect(try parse(#"[2,"1","Status\u004eotification",{}]"#).get().action == "StatusNotification")
        #expect(try parse(#"[2,"1","DataTransfer",{}]"#).get().action == "DataTransfer")
        #expect(try parse(#"[2,"1","VendorThing",{}]"#).get().action == "VendorThing")
        #expect(try parse(#"[6,"1","",{}]"#).get().action == "")
        guard case .failure(let f) = parse(#"[2,"1",7,{}]"#) else { Issue.record("a number as action parsed"); return }
        #expect(f.reason == "bad-action")
    }

    @Test func invalidJSONIsAJSONIssue() {
        guard case .failure(let f) = parse(#"[2,"1","Heartbeat",{]"#) else { Issue.record("parsed"); return }
        #expect(f.layer == .json)
        #expect(f.reason == "invalid-json")
        guard case .failure(let g) = parse(#"[2,"1","Heartbeat",{}] trailing"#) else { Issue.record("parsed"); return }
        #expect(g.layer == .json)
    }

    @Test func jsonThatIsNotOCPPIsAnOCPPIssue() {
        for (text, reason) in [(#"{"hello":1}"#, "not-an-array"),
                               (#"[7,"1","X",{}]"#, "unknown-message-type"),
                               (#"[2,1,"X",{}]"#, "bad-unique-id"),
                               (#"[2,"1",{}]"#, "bad-action"),
                               (#"[3,"1"]"#, "missing-element"),
                               (#"[3,"1",{},{}]"#, "extra-elements"),
                               (#"["2","1","X",{}]"#, "bad-message-type")] {
            guard case .failure(let f) = parse(text) else { Issue.record("parsed \(text)"); continue }
            #expect(f.layer == .ocpp, "\(text)")
            #expect(f.reason == reason, "\(text)")
        }
    }

    @Test func deepNestingIsRefusedWithoutCrashing() {
        let deep = #"[2,"1","DataTransfer",{"data":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}]"
        guard case .failure(let f) = parse(deep) else { Issue.record("parsed"); return }
        #expect(f.reason == "too-deep")
    }

    @Test func numbersAndLiterals() throws {
        let v = try JSONValue.parse(#"{"a":-1.5e3,"b":[true,false,null],"c":"x\ny","d":0}"#)
        #expect(v["a"]?.double == -1500)
        #expect(v["b"] == .array([.bool(true), .bool(false), .null]))
        #expect(v["c"]?.string == "x\ny")
        #expect(v.serialized == #"{"a":-1.5e3,"b":[true,false,null],"c":"x\ny","d":0}"#)
        for bad in ["01", "1.", "-", "1e", "tru", "\"\u{01}\""] {
            #expect(throws: JSONScanner.Failure.self) { try JSONValue.parse(bad) }
        }
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test func formatAndParse() {
        let t = Timestamp(iso8601: "2026-03-02T06:00:00.123Z")!
        #expect(t.microseconds == 1_772_431_200_123_000)
        #expect(t.iso8601 == "2026-03-02T06:00:00.123Z")
        #expect(Timestamp(microseconds: 1_772_431_200_123_456).iso8601 == "2026-03-02T06:00:00.123456Z")
        #expect(Timestamp(iso8601: "2026-03-02T07:00:00+01:00") == Timestamp(iso8601: "2026-03-02T06:00Z"))
        #expect(Timestamp(iso8601: "2026-03-02 06:00:00,5")!.microseconds == 1_772_431_200_500_000)
        #expect(Timestamp(iso8601: "2026-03-02")!.iso8601 == "2026-03-02T00:00:00.000Z")
        #expect(Timestamp(iso8601: "1969-12-31T23:59:59.5Z")!.iso8601 == "1969-12-31T23:59:59.500Z")
        #expect(Timestamp(iso8601: "2026-13-02") == nil)
        #expect(Timestamp(iso8601: "yesterday") == nil)
    }
}
