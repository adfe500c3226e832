import Frames
import Testing
@testable import History

@Suite("Status intervals")
struct StatusTests {
    @Test func perConnectorIntervalsWithErrorsAndTheDataEdge() {
        let s = Scenario()
        s.connect(at: 0)
        s.call("StatusNotification", #"{"connectorId":0,"status":"Available","errorCode":"NoError"}"#, at: 10)
        s.call("StatusNotification", #"{"connectorId":1,"status":"Available","errorCode":"NoError"}"#, at: 11)
        s.call("StatusNotification", #"{"connectorId":1,"status":"Faulted","errorCode":"GroundFailure","vendorErrorCode":"E42"}"#, at: 100)
        s.call("StatusNotification", #"{"connectorId":1,"status":"Faulted","errorCode":"GroundFailure","vendorErrorCode":"E42"}"#, at: 150)
        s.call("StatusNotification", #"{"connectorId":1,"status":"Available","errorCode":"NoError"}"#, at: 200)
        let r = s.run(end: 1000)
        let c1 = r.status.filter { $0.connector == 1 }.sorted { $0.from < $1.from }
        #expect(c1.map(\.status) == ["Available", "Faulted", "Available"])   // the repeat did not split
        #expect(c1[1].from == Scenario.ts(100) && c1[1].to == Scenario.ts(200))
        #expect(c1[1].errorCode == "GroundFailure" && c1[1].vendorErrorCode == "E42")
        #expect(c1[2].to == Scenario.ts(1000) && c1[2].toIsDataEnd)
        #expect(r.status.contains { $0.connector == 0 && $0.toIsDataEnd })
    }

    @Test func ocpp2StatusAndNotifyEventAvailability() {
        let s = Scenario(version: "2.0.1")
        s.connect(at: 0)
        s.call("StatusNotification", #"{"timestamp":"\#(Scenario.iso(10))","connectorStatus":"Available","evseId":2,"connectorId":1}"#, at: 10)
        s.call("NotifyEvent", #"{"generatedAt":"\#(Scenario.iso(50))","seqNo":0,"eventData":[{"eventId":1,"timestamp":"\#(Scenario.iso(50))","trigger":"Delta","actualValue":"Unavailable","component":{"name":"Connector","evse":{"id":2,"connectorId":1}},"variable":{"name":"AvailabilityState"}}]}"#, at: 50)
        let r = s.run(end: 100)
        #expect(r.status.map(\.status) == ["Available", "Unavailable"])
        #expect(r.status.allSatisfy { $0.evse == 2 && $0.connector == 1 })
        #expect(r.status[1].source == "NotifyEvent")
    }
}

@Suite("Connectivity")
struct ConnectivityTests {
    func intervals(_ r: Recorder) -> [String] {
        r.connectivity.map { i in
            let from = (i.from.microseconds - Scenario.t0) / 1_000_000
            let to = (i.to.microseconds - Scenario.t0) / 1_000_000
            return "\(i.online ? "on" : "off") \(from)-\(to) \(i.began)/\(i.ended)"
        }
    }

    @Test func closedThenReconnectedWithABoot() {
        let s = Scenario()
        s.connect(at: 0, closeAt: 1000, how: "rst")
        s.boot(at: 1)
        s.call("Heartbeat", "{}", at: 301)
        s.call("Heartbeat", "{}", at: 601)
        s.call("Heartbeat", "{}", at: 901)
        s.connect(at: 1600)
        s.boot(at: 1601)
        let r = s.run(end: 2000)
        #expect(intervals(r) == ["on 0-1000 connect/rst", "off 1000-1600 rst/connect", "on 1600-2000 connect/end-of-data"])
        #expect(r.derived[0].boots == 2)
        #expect(r.derived[0].heartbeatInterval == 300)
    }

    @Test func silenceLongerThanTwiceTheHeartbeatIsOffline() {
        let s = Scenario()
        s.connect(at: 0)
        s.boot(at: 1, interval: 60)
        s.call("Heartbeat", "{}", at: 61)
        s.call("Heartbeat", "{}", at: 121)      // then silent for 379 s > 2 × 60
        s.call("Heartbeat", "{}", at: 500)
        s.call("Heartbeat", "{}", at: 560)
        let r = s.run(end: 600)
        #expect(intervals(r) == ["on 0-121 connect/silent", "off 121-500 silent/message", "on 500-600 message/end-of-data"])
    }

    /// The interval is whatever the CSMS answered: a 19-digit one once
    /// trapped the conversion of the silence limit to microseconds.
    @Test func anAbsurdHeartbeatIntervalMeansNeverSilent() {
        let s = Scenario()
        s.connect(at: 0)
        s.boot(at: 1, interval: 9_000_000_000_000_000_000)
        s.call("Heartbeat", "{}", at: 500)
        let r = s.run(end: 100_000)
        #expect(intervals(r) == ["on 0-100000 connect/end-of-data"])
    }

    @Test func silentAtTheEndOfTheDataIsMarkedAsTheEdge() {
        let s = Scenario()
        s.connect(at: 0)
        s.boot(at: 1, interval: 60)
        let r = s.run(end: 1000)
        #expect(intervals(r) == ["on 0-1 connect/silent", "off 1-1000 silent/end-of-data"])
    }

    @Test func dataThatStartsMidConnection() {
        let s = Scenario()
        s.connections.append(HistoryConnection(id: 1, opened: nil, closed: nil, closedHow: "end-of-data", handshakeSeen: false))
        s.call("Heartbeat", "{}", at: 10)
        s.call("Heartbeat", "{}", at: 20)
        let r = s.run(end: 30)
        #expect(intervals(r) == ["on 10-30 start-of-data/end-of-data"])
    }

    @Test func aSecondBootOnTheSameConnectionIsAReboot() {
        let s = Scenario()
        s.connect(at: 0)
        s.boot(at: 1)
        s.boot(at: 100)
        let r = s.run(end: 200)
        #expect(intervals(r) == ["on 0-100 connect/reboot", "on 100-200 boot/end-of-data"])
    }

    @Test func heartbeatIntervalChangedByConfiguration() {
        let s = Scenario()
        s.connect(at: 0)
        s.boot(at: 1, interval: 3600)
        let c = s.call("ChangeConfiguration", #"{"key":"HeartbeatInterval","value":"30"}"#, at: 10, from: false)
        s.result(c, #"{"status":"Accepted"}"#, at: 10.5)
        s.call("Heartbeat", "{}", at: 40)
        s.call("Heartbeat", "{}", at: 200)   // 160 s > 2 × 30
        let r = s.run(end: 210)
        #expect(r.derived[0].heartbeatInterval == 30)
        #expect(intervals(r).contains("off 40-200 silent/message"))
    }

    @Test func aChargerAliveOnlyByWebSocketPingsIsOnline() {
        func scenario(pings: Bool) -> [String] {
            let s = Scenario()
            s.connect(at: 0)
            s.boot(at: 1, interval: 3600)             // offline after 2 h of silence
            if pings { s.pings = stride(from: 60.0, through: 17_940, by: 60).map { $0 } }
            s.call("Heartbeat", "{}", at: 18_000)     // five hours later
            return intervals(s.run(end: 18_100))
        }
        #expect(scenario(pings: true) == ["on 0-18100 connect/end-of-data"])
        #expect(scenario(pings: false) == ["on 0-1 connect/silent", "off 1-18000 silent/message", "on 18000-18100 message/end-of-data"])
    }

    @Test func clockSkewIsTheMedianOfLiveReports() {
        let s = Scenario()
        s.connect(at: 0)
        for k in 0..<5 {
            let t = Double(100 * k + 10)
            s.call("StatusNotification", #"{"connectorId":1,"status":"Available","errorCode":"NoError","timestamp":"\#(Scenario.iso(t + 420))"}"#, at: t)
        }
        let r = s.run(end: 600)
        #expect(r.derived[0].clockSkewSeconds == 420)
        #expect(r.derived[0].clockSamples == 5)
    }
}
