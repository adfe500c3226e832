#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Capture
import Frames
import OCPP
import LogStream
import Synth

/// Seed corpora for the fuzz targets, made from the samples: packets of
/// samples/fleet-small.pcap, the OCPP messages decoded from it, and log lines.
public enum FuzzSeeds {
    /// A decoded message of the sample, with what validation needs.
    struct Message {
        var text: [UInt8]
        var direction: Direction
        var type: MessageType
        var action: String?
        var version: String?
        var payload: Range<Int>
    }

    final class Collector: MessageSink {
        var versions: [Int: String] = [:]
        var messages: [Message] = []
        func connectionOpened(_ c: ConnectionInfo) { versions[c.id] = c.ocppVersion }
        func connectionUpdated(_ c: ConnectionInfo) { versions[c.id] = c.ocppVersion }
        func message(_ m: DecodedMessage) {
            messages.append(Message(text: m.frame.text, direction: m.frame.direction, type: m.message.type, action: m.action,
                                    version: versions[m.frame.connection], payload: m.message.payload))
        }
        func outcome(_ outcome: CallOutcome) {}
        func issue(_ issue: DecodeIssue) {}
    }

    /// Writes the seeds of `target` into `dir` (created); returns how many.
    public static func write(target: String, into dir: String, samples: String) -> Int {
        mkdir(dir, 0o755)
        var packets: [[UInt8]] = []
        let collector = Collector()
        let decoder = MessageDecoder(sink: collector)
        let capture = CaptureDecoder(sink: decoder)
        if let reader = try? PcapFileReader(path: samples + "/fleet-small.pcap") {
            _ = reader.forEach { data, wire, time, number in
                if packets.count < 3000 { packets.append(Array(data)) }
                capture.process(data, wireLength: wire, time: time, number: number, linkType: reader.linkType)
            }
            capture.finish()
        }
        let messages = collector.messages
        var seeds: [[UInt8]] = []
        switch target {
        case "packets":
            // Windows of consecutive packets: as captured (Ethernet), and as raw IP.
            for start in stride(from: 0, to: max(packets.count - 8, 0), by: 23) where seeds.count < 240 {
                let window = packets[start..<(start + 8)]
                seeds.append(packetSeed(0, window.map { $0[...] }))
                seeds.append(packetSeed(1, window.map { $0.count > 14 ? $0[14...] : $0[...] }))
            }
        case "pcap-file":
            // The sample's first records as written, in the other byte order,
            // with nanosecond times, with a small snap length, and cut short.
            if let file = try? readFile(samples + "/fleet-small.pcap"), file.count > 24 {
                for records in [4, 12, 30] {
                    let head = pcapPrefix(file, records: records)
                    seeds.append(head)
                    seeds.append(pcapVariant(head, swapped: true, nanoseconds: false, snapLength: nil))
                    seeds.append(pcapVariant(head, swapped: false, nanoseconds: true, snapLength: nil))
                    seeds.append(pcapVariant(head, swapped: true, nanoseconds: true, snapLength: 96))
                    seeds.append(Array(head.prefix(head.count - 7)))
                }
            }
        case "tcp-reassembly":
            for group in groups(messages, size: 4).prefix(120) {
                var s: [UInt8] = []
                for m in group {
                    let server = m.direction == .csmsToChargePoint
                    let frame = WebSocketEncoder.frame(opcode: .text, payload: m.text, maskKey: server ? nil : [0x12, 0x34, 0x56, 0x78])
                    var i = 0
                    while i < frame.count {
                        let end = min(i + 200, frame.count)
                        s += [0x60 | (server ? 1 : 0), 0x04, 0x00, UInt8(end - i)] + frame[i..<end]
                        i = end
                    }
                }
                seeds.append(s)
            }
        case "http-upgrade":
            let key = "dGhlIHNhbXBsZSBub25jZQ=="
            let first = messages.first.map { WebSocketEncoder.frame(opcode: .text, payload: $0.text, maskKey: [1, 2, 3, 4]) } ?? []
            for deflate in [false, true] {
                for proto in ["ocpp1.6", "ocpp2.0.1", "ocpp2.1"] {
                    for auth in [false, true] {
                        let req = HTTPUpgrade.clientRequest(identity: "CP 0001/ä", host: "csms.example:9000", key: key,
                                                            protocols: [proto, "ocpp1.6"], offerDeflate: deflate,
                                                            basicAuth: auth ? (user: "CP0001", password: "secret") : nil)
                        let resp = HTTPUpgrade.switchingProtocols(key: key, protocol: proto,
                                                                 deflate: deflate ? DeflateParameters(clientMaxWindowBits: 12) : nil)
                        seeds.append(chunk(.client, Array(req.utf8)) + chunk(.server, Array(resp.utf8)) + chunk(.client, first))
                    }
                }
            }
            for status in [401, 404] {
                let req = HTTPUpgrade.clientRequest(identity: "CP0002", host: "h", key: key, protocols: ["ocpp1.6"], offerDeflate: false)
                seeds.append(chunk(.client, Array(req.utf8)) + chunk(.server, Array(HTTPUpgrade.refusal(status: status).utf8)))
            }
        case "websocket":
            for (n, group) in groups(messages, size: 4).prefix(120).enumerated() {
                let deflate = n % 2 == 1
                var mode: UInt8 = deflate ? 1 : 0
                if deflate { mode |= UInt8(n % 4 == 3 ? 2 : 0) | UInt8((n / 2) % 4) << 2 }
                let bits = [15, 9, 12, 15][Int(mode >> 2) & 3]
                let cz = try? PerMessageDeflater(windowBits: bits, contextTakeover: mode & 2 == 0)
                let sz = try? PerMessageDeflater(windowBits: bits, contextTakeover: mode & 2 == 0)
                var s: [UInt8] = [mode]
                for m in group {
                    let server = m.direction == .csmsToChargePoint
                    let payload = deflate ? (server ? sz : cz)?.compress(m.text) ?? m.text : m.text
                    var key: UInt8 = 0
                    let frames = WebSocketEncoder.messageFrames(payload, compressed: deflate, fragments: n % 3 + 1,
                                                                maskKey: server ? nil : { key &+= 17; return [key, 2, 3, 4] })
                    s += chunk(server ? .server : .client, Array(frames.joined()))
                }
                if n % 5 == 0 {
                    s += chunk(.client, WebSocketEncoder.frame(opcode: .ping, payload: [1, 2], maskKey: [9, 9, 9, 9]))
                    s += chunk(.server, WebSocketEncoder.frame(opcode: .close, payload: WebSocketEncoder.closePayload(code: 1000, reason: "bye")))
                }
                seeds.append(s)
            }
        case "ocpp-json":
            for group in groups(messages, size: 6).prefix(150) {
                seeds.append(Array(group.map(\.text).joined(separator: [UInt8(ascii: "\n")])))
            }
            seeds.append(Array(#"[2,"1","X",{"a":[1,-2.5e10,true,false,null,"\u00e9\ud83d\ude00"],"b":{}}]"#.utf8))
        case "schema":
            var seen = Set<[UInt8]>()
            for m in messages where seeds.count < 300 {
                guard let action = m.action, let v = m.version else { continue }
                let versions = SchemaValidator.versions
                guard let vi = versions.firstIndex(where: { v.hasSuffix($0) }) else { continue }
                let actions = SchemaValidator.shared.actions(version: versions[vi])
                guard let ai = actions.firstIndex(of: action), ai < 256 else { continue }
                let isRequest = m.type == .call || m.type == .send
                guard isRequest || m.type == .callResult else { continue }
                let seed = [UInt8(vi) | (isRequest ? 0 : 4), UInt8(ai)] + m.text[m.payload]
                if seen.insert(seed).inserted { seeds.append(seed) }
            }
        case "logs":
            let modes = FuzzHarness.logModes
            for (format, text) in logSamples {
                let mode = UInt8(modes.firstIndex(of: format)!)
                seeds.append([mode] + Array(text.utf8))
                seeds.append([0] + Array(text.utf8))
            }
            // The sample's messages as lines of the line formats.
            for (n, group) in groups(messages, size: 8).prefix(60).enumerated() {
                var lines: [String] = []
                let format: LogFormat = [.pythonOCPP, .steve, .jsonLines, .generic, .csv][n % 5]
                if format == .csv { lines.append("time;charge_point;direction;action;message") }
                for (i, m) in group.enumerated() {
                    let t = String(decoding: m.text, as: UTF8.self)
                    let cp = m.direction == .chargePointToCSMS
                    let time = "2024-03-0\(n % 9 + 1) 10:00:\(10 + i).250"
                    switch format {
                    case .pythonOCPP: lines.append("\(time) INFO ocpp CP_\(n): \(cp ? "receive message" : "send") \(t)")
                    case .steve: lines.append("[INFO ] \(time) de.rwth.idsg.steve.ocpp.ws.WebSocketLogger - [chargeBoxId=CP_\(n), sessionId=1] \(cp ? "Received" : "Sending"): \(t)")
                    case .jsonLines: lines.append(#"{"ts":"2024-03-01T10:00:\#(10 + i)Z","cp":"CP_\#(n)","dir":"\#(cp ? "in" : "out")","msg":\#(t)}"#)
                    case .csv: lines.append("2024-03-01T10:00:\(10 + i)Z;CP_\(n);\(cp ? "in" : "out");;\"\(t.replacingAll("\"", "\"\""))\"")
                    default: lines.append("\(time) [CP_\(n)] \(cp ? "<<" : ">>") \(t)")
                    }
                }
                let text = lines.joined(separator: "\n") + "\n"
                seeds.append([UInt8(modes.firstIndex(of: format)!)] + Array(text.utf8))
                if n < 10 { seeds.append([0] + Array(text.utf8)) }
            }
        default:
            return 0
        }
        for (i, s) in seeds.enumerated() {
            let path = "\(dir)/seed-\(i)"
            guard let f = fopen(path, "wb") else { continue }
            _ = s.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
            fclose(f)
        }
        return seeds.count
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else { return [] }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    /// The header and first `records` records of a little-endian pcap file.
    static func pcapPrefix(_ file: [UInt8], records: Int) -> [UInt8] {
        var at = 24
        for _ in 0..<records where at + 16 <= file.count {
            let caplen = Int(file[at + 8]) | Int(file[at + 9]) << 8 | Int(file[at + 10]) << 16 | Int(file[at + 11]) << 24
            guard at + 16 + caplen <= file.count else { break }
            at += 16 + caplen
        }
        return Array(file.prefix(at))
    }

    /// A little-endian microsecond pcap file rewritten: its integers in the
    /// other byte order, its times in nanoseconds, its snap length lowered
    /// (records cut to it).
    static func pcapVariant(_ file: [UInt8], swapped: Bool, nanoseconds: Bool, snapLength: Int?) -> [UInt8] {
        func u32(_ at: Int) -> UInt32 { UInt32(file[at]) | UInt32(file[at + 1]) << 8 | UInt32(file[at + 2]) << 16 | UInt32(file[at + 3]) << 24 }
        var out: [UInt8] = []
        func put32(_ v: UInt32) { withUnsafeBytes(of: swapped ? v.byteSwapped.littleEndian : v.littleEndian) { out += $0 } }
        func put16(_ v: UInt16) { withUnsafeBytes(of: swapped ? v.byteSwapped.littleEndian : v.littleEndian) { out += $0 } }
        put32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        put16(2); put16(4); put32(0); put32(0)
        put32(UInt32(snapLength ?? Int(u32(16))))
        put32(u32(20))
        var at = 24
        while at + 16 <= file.count {
            let caplen = Int(u32(at + 8))
            guard at + 16 + caplen <= file.count else { break }
            let kept = min(caplen, snapLength ?? caplen)
            put32(u32(at)); put32(nanoseconds ? u32(at + 4) &* 1000 : u32(at + 4)); put32(UInt32(kept)); put32(u32(at + 12))
            out += file[(at + 16)..<(at + 16 + kept)]
            at += 16 + caplen
        }
        return out
    }

    static func packetSeed(_ link: UInt8, _ packets: [ArraySlice<UInt8>]) -> [UInt8] {
        var s: [UInt8] = [link]
        for p in packets { s += [UInt8(p.count >> 8), UInt8(p.count & 0xFF)] + p }
        return s
    }

    static func chunk(_ side: FlowSide, _ bytes: [UInt8]) -> [UInt8] {
        let n = min(bytes.count, 0x7FFF)
        return [UInt8(n >> 8) | (side == .server ? 0x80 : 0), UInt8(n & 0xFF)] + bytes[..<n]
    }

    static func groups(_ messages: [Message], size: Int) -> [ArraySlice<Message>] {
        stride(from: 0, to: messages.count, by: size).map { messages[$0..<min($0 + size, messages.count)] }
    }

    /// A few lines of each log format (as in Tests/LogStreamTests), and of a pattern.
    static let logSamples: [(LogFormat, String)] = [
        (.pythonOCPP, """
        2023-04-15 12:31:39.123 INFO (MainThread) [ocpp] CP_1: send [2,"1","Heartbeat",{}]
        2023-04-15 12:31:39.130 INFO (MainThread) [ocpp] CP_1: receive message [3,"1",{"currentTime":"2023-04-15T12:31:39Z"}]
        INFO:ocpp:CP_1: send [2,"2","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available"}]

        """),
        (.evcc, """
        Jul  2 22:27:40 raspberrypi evcc[7585]: [ocpp  ] TRACE 2023/07/02 22:27:40 sent JSON message to goe123456: [3,"531531541",{"currentTime":"2023-07-02T20:27:40Z","interval":60,"status":"Accepted"}]
        Jul  2 22:27:41 raspberrypi evcc[7585]: [ocpp  ] TRACE 2023/07/02 22:27:41 received JSON message from goe123456: [2,"531531542","MeterValues",{"connectorId":1,"meterValue":[]}]
        evcc  | [ocpp  ] TRACE 2026/07/23 10:21:46 recv 4oSnXerj7Rxb4ehQu3CPSM: [2,"76414aac","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Preparing"}]

        """),
        (.steve, """
        [INFO ] 2023-04-15 12:31:39,123 de.rwth.idsg.steve.ocpp.ws.WebSocketLogger - [chargeBoxId=CP_1, sessionId=5f2a] Received: [2,"a1","Heartbeat",{}]
        [INFO ] 2023-04-15 12:31:39,150 de.rwth.idsg.steve.ocpp.ws.WebSocketLogger - [chargeBoxId=CP_1, sessionId=5f2a] Sending: [3,"a1",{"currentTime":"2023-04-15T12:31:39.150Z"}]
        [INFO ] 2025-01-10 08:00:00,000 de.rwth.idsg.steve.ocpp.ws.WebSocketLogger - [CP_2 Recv: [2,"b1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]

        """),
        (.everest, """
        2024-02-01T10:00:00.000Z: SYS>  Session logging started.

        2024-02-01T10:00:01.250Z: ChargePoint>CentralSystem BootNotification
        [
          2,
          "19d1c3a0",
          "BootNotification",
          {
            "chargingStation": {"model": "Yeti", "vendorName": "Pionix"},
            "reason": "PowerUp"
          }
        ]

        2024-02-01T10:00:01.400Z: CentralSystem>ChargePoint   BootNotificationResponse
        [3, "19d1c3a0", {"currentTime": "2024-02-01T10:00:01.399Z", "interval": 300, "status": "Accepted"}]

        """),
        (.everest, "2024-02-01 10:00:01.250123 [INFO] ocpp :: \u{1B}[1;35mChargePoint: [2,\"h1\",\"Heartbeat\",{}]\u{1B}[1;0m\n"
            + "2024-02-01 10:00:01.300000 [INFO] ocpp :: \u{1B}[1;36mCentralSystem: [3,\"h1\",{\"currentTime\":\"2024-02-01T10:00:01Z\"}]\u{1B}[1;0m\n"),
        (.jsonLines, #"""
        {"ts":"2023-04-15T12:31:39.123Z","cp":"CP_1","dir":"in","msg":[2,"a1","Heartbeat",{}]}
        {"time":1681562000.5,"chargePointId":"CP_1","direction":"out","message":"[3,\"a1\",{\"currentTime\":\"2023-04-15T12:31:39Z\"}]"}
        {"@timestamp":"2023-04-15T12:31:41+02:00","charge_point":"CP 2","direction":"cp_to_csms","payload":[2,"b1","Authorize",{"idTag":"X"}]}
        {"timestamp":1681562001000,"chargeBoxId":"CP_3","frame":"[2,\"c1\",\"Reset\",{\"type\":\"Soft\"}]"}

        """#),
        (.csv, #"""
        time;charge_point;direction;action;message
        2023-04-15T12:31:39.123Z;CP_1;in;Heartbeat;"[2,""a1"",""Heartbeat"",{}]"
        2023-04-15T12:31:39.200Z;CP_1;out;;"[3,""a1"",{""currentTime"":""2023-04-15T12:31:39Z""}]"

        """#),
        (.generic, """
        2023-04-15 12:31:39.123 [CP_1] << [2,"a1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
        2023-04-15 12:31:39.200 [CP_1] >> [3,"a1",{"status":"Accepted","currentTime":"2023-04-15T12:31:39Z","interval":300}]
        2023-04-15T12:31:40Z INFO received from CP_2: [2,"b1","Heartbeat",{}]
        2023-04-15T12:31:41Z INFO cp=CP_3 dir=out [2,"c1","Reset",{"type":"Soft"}]
        2023-04-15T12:31:42Z CP_4 -> CSMS [2,"d1","DataTransfer",{"vendorId":"x"}]
        2023-04-15T12:31:44Z ws /ocpp/CP_5 request [2,"e1","Heartbeat",{}]

        """),
        (.pattern, """
        15/04/2023 12:31:39.5 | station CP_1 | IN | [2,"a1","Heartbeat",{}]
        15/04/2023 12:31:40.0 | station CP_1 | OUT | [3,"a1",{"currentTime":"2023-04-15T12:31:40Z"}]
        something else entirely

        """),
    ]
}

extension String {
    func replacingAll(_ a: String, _ b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
