import Frames
import Reconcile
import Testing

/// One OCPI 2.2.1 CDR with the fields reconciliation reads.
func ocpiCDR(id: String = "CDR-1", evse: String = "DE*OSC*E0001*1", token: String = "AABBCCDD", start: String = "2025-03-03T06:00:00Z",
             end: String = "2025-03-03T07:00:00Z", kwh: String = "6.4185", cost: String = "2.50") -> String {
    """
    {"country_code":"DE","party_id":"OSC","id":"\(id)","start_date_time":"\(start)","end_date_time":"\(end)",
     "cdr_token":{"country_code":"DE","party_id":"OSC","uid":"\(token)","type":"RFID","contract_id":"DE-OSC-C12345678"},
     "auth_method":"WHITELIST",
     "cdr_location":{"id":"LOC1","country":"DEU","evse_uid":"E1-1","evse_id":"\(evse)","connector_id":"1"},
     "currency":"EUR",
     "charging_periods":[{"start_date_time":"\(start)","dimensions":[{"type":"ENERGY","volume":\(kwh)},{"type":"TIME","volume":1.0}]}],
     "total_cost":{"excl_vat":\(cost),"incl_vat":2.98},"total_energy":\(kwh),"total_time":1.0,
     "last_updated":"\(end)"}
    """
}

@Suite struct CDRReaderTests {
    @Test func jsonArrayReadsTheOCPIFieldsAndKeepsWh() throws {
        let r = try CDRReader.parse("[\(ocpiCDR()),\(ocpiCDR(id: "CDR-2", kwh: "0.001"))]")
        #expect(r.form == .jsonArray)
        #expect(r.problems.isEmpty)
        #expect(r.records.count == 2)
        let c = r.records[0]
        #expect(c.id == "CDR-1")
        #expect(c.token == "AABBCCDD")
        #expect(c.tokenType == "RFID")
        #expect(c.contractId == "DE-OSC-C12345678")
        #expect(c.authMethod == "WHITELIST")
        #expect(c.evseId == "DE*OSC*E0001*1")
        #expect(c.evseUid == "E1-1")
        #expect(c.ocpiConnectorId == "1")
        #expect(c.start == Timestamp(iso8601: "2025-03-03T06:00:00Z"))
        #expect(c.end == Timestamp(iso8601: "2025-03-03T07:00:00Z"))
        // 6.4185 kWh is 6418.5 Wh: kWh with decimals become Wh, nothing rounded away.
        #expect(abs(c.energyWh! - 6418.5) < 1e-9)
        #expect(abs(c.periodsEnergyWh! - 6418.5) < 1e-9)
        #expect(c.totalTimeHours == 1.0)
        #expect(c.costExclVat == 2.5)
        #expect(c.costInclVat == 2.98)
        #expect(c.currency == "EUR")
        #expect(abs(r.records[1].energyWh! - 1) < 1e-9)
    }

    @Test func ocpiEnvelopeIsUnwrapped() throws {
        let r = try CDRReader.parse("""
            {"data":[\(ocpiCDR()),\(ocpiCDR(id: "CDR-2"))],"status_code":1000,"status_message":"Success","timestamp":"2025-03-03T09:00:00Z"}
            """)
        #expect(r.form == .ocpiEnvelope)
        #expect(r.records.map(\.id) == ["CDR-1", "CDR-2"])
    }

    @Test func ocpiEnvelopeWithAnErrorStatusIsRefused() {
        #expect(throws: CDRReader.InputError.self) {
            try CDRReader.parse(#"{"data":[],"status_code":2001,"status_message":"Invalid or missing parameters"}"#)
        }
    }

