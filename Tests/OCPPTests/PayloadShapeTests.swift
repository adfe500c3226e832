import Testing
@testable import OCPP

/// `PayloadShape.family` reads from the bytes what VersionInference used to
/// read from a parsed JSONValue; the JSONValue reading is kept here as the
/// reference, on random payloads made of the names that matter (some
/// escaped, some repeated) and of meter values of every shape.
@Suite("Payload shape")
struct PayloadShapeTests {
    static func reference(_ text: String) -> PayloadShape.Family? {
        guard let p = try? JSONValue.parse(text) else { return nil }
        if p["chargePointVendor"] != nil || p["errorCode"] != nil || p["idTag"] != nil
            || p["meterValue"]?[0]?["sampledValue"]?[0]?["value"]?.string != nil {
            return .v16
        }
        if p["chargingStation"] != nil || p["connectorStatus"] != nil || p["idToken"] != nil || p["evseId"] != nil {
            return .v2
        }
        return nil
    }

    @Test func answersAsTheParsedPayloadDid() {
        var r = JSONSkipTests.Rng(state: 77)
        let names = ["chargePointVendor", "errorCode", "idTag", "chargingStation", "connectorStatus", "idToken", "evseId",
                     "status", "connectorId", "charge\\u0050ointVendor", "evse\\u0049d", "idTa", "meterValue", "meterValue"]
        let values = ["1", "null", "\"x\"", "{}", "[]", "{\"a\":[1,{\"b\":2}]}", "\"\\u00e9\""]
        let meters = ["[]", "{}", "[1]", "[{}]", "[{\"sampledValue\":[]}]", "[{\"sampledValue\":[{\"value\":\"12.5\"}]}]",
                      "[{\"sampledValue\":[{\"value\":12.5}]}]", "[{\"timestamp\":\"t\",\"sampledValue\":[{\"unit\":\"Wh\",\"value\":\"3\"},{\"value\":4}]}]",
                      "[{\"sampledValue\":[{\"value\":1},{\"value\":\"2\"}]}]", "[[{\"sampledValue\":[{\"value\":\"1\"}]}]]",
                      "[{\"sample\\u0064Value\":[{\"va\\u006Cue\":\"1\"}]}]"]
        var seen: [String: Int] = [:]
        for _ in 0..<3000 {
            let members = (0..<r.below(5)).map { _ -> String in
                let name = names[r.below(names.count)]
                let value = name == "meterValue" ? meters[r.below(meters.count)] : values[r.below(values.count)]
                return JSONSkipTests.space(&r) + "\"\(name)\"" + JSONSkipTests.space(&r) + ":" + JSONSkipTests.space(&r) + value
            }
            let text = r.below(20) == 0 ? "[" + members.joined(separator: ",") + "]" : "{" + members.joined(separator: ",") + JSONSkipTests.space(&r) + "}"
            let expected = PayloadShapeTests.reference(text)
            let got = Array(text.utf8).withUnsafeBytes { PayloadShape.family($0) }
            #expect(got == expected, "\(text)")
            seen["\(String(describing: expected))", default: 0] += 1
        }
        #expect(seen.count == 3 && seen.values.allSatisfy { $0 > 100 }, "\(seen)")
    }
}
