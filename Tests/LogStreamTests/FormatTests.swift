import Foundation
import Frames
import LogStream
import Testing

/// Each format on lines as its program writes them.
@Suite("Log formats")
struct FormatTests {
    /// Real lines of the Python `ocpp` library's log (the development corpus,
    /// `fleet-dev.library.log`): both sides log into one file, so every
    /// message is there twice.
    static let libraryLog = #"""
    2026-11-25 14:43:07,873 INFO websockets.server server listening on 127.0.0.1:19100
    2026-11-25 14:43:07,887 INFO websockets.server connection open
    2026-11-25 14:43:07,945 INFO ocpp CP0001: send [2,"b6705496-b7a7-4baa-853d-d1e7835c2613","BootNotification",{"chargePointModel":"AC22-T2","chargePointVendor":"Acme","chargePointSerialNumber":"SN-CP0001","firmwareVersion":"1.4.2"}]
    2026-11-25 14:43:07,947 INFO ocpp CP0002: send [2,"6c640e9a-51b2-4679-b776-e38f70ee0e2a","BootNotification",{"chargePointModel":"AC22-T2","chargePointVendor":"Acme","chargePointSerialNumber":"SN-CP0002","firmwareVersion":"1.4.2"}]
    2026-11-25 14:43:07,947 INFO ocpp CP0001: receive message [2,"b6705496-b7a7-4baa-853d-d1e7835c2613","BootNotification",{"chargePointModel":"AC22-T2","chargePointVendor":"Acme","chargePointSerialNumber":"SN-CP0001","firmwareVersion":"1.4.2"}]
    2026-11-25 14:43:07,949 INFO ocpp CP0002: receive message [2,"6c640e9a-51b2-4679-b776-e38f70ee0e2a","BootNotification",{"chargePointModel":"AC22-T2","chargePointVendor":"Acme","chargePointSerialNumber":"SN-CP0002","firmwareVersion":"1.4.2"}]
    2026-11-25 14:43:07,955 INFO ocpp CP0002: send [3,"6c640e9a-51b2-4679-b776-e38f70ee0e2a",{"currentTime":"2026-03-02T06:00:47.186Z","interval":300,"status":"Accepted"}]
    2026-11-25 14:43:07,957 INFO ocpp CP0001: send [3,"b6705496-b7a7-4baa-853d-d1e7835c2613",{"currentTime":"2026-03-02T06:00:46.007Z","interval":300,"status":"Accepted"}]
    2026-11-25 14:43:07,959 INFO ocpp CP0002: receive message [3,"6c640e9a-51b2-4679-b776-e38f70ee0e2a",{"currentTime":"2026-03-02T06:00:47.186Z","interval":300,"status":"Accepted"}]
    2026-11-25 14:43:07,960 INFO ocpp CP0001: receive message [3,"b6705496-b7a7-4baa-853d-d1e7835c2613",{"currentTime":"2026-03-02T06:00:46.007Z","interval":300,"status":"Accepted"}]
    2026-11-25 14:43:16,295 ERROR ocpp Error while handling request '<Call - unique_id=501a8ee8-45d8-4887-b602-fa165a058ade, action=GetVariables, payload={'getVariableData': [{'component': {'name': 'OCPPCommCtrlr'}, 'variable': {'name': 'HeartbeatInterval'}}]}>'
    Traceback (most recent call last):
      File "/tmp/ocppscope-eval/venv/lib/python3.11/site-packages/ocpp/charge_point.py", line 294, in _handle_call
        handlers = self.route_map[msg.action]
    KeyError: 'GetVariables'
    2026-11-25 14:43:16,296 INFO ocpp CS0006: send [4,"501a8ee8-45d8-4887-b602-fa165a058ade","NotImplemented","Request Action is recognized but not supported by the receiver",{"cause":"No handler for GetVariables registered."}]
    2026-11-25 14:43:16,296 INFO ocpp CS0006: receive message [4,"501a8ee8-45d8-4887-b602-fa165a058ade","NotImplemented","Request Action is recognized but not supported by the receiver",{"cause":"No handler for GetVariables registered."}]
    2026-11-25 14:43:16,296 WARNING ocpp Received a CALLError: <CallError - unique_id=501a8ee8-45d8-4887-b602-fa165a058ade, error_code=NotImplemented, error_description=Request Action is recognized but not supported by the receiver, error_details={'cause': 'No handler for GetVariables registered.'}>
    2026-11-25 14:43:28,421 INFO ocpp CP0001: send [2,"b0a563e6-0994-4f04-8e14-49b9e4b4242a","DataTransfer",{"vendorId":"com.acme","messageId":"PlugCycles","data":"{\"count\":1234}"}]
    2026-11-25 14:43:28,421 INFO ocpp CP0001: receive message [2,"b0a563e6-0994-4f04-8e14-49b9e4b4242a","DataTransfer",{"vendorId":"com.acme","messageId":"PlugCycles","data":"{\"count\":1234}"}]
    2026-11-25 14:43:28,422 INFO ocpp CP0001: send [3,"b0a563e6-0994-4f04-8e14-49b9e4b4242a",{"status":"Accepted","data":"ok"}]
    2026-11-25 14:43:28,422 INFO ocpp CP0001: receive message [3,"b0a563e6-0994-4f04-8e14-49b9e4b4242a",{"status":"Accepted","data":"ok"}]
    2026-11-25 14:43:28,430 INFO websockets.server connection closed