    @Test func jsonLinesKeepTheGoodLinesAndNameTheBadOnes() throws {
        let one = ocpiCDR().replacingOccurrences(of: "\n", with: "")
        let two = ocpiCDR(id: "CDR-2").replacingOccurrences(of: "\n", with: "")
        let r = try CDRReader.parse(one + "\n{not json\n\n" + two + "\n" + #"{"id":"CDR-3","total_energy":1}"# + "\n")
        #expect(r.form == .jsonLines)
        #expect(r.records.map(\.id) == ["CDR-1", "CDR-2"])
        #expect(r.records.map(\.origin) == ["line 1", "line 4"])
        #expect(r.problems.count == 2)
        #expect(r.problems[0].hasPrefix("line 2"))
        #expect(r.problems[1].contains("CDR-3") && r.problems[1].contains("start_date_time"))
    }

    @Test func ocpi211NamesAreAccepted() throws {
        let r = try CDRReader.parse("""
            [{"id":"OLD-1","start_date_time":"2025-03-03T06:00:00Z","stop_date_time":"2025-03-03T07:00:00Z","auth_id":"TAG1",
              "location":{"id":"L","evses":[{"uid":"U1","evse_id":"DE*OSC*E0001*1","connectors":[{"id":"2"}]}]},
              "total_energy":5,"total_cost":1.95,"currency":"EUR"}]
            """)
        let c = try #require(r.records.first)
        #expect(c.token == "TAG1")
        #expect(c.end == Timestamp(iso8601: "2025-03-03T07:00:00Z"))
        #expect(c.evseId == "DE*OSC*E0001*1")
        #expect(c.ocpiConnectorId == "2")
        #expect(c.energyWh == 5000)
        #expect(c.costExclVat == 1.95)
    }

    @Test func creditCDRsAreRecognised() throws {
        let r = try CDRReader.parse("""
            [{"id":"CR-1","start_date_time":"2025-03-03T06:00:00Z","end_date_time":"2025-03-03T07:00:00Z","total_energy":5,
              "credit":true,"credit_reference_id":"CDR-1","cdr_token":{"uid":"X"}}]
            """)
        #expect(r.records.first?.credit == true)
        #expect(r.records.first?.creditReference == "CDR-1")
    }

    @Test func csvWithAMapInKWh() throws {
        let csv = """
            session,station,port,uid,start_time,stop_time,kwh
            S1,CP0001,1,AABB,2025-03-03T06:00:00Z,2025-03-03T07:00:00Z,6.4185
            S2,CP0006,2/1,CCDD,2025-03-03 08:00:00,2025-03-03 08:30:00,"1,5"
            """
        let map = try ColumnMap(parsing: ["charge_point=station,connector=port,token=uid,start=start_time,end=stop_time,energy_kwh=kwh", "id=session"])
        let r = try CDRReader.parse(csv, columns: map)
        #expect(r.form == .csv)
        #expect(r.problems.isEmpty)
        #expect(r.records.count == 2)
        let a = r.records[0], b = r.records[1]
        #expect(a.id == "S1" && a.chargePoint == "CP0001" && a.port == Port(number: 1) && a.token == "AABB")
        #expect(abs(a.energyWh! - 6418.5) < 1e-9)
        #expect(b.port == Port(number: 2, connector: 1))
        #expect(b.start == Timestamp(iso8601: "2025-03-03T08:00:00Z"))
        #expect(abs(b.energyWh! - 1500) < 1e-9)  // a decimal comma
    }

    @Test func csvInWhWithCommonColumnNamesNeedsNoMap() throws {
        let csv = """
            Charge Point;Connector;Id Tag;Start;End;Energy Wh;Cost;Currency
            CP0002;2;TAG;2025-03-03T06:00:00Z;2025-03-03T07:00:00Z;3985;1,55;EUR
            CP0002;2;TAG;2025-03-03T08:00:00Z;;12;;
            CP0002;x;TAG;2025-03-03T09:00:00Z;;12;;
            """
        let r = try CDRReader.parse(csv)
        #expect(r.records.count == 2)
        #expect(r.records[0].energyWh == 3985)
        #expect(r.records[0].chargePoint == "CP0002" && r.records[0].port == Port(number: 2))
        #expect(r.records[0].token == "TAG")
        #expect(r.records[0].costExclVat == 1.55 && r.records[0].currency == "EUR")
        #expect(r.records[0].id == "line 2")
        #expect(r.records[1].end == nil)
        #expect(r.problems.count == 1 && r.problems[0].hasPrefix("line 4"))
    }

    @Test func csvMistakesAreExplained() throws {
        #expect(throws: CDRReader.InputError.self) {
            try CDRReader.parse("a,b\n1,2\n", columns: try ColumnMap(parsing: ["start=begin"]))
        }
        #expect(throws: CDRReader.InputError.self) { try CDRReader.parse("charge_point,kwh\nCP1,2\n") }   // no start
        #expect(throws: CDRReader.InputError.self) { try CDRReader.parse("charge_point,start\nCP1,2025-03-03\n") }  // no energy
        #expect(throws: CDRReader.InputError.self) { try ColumnMap(parsing: ["colour=red"]) }
        #expect(throws: CDRReader.InputError.self) { try ColumnMap(parsing: ["energy_kwh=a,energy_wh=b"]) }
        #expect(throws: CDRReader.InputError.self) { try CDRReader.parse("  \n") }
    }
}

@Suite struct EVSEMapTests {
    @Test func mapsEVSEIdsWithAndWithoutSeparators() throws {
        let m = try EVSEMap(parsing: """
            evse_id,charge_point,connector
            # a comment
            DE*OSC*E0001*1,CP0001,1
            DE*OSC*E0006*2,CP0006,2/1
            DE*OSC*E0007*1,"CP 0007, Süd",
            """)
        #expect(m.count == 3)
        #expect(m.target(evseId: "DEOSCE00011", evseUid: nil) == .init(chargePoint: "CP0001", port: Port(number: 1)))
        #expect(m.target(evseId: "de*osc*e0006*2", evseUid: nil)?.port == Port(number: 2, connector: 1))
        #expect(m.target(evseId: "DE*OSC*E0007*1", evseUid: nil) == .init(chargePoint: "CP 0007, Süd", port: nil))
        #expect(m.target(evseId: "DE*OSC*E9999*1", evseUid: "DE*OSC*E0001*1")?.chargePoint == "CP0001")
        #expect(m.target(evseId: "DE*OSC*E9999*1", evseUid: nil) == nil)

        let resolved = m.resolve([ChargeDetailRecord(id: "a", evseId: "DE*OSC*E0001*1"),
                                  ChargeDetailRecord(id: "b", chargePoint: "CPX", evseId: "DE*OSC*E0001*1")])
        #expect(resolved[0].chargePoint == "CP0001" && resolved[0].port == Port(number: 1))
        #expect(resolved[1].chargePoint == "CPX")   // a CSV's own charge point wins
    }

    @Test func conflictsAndBadLinesAreRefused() {
        #expect(throws: EVSEMap.ParseError.self) { try EVSEMap(parsing: "E1,CP1,1\nE1,CP2,1\n") }
        #expect(throws: EVSEMap.ParseError.self) { try EVSEMap(parsing: "E1,CP1,one\n") }
        #expect(throws: EVSEMap.ParseError.self) { try EVSEMap(parsing: "E1\n") }
    }
}
