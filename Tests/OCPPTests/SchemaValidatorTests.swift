import Testing
@testable import OCPP

/// Validates `json` and returns the violations; fails the test when there are no rules.
private func violations(_ version: String, _ action: String, request: Bool = true, _ json: String,
                        limit: Int = SchemaValidator.defaultLimit,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> [SchemaViolation] {
    let payload = try JSONValue.parse(json)
    let v = SchemaValidator.shared.validate(version: version, action: action, isRequest: request, payload: payload,
                                            limit: limit)
    return try #require(v, "no rules for \(version) \(action)", sourceLocation: sourceLocation)
}

/// The (kind, path) pairs, the part of a violation a test pins down.
private func kinds(_ v: [SchemaViolation]) -> [String] { v.map { "\($0.kind.rawValue) \($0.path)" } }

@Suite("SchemaValidator: payloads against the official OCPP JSON schemas")
struct SchemaValidatorTests {
    // MARK: Coverage

    /// The action counts are those of the schema folders the rules were
    /// generated from: 1.6 with the security extension has 78 files (39
    /// actions), 2.0.1 has 128 (64), 2.1 has 181 (91 actions: 90 pairs and
    /// NotifyPeriodicEventStream, a SEND with no response).
    @Test(arguments: [("1.6", 39, 39, 39), ("2.0.1", 64, 64, 64), ("2.1", 91, 91, 90)])
    func everyActionOfEveryVersionHasRules(version: String, actions: Int, requests: Int, responses: Int) throws {
        let v = SchemaValidator.shared
        let names = v.actions(version: version)
        #expect(names.count == actions)
        #expect(names.filter { v.hasRules(version: version, action: $0, isRequest: true) }.count == requests)
        #expect(names.filter { v.hasRules(version: version, action: $0, isRequest: false) }.count == responses)
        // Every rule tree parses: validating anything against it gives an answer.
        for name in names {
            for isRequest in [true, false] where v.hasRules(version: version, action: name, isRequest: isRequest) {
                #expect(v.validate(version: version, action: name, isRequest: isRequest, payload: .object([])) != nil)
                #expect(v.validate(version: version, action: name, isRequest: isRequest, payload: .array([]))?.first?.kind
                        == .wrongType)
            }
        }
    }

    @Test func versionsAndKnownNames() {
        #expect(SchemaValidator.versions == ["1.6", "2.0.1", "2.1"])
        let v = SchemaValidator.shared
        #expect(v.actions(version: "1.6").contains("SignedUpdateFirmware"))  // security extension
        #expect(v.actions(version: "2.0.1").contains("TransactionEvent"))
        #expect(v.actions(version: "2.1").contains("NotifyPeriodicEventStream"))
        #expect(!v.hasRules(version: "2.1", action: "NotifyPeriodicEventStream", isRequest: false))
        #expect(v.actions(version: "ocpp2.0.1") == v.actions(version: "2.0.1"))
        #expect(v.actions(version: "3.0").isEmpty)
    }

    /// The action lists VersionInference keeps by hand agree with the schemas.
    @Test func versionInferenceListsAgreeWithTheSchemas() {
        let v = SchemaValidator.shared
        let a16 = Set(v.actions(version: "1.6")), a201 = Set(v.actions(version: "2.0.1")), a21 = Set(v.actions(version: "2.1"))
        #expect(VersionInference.only16.isSubset(of: a16))
        #expect(VersionInference.only16.isDisjoint(with: a201.union(a21)))
        #expect(VersionInference.only21.isSubset(of: a21))
        #expect(VersionInference.only21.isDisjoint(with: a16.union(a201)))
        #expect(VersionInference.only2x.isSubset(of: a201.intersection(a21)))
        #expect(VersionInference.only2x.isDisjoint(with: a16))
    }

    @Test func noRulesIsNilNotAnError() throws {
        let v = SchemaValidator.shared
        #expect(v.validate(version: "1.5", action: "BootNotification", isRequest: true, payload: .object([])) == nil)
        #expect(v.validate(version: "1.6", action: "NoSuchAction", isRequest: true, payload: .object([])) == nil)
        #expect(v.validate(version: "2.1", action: "NotifyPeriodicEventStream", isRequest: false, payload: .object([])) == nil)
        #expect(v.validate(version: "ocpp1.6", action: "Heartbeat", isRequest: true, payload: .object([])) == [])
    }

    // MARK: 1.6

    @Test func bootNotification16() throws {
        #expect(try violations("1.6", "BootNotification", #"{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger","firmwareVersion":"1.2.3"}"#) == [])
        let v = try violations("1.6", "BootNotification", #"{"chargePointVendor":"VendorX","chargePointSerialNumber":42}"#)
        #expect(kinds(v) == ["wrong-type /chargePointSerialNumber", "missing-required /chargePointModel"])
        #expect(v[0].message == "expected string, found number 42")
        #expect(v[1].message == #"required member "chargePointModel" is missing"#)
    }

    @Test func bootNotificationResponse16() throws {
        #expect(try violations("1.6", "BootNotification", request: false,
                               #"{"status":"Accepted","currentTime":"2013-02-01T20:53:32.486Z","interval":300}"#) == [])
        let v = try violations("1.6", "BootNotification", request: false,
                               #"{"status":"OK","currentTime":"2013-02-01 20:53:32","interval":"300"}"#)
        #expect(kinds(v) == ["not-in-enum /status", "bad-date-time /currentTime", "wrong-type /interval"])
        #expect(v[0].message == #""OK" is not one of Accepted, Pending, Rejected"#)
        #expect(v[1].message == #""2013-02-01 20:53:32" is not an RFC 3339 date-time"#)
    }

    @Test func statusNotificationWithBadEnum() throws {
        #expect(try violations("1.6", "StatusNotification", #"{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2025-03-03T07:00:00Z"}"#) == [])
        let v = try violations("1.6", "StatusNotification", #"{"connectorId":1,"errorCode":"NoError","status":"Occupied"}"#)
        #expect(kinds(v) == ["not-in-enum /status"])
        #expect(v[0].message == #""Occupied" is not one of Available, Preparing, Charging, SuspendedEVSE, … (9 values)"#)
        // 2.0.1 has Occupied, and other members.
        #expect(try violations("2.0.1", "StatusNotification", #"{"timestamp":"2025-03-03T07:00:00+01:00","connectorStatus":"Occupied","evseId":1,"connectorId":1}"#) == [])
        let w = try violations("2.0.1", "StatusNotification", #"{"timestamp":"2025-03-03T07:00:00Z","connectorStatus":"Charging","evseId":1,"connectorId":1}"#)
        #expect(kinds(w) == ["not-in-enum /connectorStatus"])
    }

    @Test func meterValuesMissingMemberDeepInAnArray() throws {
        let ok = #"{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2025-03-03T07:00:00Z","sampledValue":[{"value":"1234.5","measurand":"Energy.Active.Import.Register","unit":"Wh"},{"value":"7.2","measurand":"Power.Active.Import","unit":"kW","phase":"L1-N"}]}]}"#
        #expect(try violations("1.6", "MeterValues", ok) == [])
        let bad = #"{"connectorId":1,"meterValue":[{"timestamp":"2025-03-03T07:00:00Z","sampledValue":[{"value":"1"},{"measurand":"Voltage"},{"value":"3","measurand":"Volts"}]}]}"#
        let v = try violations("1.6", "MeterValues", bad)
        #expect(kinds(v) == ["missing-required /meterValue/0/sampledValue/1/value",
                             "not-in-enum /meterValue/0/sampledValue/2/measurand"])
        // An empty array breaks minItems; a missing array is a missing member.
        #expect(kinds(try violations("1.6", "MeterValues", #"{"connectorId":1,"meterValue":[{"timestamp":"2025-03-03T07:00:00Z","sampledValue":[]}]}"#))
                == ["too-few-items /meterValue/0/sampledValue"])
        // 2.0.1 wants numbers where 1.6 wants strings.
        #expect(kinds(try violations("2.0.1", "MeterValues", #"{"evseId":1,"meterValue":[{"timestamp":"2025-03-03T07:00:00Z","sampledValue":[{"value":"12"}]}]}"#))
                == ["wrong-type /meterValue/0/sampledValue/0/value"])
    }

    @Test func tooLongIdTag() throws {
        let ok = #"{"connectorId":1,"idTag":"04A2B3C4D5E6F70011FF","meterStart":0,"timestamp":"2025-03-03T07:00:00Z"}"#
        #expect(try violations("1.6", "StartTransaction", ok) == [])
        let v = try violations("1.6", "StartTransaction", #"{"connectorId":1,"idTag":"04A2B3C4D5E6F70011FF0","meterStart":0,"timestamp":"2025-03-03T07:00:00Z"}"#)
        #expect(kinds(v) == ["too-long /idTag"])
        #expect(v[0].message == "21 characters, at most 20 allowed")
        // maxLength counts characters, not UTF-8 bytes: 20 × "é" is 40 bytes and fits.
        let accents = String(repeating: "é", count: 20)
        #expect(try violations("1.6", "Authorize", #"{"idTag":"\#(accents)"}"#) == [])
    }

    @Test func additionalPropertiesAndOpenCustomData() throws {
        let v = try violations("1.6", "Heartbeat", #"{"foo":1,"a/b~c":2}"#)
        #expect(kinds(v) == ["unexpected-member /foo", "unexpected-member /a~1b~0c"])
        // 2.x customData is open to vendor members; its vendorId is required.
        #expect(try violations("2.0.1", "Heartbeat", #"{"customData":{"vendorId":"ACME","anything":[1,2]}}"#) == [])
        #expect(kinds(try violations("2.0.1", "Heartbeat", #"{"customData":{"anything":true}}"#))
                == ["missing-required /customData/vendorId"])
    }

    @Test func wrongTypes() throws {
        let v = try violations("1.6", "StatusNotification", #"{"connectorId":"1","errorCode":null,"status":["Available"]}"#)
        #expect(kinds(v) == ["wrong-type /connectorId", "wrong-type /errorCode", "wrong-type /status"])
        #expect(v.map(\.message) == [#"expected integer, found string "1""#, "expected string, found null",
                                     "expected string, found array"])
        // 1.0 is an integer (draft-06); 1.5 is not.
        #expect(try violations("1.6", "Heartbeat", request: false, #"{"currentTime":"2025-03-03T07:00:00Z"}"#) == [])
        #expect(kinds(try violations("1.6", "ChangeAvailability", #"{"connectorId":1.5,"type":"Operative"}"#))
                == ["wrong-type /connectorId"])
        #expect(try violations("1.6", "ChangeAvailability", #"{"connectorId":1.0,"type":"Operative"}"#) == [])
        #expect(try violations("1.6", "ChangeAvailability", #"{"connectorId":2e0,"type":"Operative"}"#) == [])
        // A payload that is not an object at all.
        #expect(kinds(try violations("1.6", "Heartbeat", #""hello""#)) == ["wrong-type "])
    }

    // MARK: 2.0.1

    @Test func bootNotification201() throws {
        #expect(try violations("2.0.1", "BootNotification", #"{"reason":"PowerUp","chargingStation":{"model":"SingleSocketCharger","vendorName":"VendorX","modem":{"iccid":"8931"}}}"#) == [])
        let v = try violations("2.0.1", "BootNotification", #"{"reason":"Powerup","chargingStation":{"model":"SingleSocketCharger","serialNumber":"12345678901234567890123456"}}"#)
        #expect(kinds(v) == ["not-in-enum /reason", "too-long /chargingStation/serialNumber",
                             "missing-required /chargingStation/vendorName"])
        // A 1.6 payload sent on a 2.0.1 connection.
        let w = try violations("2.0.1", "BootNotification", #"{"chargePointVendor":"VendorX","chargePointModel":"M"}"#)
        #expect(kinds(w) == ["unexpected-member /chargePointVendor", "unexpected-member /chargePointModel",
                             "missing-required /reason", "missing-required /chargingStation"])
    }

    @Test func bootNotificationResponse201() throws {
        #expect(try violations("2.0.1", "BootNotification", request: false, #"{"currentTime":"2025-03-03T07:00:00.123456Z","interval":300,"status":"Pending","statusInfo":{"reasonCode":"Maintenance"}}"#) == [])
        let v = try violations("2.0.1", "BootNotification", request: false, #"{"currentTime":"2025-03-03T07:00:00","interval":300,"status":"Accepted","statusInfo":{}}"#)
        #expect(kinds(v) == ["bad-date-time /currentTime", "missing-required /statusInfo/reasonCode"])
    }

    @Test func transactionEvent201() throws {
        let ok = #"""
        {"eventType":"Started","timestamp":"2025-03-03T07:00:00Z","triggerReason":"Authorized","seqNo":0,
         "transactionInfo":{"transactionId":"f3b5d1c2-0000-4000-8000-000000000001","chargingState":"EVConnected"},
         "idToken":{"idToken":"04A2B3C4","type":"ISO14443"},"evse":{"id":1,"connectorId":1},
         "meterValue":[{"timestamp":"2025-03-03T07:00:00Z","sampledValue":[{"value":0,"measurand":"Energy.Active.Import.Register","context":"Transaction.Begin","unitOfMeasure":{"unit":"Wh","multiplier":0}}]}]}
        """#
        #expect(try violations("2.0.1", "TransactionEvent", ok) == [])
        let bad = #"""
        {"eventType":"Begin","timestamp":"2025-03-03T07:00:00Z","triggerReason":"Authorized","seqNo":"1",
         "transactionInfo":{"chargingState":"Charging"},"idToken":{"idToken":"04A2B3C4","type":"RFID"},
         "evse":{"connectorId":1},"meterValue":[]}
        """#
        let v = try violations("2.0.1", "TransactionEvent", bad)
        #expect(kinds(v) == ["not-in-enum /eventType", "wrong-type /seqNo", "missing-required /transactionInfo/transactionId",
                             "not-in-enum /idToken/type", "missing-required /evse/id", "too-few-items /meterValue"])
    }

    // MARK: 2.1

    @Test func transactionEvent21() throws {
        // 2.1 made idToken.type a free string and added bounds and members.
        let ok = #"""
        {"eventType":"Updated","timestamp":"2025-03-03T07:10:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,
         "numberOfPhasesUsed":3,"preconditioningStatus":"Ready",
         "transactionInfo":{"transactionId":"T1","chargingState":"Charging","transactionLimit":{"maxSoC":80}},
         "idToken":{"idToken":"04A2B3C4","type":"RFID"},"evse":{"id":1,"connectorId":1},
         "costDetails":{"totalCost":{"currency":"EUR","typeOfCost":"NormalCost","total":{"inclTax":3.5}},
                        "totalUsage":{"energy":7000,"chargingTime":600,"idleTime":0}}}
        """#
        #expect(try violations("2.1", "TransactionEvent", ok) == [])
        let bad = #"""
        {"eventType":"Updated","timestamp":"2025-03-03T07:10:00Z","triggerReason":"MeterValuePeriodic","seqNo":-1,
         "numberOfPhasesUsed":4,"preconditioningStatus":"Warm",
         "transactionInfo":{"transactionId":"T1","transactionLimit":{"maxSoC":101}},
         "evse":{"id":1},
         "costDetails":{"totalCost":{"currency":"EURO","typeOfCost":"NormalCost","total":{},
                                     "energy":{"taxRates":[{"type":"VAT","tax":21},{"type":"a","tax":1},{"type":"b","tax":1},{"type":"c","tax":1},{"type":"d","tax":1},{"type":"e","tax":1,"stack":-2}]}},
                        "totalUsage":{"energy":7000,"chargingTime":600,"idleTime":0}}}
        """#
        let v = try violations("2.1", "TransactionEvent", bad)
        #expect(kinds(v) == ["out-of-range /seqNo", "out-of-range /numberOfPhasesUsed", "not-in-enum /preconditioningStatus",
                             "out-of-range /transactionInfo/transactionLimit/maxSoC", "too-long /costDetails/totalCost/currency",
                             "too-many-items /costDetails/totalCost/energy/taxRates",
                             "out-of-range /costDetails/totalCost/energy/taxRates/5/stack"])
        #expect(v[0].message == "-1 is below the minimum 0")
        #expect(v[1].message == "4 is above the maximum 3")
        #expect(v[5].message == "6 items, at most 5 allowed")
        // The same payload is no 2.0.1 TransactionEvent.
        #expect(try violations("2.0.1", "TransactionEvent", ok).contains { $0.kind == .unexpectedMember })
    }

    @Test func dischargeLimitsAreNegative21() throws {
        // dischargeLimit has maximum 0 in 2.1: discharging is a negative power.
        #expect(try violations("2.1", "UpdateDynamicSchedule", #"{"chargingProfileId":1,"scheduleUpdate":{"limit":11000,"dischargeLimit":-5000}}"#) == [])
        #expect(kinds(try violations("2.1", "UpdateDynamicSchedule", #"{"chargingProfileId":1,"scheduleUpdate":{"dischargeLimit":5000}}"#))
                == ["out-of-range /scheduleUpdate/dischargeLimit"])
    }

    @Test func sendWithoutResponse21() throws {
        #expect(try violations("2.1", "NotifyPeriodicEventStream", #"{"id":1,"pending":0,"basetime":"2025-03-03T07:00:00Z","data":[{"t":0,"v":"1"}]}"#) == [])
    }

    // MARK: Limits and date-times

    @Test func violationsAreCapped() throws {
        let many = "{" + (0..<30).map { "\"m\($0)\":1" }.joined(separator: ",") + "}"
        #expect(try violations("1.6", "Heartbeat", many).count == 10)
        #expect(try violations("1.6", "Heartbeat", many, limit: 3).count == 3)
        #expect(try violations("1.6", "Heartbeat", many, limit: 0).isEmpty)
    }

    @Test(arguments: [
        "2025-03-03T07:00:12Z", "2025-03-03t07:00:12z", "2025-03-03T07:00:12.3Z", "2025-03-03T07:00:12.123456789+05:30",
        "2024-02-29T23:59:60-00:00", "2000-02-29T00:00:00Z", "0001-01-01T00:00:00Z",
    ])
    func goodDateTimes(_ s: String) {
        #expect(SchemaDateTime.isValid(s))
    }

    @Test(arguments: [
        "", "2025-03-03", "2025-03-03T07:00:12", "2025-03-03 07:00:12Z", "2025-03-03T07:00Z", "2025-03-03T07:00:12+0100",
        "2025-03-03T07:00:12.Z", "2025-13-03T07:00:12Z", "2025-02-29T07:00:12Z", "1900-02-29T00:00:00Z",
        "2025-04-31T07:00:12Z", "2025-03-03T24:00:00Z", "2025-03-03T07:60:12Z", "2025-03-03T07:00:61Z",
        "2025-03-03T07:00:12+24:00", "2025-03-03T07:00:12ZZ", "2025-3-03T07:00:12Z", "２０２５-03-03T07:00:12Z",
        "2025-03-03T07:00:12.5", "2025-03-03T07:00:12+01:00:00",
        // A non-digit in the year's last place (once let through), or in the first.
        "202X-03-03T07:00:12Z", "X025-03-03T07:00:12Z", "2025-0X-03T07:00:12Z",
    ])
    func badDateTimes(_ s: String) {
        #expect(!SchemaDateTime.isValid(s))
    }

    @Test func nameTable() {
        let t = SchemaNameTable([("b", 1), ("aa", 2), ("", 3), ("cc", 4), ("é", 5)])
        #expect(t["b"] == 1 && t["aa"] == 2 && t[""] == 3 && t["cc"] == 4 && t["é"] == 5)
        #expect(t["a"] == nil && t["dd"] == nil && t["longer than any key"] == nil)
        #expect(SchemaNameTable<Int>([])["x"] == nil)
        #expect(t.count == 5)

        // By bytes: names of one length alike in their first eight bytes or
        // in all but the last, exactly eight bytes long, shorter, empty.
        let names = ["chargingProfileId", "chargingProfileKind", "chargingProfilePurpose", "chargingRateUnit",
                     "connectorId", "connectorIx", "eightchr", "eightchx", "idTag", "", "é", "évseId"]
        let bytesTable = SchemaNameTable(names.enumerated().map { ($0.element, $0.offset) })
        func lookUp(_ s: String) -> Int? { Array(s.utf8).withUnsafeBytes { bytesTable[bytes: $0] } }
        for (k, name) in names.enumerated() { #expect(lookUp(name) == k, "\(name)") }
        for other in ["chargingProfileIx", "chargingProfileKinD", "connectorI", "eightch", "eightchrs", "idTaG", "Xonnectorid",
                      "chargingRateUnitX", "e", "èvseId"] {
            #expect(lookUp(other) == nil, "\(other)")
        }
    }

    @Test func numbersFromText() {
        #expect(SchemaNumber.isInteger("-12"))
        #expect(SchemaNumber.isInteger("1.0"))
        #expect(SchemaNumber.isInteger("1E2"))
        #expect(!SchemaNumber.isInteger("1.5"))
        #expect(!SchemaNumber.isInteger("1e-1"))
        #expect(SchemaNumber.value("-12") == -12)
        #expect(SchemaNumber.value("0.5") == 0.5)
        #expect(SchemaNumber.value("12345678901234567890") == 12345678901234567890)
        #expect(SchemaNumber.text(3) == "3")
        #expect(SchemaNumber.text(0.5) == "0.5")
    }
}
