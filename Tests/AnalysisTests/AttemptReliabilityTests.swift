import Analysis
import Foundation
import Frames
import Queries
import Store
import Testing

@Suite("Ports, attempts and reliability")
struct AttemptReliabilityTests {
    /// Connector 1 faulted 100–200 alone; both connectors faulted 300–350.
    func twoCables(map: Bool) throws -> StoreScenario {
        let s = try StoreScenario()
        let a = s.connect("CP1", at: 0)
        s.boot(a, at: 0)
        for c in 0...2 { s.status(a, connector: c, "Available", at: 0) }
        s.heartbeats(a, from: 5, to: 595)
        s.status(a, connector: 1, "Faulted", error: "GroundFailure", at: 100)
        s.status(a, connector: 1, "Available", at: 200)
        s.status(a, connector: 1, "Faulted", error: "GroundFailure", at: 300)
        s.status(a, connector: 2, "Faulted", error: "OverCurrentFailure", at: 300)
        s.status(a, connector: 1, "Available", at: 350)
        s.status(a, connector: 2, "Available", at: 350)
        try s.finish(covering: 0, 600)
        if map {
            try s.store.replacePortMap(try PortMapFile.parse("""
                charge_point,connector,port,location,max_kw
                CP1,1,CP1-A,Depot,150
                CP1,2,CP1-A,Depot,150
                """))
        }
        return s
    }

    @Test func aPortOfTwoConnectorsIsDownOnlyWhileBothAre() throws {
        let without = try twoCables(map: false).uptime()
        #expect(minutes(without["CP1/1"]!.outageMicros) == 150)
        #expect(minutes(without["CP1/2"]!.outageMicros) == 50)

        let with = try twoCables(map: true).uptime()
        #expect(with.count == 1)
        let port = with["CP1/1"]!
        #expect(port.port == "CP1-A" && port.connectors == [1, 2])
        #expect(minutes(port.outageMicros) == 50)       // one faulted cable leaves the port up
        #expect(port.outages.count == 1)
        #expect(port.outages[0].cause == "all connectors: Faulted (GroundFailure); Faulted (OverCurrentFailure)")
        #expect(minutes(port.unknownMicros) == 0)
    }

    @Test func thePortMapFileIsCheckedLineByLine() {
        #expect(throws: PortMapFile.ParseError.self) { try PortMapFile.parse("charge_point,port\nCP1,A\n") }
        #expect(throws: PortMapFile.ParseError.self) { try PortMapFile.parse("charge_point,connector,port\nCP1,x,A\n") }
        #expect(throws: PortMapFile.ParseError.self) { try PortMapFile.parse("charge_point,connector,port\nCP1,1,A\nCP1,1,B\n") }
        let e = try? PortMapFile.parse("port,connector,charge_point\n# comment\nA,2,CP9\n")
        #expect(e == [PortMapEntry(chargePoint: "CP9", connector: 2, port: "A")])
    }

    /// A driver whose card is refused, then accepted four minutes later and charges 5 kWh.
    func visit() throws -> StoreScenario {
        let s = try StoreScenario()
        let a = s.connect("CP1", at: 0)
        s.boot(a, at: 0)
        s.status(a, connector: 1, "Available", at: 0.5)
        s.heartbeats(a, from: 5, to: 55)
        s.status(a, connector: 1, "Preparing", at: 10)
        s.call(a, "Authorize", #"{"idTag":"TAG"}"#, at: 10.1, answer: #"{"idTagInfo":{"status":"Invalid"}}"#)
        s.status(a, connector: 1, "Available", at: 11)
        s.status(a, connector: 1, "Preparing", at: 15)
        s.call(a, "Authorize", #"{"idTag":"TAG"}"#, at: 15.1, answer: #"{"idTagInfo":{"status":"Accepted"}}"#)
        s.call(a, "StartTransaction", #"{"connectorId":1,"idTag":"TAG","meterStart":1000,"timestamp":"\#(StoreScenario.iso(15.2))"}"#,
               at: 15.2, answer: #"{"transactionId":1,"idTagInfo":{"status":"Accepted"}}"#)
        s.status(a, connector: 1, "Charging", at: 15.3)
        s.call(a, "StopTransaction", #"{"transactionId":1,"meterStop":6000,"timestamp":"\#(StoreScenario.iso(45))","reason":"Local"}"#, at: 45)
        s.status(a, connector: 1, "Finishing", at: 45.1)
        s.status(a, connector: 1, "Available", at: 46)
        try s.finish(covering: 0, 60)
        return s
    }

    @Test func aFailedThenASuccessfulAttemptAreOneVisit() throws {
        let s = try visit()
        var rows: [(String?, String?, Int64?, String?)] = []
        try s.store.rows(QueryCatalog.named("attempts")!.sql) { r in
            rows.append((r.text("outcome"), r.text("cause"), r.int("visit_attempt"), r.text("visit")))
        }
        #expect(rows.count == 2)
        #expect(rows[0].0 == "failed" && rows[0].1 == "authorization-rejected" && rows[0].2 == 1)
        #expect(rows[1].0 == "success" && rows[1].2 == 2)
        #expect(rows[0].3 == "CP1#1" && rows[1].3 == "CP1#1")

        let lines = try Reliability.lines(store: s.store, parameters: ["by": .text("charge-point"), "period": .text("all")])
        #expect(lines.count == 1)
        let v = lines[0].values
        #expect(v["attempts"] == .int(2) && v["successes"] == .int(1) && v["failures"] == .int(1))
        #expect(v["attempt_success_percent"] == .double(50))
        #expect(v["visits"] == .int(1) && v["visit_success_percent"] == .double(100))
        #expect(v["first_attempt_success_percent"] == .double(0))
        #expect(v["charge_start_success_percent"] == .double(50))
        #expect(v["charge_end_success_percent"] == .double(100))
        #expect(v["session_success_percent"] == .double(50))
        #expect(v["failures_by_cause"] == .text(#"{"authorization-rejected":1}"#))
        // Ready at the accepted authorization (15.1 min), Charging at 15.3: 12 s.
        if case .double(let median)? = v["charge_start_median_s"] { #expect(abs(median - 12) < 0.01) } else { Issue.record("no median") }

        // A higher energy threshold turns the success into a low-energy failure.
        let strict = try Reliability.lines(store: s.store, parameters: ["by": .text("fleet"), "min_energy_wh": .int(10_000)])
        #expect(strict[0].values["successes"] == .int(0))
        #expect(strict[0].values["failures_by_cause"] == .text(#"{"authorization-rejected":1,"low-energy":1}"#))
    }

    @Test func visitsOfOneTokenSpanALocation() throws {
        let s = try visit()
        // Two anonymous attempts apart are two visits; with the map, grouping by location works.
        try s.store.replacePortMap([PortMapEntry(chargePoint: "CP1", connector: 1, port: "P1", location: "Depot")])
        let lines = try Reliability.lines(store: s.store, parameters: ["by": .text("location"), "period": .text("day")])
        #expect(lines.map(\.group) == ["Depot"])
        #expect(lines.map(\.period) == ["2026-03-02"])
        let ports = try Reliability.lines(store: s.store, parameters: ["by": .text("port")])
        #expect(ports.map(\.group) == ["CP1 P1"])
    }
}