    """#

    @Test func pythonLibraryLogOfTheCorpus() throws {
        let (sink, stats, end, format) = try LogFixture.read(FormatTests.libraryLog)
        #expect(format == .pythonOCPP)
        #expect(end.state == "complete")
        // 14 message lines, each message twice: 7 stored once each.
        #expect(sink.frames.count == 7)
        #expect(stats.duplicates == 7)
        #expect(sink.issues.isEmpty)
        #expect(Set(sink.frames.map(sink.identity)) == ["CP0001", "CP0002", "CS0006"])
        let boot = sink.frames[0]
        #expect(boot.direction == .chargePointToCSMS)
        #expect(boot.time == LogFixture.time("2026-11-25T14:43:07.945Z"))
        #expect(boot.frame == 3)
        // Answers go the other way; the CALLERROR answers the CSMS's GetVariables (CSMS → CP), so it comes from the charge point.
        #expect(sink.frames.filter { $0.text.starts(with: Array("[3,".utf8)) }.allSatisfy { $0.direction == .csmsToChargePoint })
        let error = sink.frames.first { $0.text.starts(with: Array("[4,".utf8)) }!
        #expect(error.direction == .csmsToChargePoint)   // its CALL was not in these lines: the usual way is assumed
        // DataTransfer may go either way; with both sides in one log the usual way is assumed, and its answer follows it.
        let dt = sink.frames.first { String(decoding: $0.text, as: UTF8.self).contains("DataTransfer") }!
        #expect(dt.direction == .chargePointToCSMS)
        #expect(stats.directionGuessed == 2)
    }

    @Test func pythonDefaultAndHomeAssistantPrefixes() throws {
        let log = """
        2023-04-15 12:31:39.123 INFO (MainThread) [ocpp] CP_1: send [2,"1","Heartbeat",{}]
        2023-04-15 12:31:39.130 INFO (MainThread) [ocpp] CP_1: receive message [3,"1",{"currentTime":"2023-04-15T12:31:39Z"}]
        INFO:ocpp:CP_1: send [2,"2","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available"}]
        """
        let (sink, stats, _, format) = try LogFixture.read(log)
        #expect(format == .pythonOCPP)
        #expect(sink.frames.count == 3)
        #expect(sink.frames.allSatisfy { sink.identity($0) == "CP_1" })
        #expect(sink.frames[1].direction == .csmsToChargePoint)
        // The Python default format has no time: the line takes the previous one, counted.
        #expect(sink.frames[2].time == LogFixture.time("2023-04-15T12:31:39.130Z"))
        #expect(stats.inheritedTimes == 1)
        #expect(sink.issues.map(\.reason) == ["no-timestamp"])
        // This log is the charge point's: its `send` of a Heartbeat made it so.
        #expect(sink.frames[0].direction == .chargePointToCSMS)
    }

    @Test func evccOldNewAndJournald() throws {
        let log = """
        Jul  2 22:27:40 raspberrypi evcc[7585]: [ocpp  ] TRACE 2023/07/02 22:27:40 sent JSON message to goe123456: [3,"531531541",{"currentTime":"2023-07-02T20:27:40Z","interval":60,"status":"Accepted"}]
        Jul  2 22:27:41 raspberrypi evcc[7585]: [ocpp  ] TRACE 2023/07/02 22:27:41 received JSON message from goe123456: [2,"531531542","MeterValues",{"connectorId":1,"meterValue":[]}]
        Jul  2 22:27:41 raspberrypi evcc[7585]: [ocpp  ] TRACE 2023/07/02 22:27:41 TriggerMessage MeterValues for goe123456: Accepted
        evcc  | [ocpp  ] TRACE 2026/07/23 10:21:46 recv 4oSnXerj7Rxb4ehQu3CPSM: [2,"76414aac","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Preparing"}]
        evcc  | [ocpp  ] TRACE 2026/07/23 10:21:46 send 4oSnXerj7Rxb4ehQu3CPSM: [2,"4080794022","RemoteStartTransaction",{"connectorId":1,"idTag":"evcc"}]
        evcc  | [ocpp  ] TRACE 2026/07/23 10:21:46 recv 4oSnXerj7Rxb4ehQu3CPSM: [3,"4080794022",{"status":"Accepted"}]
        """
        var opts = LogFixture.options()
        opts.zone = TimeZoneRule("Europe/Berlin")!
        let (sink, _, _, format) = try LogFixture.read(log, opts)
        #expect(format == .evcc)
        #expect(sink.frames.count == 5)
        #expect(sink.identity(sink.frames[0]) == "goe123456")
        #expect(sink.frames[0].direction == .csmsToChargePoint)
        #expect(sink.frames[1].direction == .chargePointToCSMS)
        // Go's local time, in Berlin summer time (UTC+2).
        #expect(sink.frames[0].time == LogFixture.time("2023-07-02T20:27:40Z"))
        #expect(sink.identity(sink.frames[2]) == "4oSnXerj7Rxb4ehQu3CPSM")
        #expect(sink.frames[3].direction == .csmsToChargePoint)
        #expect(sink.frames[4].direction == .chargePointToCSMS)
        #expect(sink.issues.isEmpty)
    }

    @Test func steveOldAndNew() throws {
        let log = """
        [INFO ] 2023-04-15 12:31:39,123 de.rwth.idsg.steve.ocpp.ws.WebSocketLogger - [chargeBoxId=CP_1, sessionId=5f2a] Received: [2,"a1","Heartbeat",{}]
        [INFO ] 2023-04-15 12:31:39,150 de.rwth.idsg.steve.ocpp.ws.WebSocketLogger - [chargeBoxId=CP_1, sessionId=5f2a] Sending: [3,"a1",{"currentTime":"2023-04-15T12:31:39.150Z"}]
        [INFO ] 2023-04-15 12:31:40,001 de.rwth.idsg.steve.ocpp.ws.WebSocketLogger - [chargeBoxId=CP_1, sessionId=5f2a] Connection is established
        [INFO ] 2025-01-10 08:00:00,000 de.rwth.idsg.steve.ocpp.ws.WebSocketLogger - [CP_2 Recv: [2,"b1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
        [INFO ] 2025-01-10 08:00:00,020 de.rwth.idsg.steve.ocpp.ws.WebSocketLogger - [CP_2 Send: [3,"b1",{"status":"Accepted","currentTime":"2025-01-10T08:00:00Z","interval":300}]
        """
        let (sink, _, _, format) = try LogFixture.read(log)
        #expect(format == .steve)
        #expect(sink.frames.map(sink.identity) == ["CP_1", "CP_1", "CP_2", "CP_2"])
        #expect(sink.frames.map(\.direction) == [.chargePointToCSMS, .csmsToChargePoint, .chargePointToCSMS, .csmsToChargePoint])
        #expect(sink.frames[0].time == LogFixture.time("2023-04-15T12:31:39.123Z"))
    }

    @Test func everestFileLogPrettyPrinted() throws {
        let log = """
        2024-02-01T10:00:00.000Z: SYS>  Session logging started.


        2024-02-01T10:00:01.250Z: ChargePoint>CentralSystem BootNotification
        [
          2,
          "19d1c3a0-6e5b-4f6f-8b1e-1c0a6e2f9a11",
          "BootNotification",
          {
            "chargingStation": {
              "model": "Yeti",
              "vendorName": "Pionix"
            },
            "reason": "PowerUp"
          }
        ]

        2024-02-01T10:00:01.400Z: CentralSystem>ChargePoint   BootNotificationResponse
        [
          3,
          "19d1c3a0-6e5b-4f6f-8b1e-1c0a6e2f9a11",
          {
            "currentTime": "2024-02-01T10:00:01.399Z",
            "interval": 300,
            "status": "Accepted"
          }
        ]

        """
        var opts = LogFixture.options()
        opts.identity = "yeti-1"
        let (sink, _, _, format) = try LogFixture.read(log, opts)
        #expect(format == .everest)
        #expect(sink.frames.count == 2)
        #expect(sink.frames[0].direction == .chargePointToCSMS)
        #expect(sink.frames[1].direction == .csmsToChargePoint)
        #expect(sink.frames[0].frame == 4)
        #expect(sink.frames[1].time == LogFixture.time("2024-02-01T10:00:01.400Z"))
        #expect(sink.identity(sink.frames[0]) == "yeti-1")
        #expect(sink.texts[0].hasPrefix("[\n  2,\n"))
        #expect(sink.texts[0].hasSuffix("}\n]"))
        #expect(sink.issues.isEmpty)
    }

    @Test func everestConsoleLines() throws {
        let log = "2024-02-01 10:00:01.250123 [INFO] ocpp :: \u{1B}[1;35mChargePoint: [2,\"h1\",\"Heartbeat\",{}]\u{1B}[1;0m\n"
            + "2024-02-01 10:00:01.300000 [INFO] ocpp :: \u{1B}[1;36mCentralSystem: [3,\"h1\",{\"currentTime\":\"2024-02-01T10:00:01Z\"}]\u{1B}[1;0m\n"
        let (sink, _, _, format) = try LogFixture.read(log, LogFixture.options { $0.format = .everest })
        #expect(format == .everest)
        #expect(sink.texts == ["[2,\"h1\",\"Heartbeat\",{}]", "[3,\"h1\",{\"currentTime\":\"2024-02-01T10:00:01Z\"}]"])
        #expect(sink.frames.map(\.direction) == [.chargePointToCSMS, .csmsToChargePoint])
    }

    @Test func jsonLinesWithCommonFieldNames() throws {
        let log = #"""
        {"ts":"2023-04-15T12:31:39.123Z","cp":"CP_1","dir":"in","msg":[2,"a1","Heartbeat",{}]}
        {"time":1681562000.5,"chargePointId":"CP_1","direction":"out","message":"[3,\"a1\",{\"currentTime\":\"2023-04-15T12:31:39Z\"}]"}
        {"@timestamp":"2023-04-15T12:31:41+02:00","charge_point":"CP 2","direction":"cp_to_csms","payload":[2,"b1","Authorize",{"idTag":"X"}]}
        {"timestamp":1681562001000,"chargeBoxId":"CP_3","frame":"[2,\"c1\",\"Reset\",{\"type\":\"Soft\"}]"}
        {"ts":"2023-04-15T12:31:42Z","level":"info","msg":"connection opened","identity":"CP_3"}
        {"ts":"2023-04-15T12:31:43Z","station":"CP_4","ocpp":"CP_4: receive message [2,\"d1\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"}]"}
        """#
        let (sink, _, _, format) = try LogFixture.read(log)
        #expect(format == .jsonLines)
        #expect(sink.frames.count == 5)
        #expect(sink.frames.map(sink.identity) == ["CP_1", "CP_1", "CP 2", "CP_3", "CP_4"])
        #expect(sink.frames[0].direction == .chargePointToCSMS)
        #expect(sink.frames[1].direction == .csmsToChargePoint)
        #expect(sink.frames[1].time == Timestamp(microseconds: 1_681_562_000_500_000))
        #expect(sink.texts[1] == #"[3,"a1",{"currentTime":"2023-04-15T12:31:39Z"}]"#)
        #expect(sink.frames[2].time == LogFixture.time("2023-04-15T10:31:41Z"))
        #expect(sink.frames[3].time == Timestamp(microseconds: 1_681_562_001_000_000))
        #expect(sink.frames[3].direction == .csmsToChargePoint)
        #expect(sink.texts[4].hasPrefix("[2,\"d1\",\"StatusNotification\""))
        #expect(sink.issues.isEmpty)
    }

    @Test func csvWithQuotedMessages() throws {
        let log = #"""
        time;charge_point;direction;action;message
        2023-04-15T12:31:39.123Z;CP_1;in;Heartbeat;"[2,""a1"",""Heartbeat"",{}]"
        2023-04-15T12:31:39.200Z;CP_1;out;;"[3,""a1"",{""currentTime"":""2023-04-15T12:31:39Z""}]"
        2023-04-15T12:31:40.000Z;CP_1;in;DataTransfer;"[2,""a2"",""DataTransfer"",{""vendorId"":""x"",""data"":""a;b""}]"
        """#
        let (sink, _, _, format) = try LogFixture.read(log)
        #expect(format == .csv)
        #expect(sink.texts == [#"[2,"a1","Heartbeat",{}]"#, #"[3,"a1",{"currentTime":"2023-04-15T12:31:39Z"}]"#,
                               #"[2,"a2","DataTransfer",{"vendorId":"x","data":"a;b"}]"#])
        // A CSMS's log: it received the Heartbeat, so its `in` DataTransfer came from the charge point.
        #expect(sink.frames.map(\.direction) == [.chargePointToCSMS, .csmsToChargePoint, .chargePointToCSMS])
        #expect(sink.frames[2].frame == 4)
    }

    @Test func genericLinesOfManyShapes() throws {
        let log = """
        2023-04-15 12:31:39.123 [CP_1] << [2,"a1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
        2023-04-15 12:31:39.200 [CP_1] >> [3,"a1",{"status":"Accepted","currentTime":"2023-04-15T12:31:39Z","interval":300}]
        2023-04-15T12:31:40Z INFO received from CP_2: [2,"b1","Heartbeat",{}]
        2023-04-15T12:31:41Z INFO cp=CP_3 dir=out [2,"c1","Reset",{"type":"Soft"}]
        2023-04-15T12:31:42Z CP_4 -> CSMS [2,"d1","DataTransfer",{"vendorId":"x"}]
        2023-04-15T12:31:43Z CSMS -> CP_4 [3,"d1",{"status":"Accepted"}]
        2023-04-15T12:31:44Z ws /ocpp/CP_5 request [2,"e1","Heartbeat",{}]
        """
        let (sink, _, _, format) = try LogFixture.read(log)
        #expect(format == .generic)
        #expect(sink.frames.map(sink.identity) == ["CP_1", "CP_1", "CP_2", "CP_3", "CP_4", "CP_4", "CP_5"])
        #expect(sink.frames.map(\.direction) == [.chargePointToCSMS, .csmsToChargePoint, .chargePointToCSMS, .csmsToChargePoint,
                                                 .chargePointToCSMS, .csmsToChargePoint, .chargePointToCSMS])
        #expect(sink.issues.isEmpty)
    }

    @Test func userPatternWithTimeFormat() throws {
        let log = """
        15/04/2023 12:31:39.5 | station CP_1 | IN | [2,"a1","Heartbeat",{}]
        15/04/2023 12:31:40.0 | station CP_1 | OUT | [3,"a1",{"currentTime":"2023-04-15T12:31:40Z"}]
        something else entirely
        """
        var opts = LogFixture.options()
        opts.pattern = #"^(?<time>\S+ \S+) \| station (?<cp>\S+) \| (?<dir>\w+) \| (?<msg>\[.*\])$"#
        opts.timeFormat = TimeFormat("%d/%m/%Y %H:%M:%S.%f")
        opts.zone = TimeZoneRule("+02:00")!
        let (sink, _, _, format) = try LogFixture.read(log, opts)
        #expect(format == .pattern)
        #expect(sink.frames.count == 2)
        #expect(sink.frames[0].time == LogFixture.time("2023-04-15T10:31:39.5Z"))
        #expect(sink.frames.map(\.direction) == [.chargePointToCSMS, .csmsToChargePoint])
        #expect(sink.identity(sink.frames[0]) == "CP_1")
    }

    @Test func forcedFormatNamesAndAliases() {
        #expect(LogFormat(name: "JSONL") == .jsonLines)
        #expect(LogFormat(name: "home-assistant") == .pythonOCPP)
        #expect(LogFormat(name: "libocpp") == .everest)
        #expect(LogFormat(name: "nonsense") == nil)
    }
}
