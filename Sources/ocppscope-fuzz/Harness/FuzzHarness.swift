#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Capture
import Frames
import LogStream
import OCPP
import Synth

/// The fuzz targets of ocppscope's own parsers, one function each, shared by
/// the libFuzzer entry point (`ocppscope-fuzz`) and the regression tests that
/// replay Tests/FuzzRegressions. Each takes the raw fuzz input and feeds it
/// to the real decoding code, in process.
public enum FuzzHarness {
    /// The targets, by the names `OCPPSCOPE_FUZZ_TARGET` and Tests/FuzzRegressions use.
    public static let targets: [String] = ["packets", "pcap-file", "tcp-reassembly", "http-upgrade", "websocket", "ocpp-json", "schema", "logs"]

    /// Runs one input through target `name`; false for an unknown name.
    @discardableResult
    public static func run(_ name: String, _ input: UnsafeRawBufferPointer) -> Bool {
        switch name {
        case "packets": packets(input)
        case "pcap-file": pcapFile(input)
        case "tcp-reassembly": tcpReassembly(input)
        case "http-upgrade": httpUpgrade(input)
        case "websocket": websocket(input)
        case "ocpp-json": ocppJSON(input)
        case "schema": schema(input)
        case "logs": logs(input)
        default: return false
        }
        return true
    }

    public static func run(_ name: String, _ input: [UInt8]) -> Bool {
        input.withUnsafeBytes { run(name, $0) }
    }

    // MARK: Sinks

    /// The end of the pipeline: counts what arrives (so nothing is optimised away).
    final class CountingMessageSink: MessageSink {
        var count = 0
        func connectionOpened(_ connection: ConnectionInfo) { count &+= 1 }
        func connectionUpdated(_ connection: ConnectionInfo) { count &+= 1 }
        func message(_ message: DecodedMessage) { count &+= message.payloadBytes.count &+ (message.schemaViolations?.count ?? 0) }
        func outcome(_ outcome: CallOutcome) { count &+= 1 }
        func issue(_ issue: DecodeIssue) { count &+= issue.detail.utf8.count }
    }

    /// Capture or log → MessageDecoder (with schema validation, as ingest runs it).
    static func pipeline() -> (MessageDecoder, CountingMessageSink) {
        let end = CountingMessageSink()
        let decoder = MessageDecoder(sink: end)
        decoder.validate = true
        return (decoder, end)
    }

    // MARK: Packets: link layers, IP, TCP, the whole decoder

    /// The link types, chosen by the first input byte.
    static let linkTypes: [LinkType] = [.ethernet, .rawIP, .linuxCooked, .linuxCooked2, .bsdNull, .bsdLoop, .ipv4Only, .ipv6Only]

    /// Input: a link-type byte, then packets, each a 2-byte big-endian length and that many bytes
    /// (the last one shorter when the input ends). At most 64 packets.
    static func packets(_ input: UnsafeRawBufferPointer) {
        guard let first = input.first else { return }
        let link = linkTypes[Int(first) % linkTypes.count]
        let (decoder, _) = pipeline()
        let capture = CaptureDecoder(sink: decoder)
        var i = 1, number: Int64 = 1
        while i + 2 <= input.count && number <= 64 {
            let len = Int(input[i]) << 8 | Int(input[i + 1])
            i += 2
            let end = min(i + len, input.count)
            let packet = UnsafeRawBufferPointer(rebasing: input[i..<end])
            // A wire length above the captured length now and then, as a snap length makes.
            capture.process(packet, wireLength: number % 5 == 0 ? len + 100 : packet.count,
                            time: Timestamp(microseconds: 1_700_000_000_000_000 + number * 1000), number: number, linkType: link)
            number += 1
            i = end
        }
        capture.finish()
    }

    // MARK: Capture files: the pcap reader, then the whole decoder

    /// Where `pcapFile` writes each input: PcapFileReader reads regular files.
    static let pcapPath = "/tmp/ocppscope-fuzz-\(getpid()).pcap"

    /// Input: the bytes of a capture file (classic pcap goes through
    /// ClassicPcapReader, the rest through libpcap), read by PcapFileReader
    /// and decoded to the end.
    static func pcapFile(_ input: UnsafeRawBufferPointer) {
        guard let f = fopen(pcapPath, "wb") else { return }
        if let base = input.baseAddress { _ = fwrite(base, 1, input.count, f) }
        fclose(f)
        defer { unlink(pcapPath) }
        guard let reader = try? PcapFileReader(path: pcapPath) else { return }
        let (decoder, _) = pipeline()
        let capture = CaptureDecoder(sink: decoder)
        _ = reader.forEach { data, wire, time, number in
            capture.process(data, wireLength: wire, time: time, number: number, linkType: reader.linkType)
        }
        capture.finish()
    }

    // MARK: A synthetic connection for the stream-level targets

    /// A TCP connection between a charge point and a CSMS, feeding a CaptureDecoder.
    final class Connection {
        let flow: TCPFlow
        let capture: CaptureDecoder
        let decoder: MessageDecoder
        var time: Int64 = 1_700_000_000_000_000
        var number: Int64 = 0

        init() {
            flow = TCPFlow(client: Endpoint(ip: Synth.IPAddress.v4(10, 0, 0, 2), port: 50_000),
                           server: Endpoint(ip: Synth.IPAddress.v4(10, 0, 0, 1), port: 9000))
            let (d, _) = FuzzHarness.pipeline()
            decoder = d
            capture = CaptureDecoder(sink: d)
            deliver(flow.handshake(at: time))
        }

        func deliver(_ packets: [Packet]) {
            for p in packets {
                number += 1
                p.data.withUnsafeBytes {
                    capture.process($0, wireLength: p.originalLength, time: Timestamp(microseconds: p.timestamp), number: number, linkType: .ethernet)
                }
            }
        }

        func send(_ bytes: [UInt8], from side: FlowSide) {
            time += 1000
            deliver(flow.send(bytes, from: side, at: time))
        }

        /// The HTTP upgrade, accepted; with permessage-deflate when `deflate` is given.
        func upgrade(deflate: DeflateParameters?, proto: String = "ocpp1.6") {
            let key = "dGhlIHNhbXBsZSBub25jZQ=="
            send(Array(HTTPUpgrade.clientRequest(identity: "CP-FUZZ", host: "csms.example", key: key,
                                                 protocols: ["ocpp2.0.1", "ocpp1.6"], offerDeflate: deflate != nil).utf8), from: .client)
            send(Array(HTTPUpgrade.switchingProtocols(key: key, protocol: proto, deflate: deflate).utf8), from: .server)
        }

        func finish() {
            time += 1000
            deliver(flow.close(from: .client, at: time))
            capture.finish()
        }
    }

    /// Splits `input` into chunks: each a 2-byte header (top bit: sent by the
    /// server; low 15 bits: length) and that many bytes.
    static func chunks(_ input: UnsafeRawBufferPointer, from start: Int) -> [(FlowSide, [UInt8])] {
        var out: [(FlowSide, [UInt8])] = []
        var i = start
        while i + 2 <= input.count && out.count < 256 {
            let side: FlowSide = input[i] & 0x80 != 0 ? .server : .client
            let len = Int(input[i] & 0x7F) << 8 | Int(input[i + 1])
            i += 2
            let end = min(i + len, input.count)
            out.append((side, Array(input[i..<end])))
            i = end
        }
        return out
    }

    // MARK: TCP reassembly

    /// After a handshake and an accepted upgrade, segments with fuzzed
    /// sequence numbers and flags. Each record: flags byte (bit 0 server side,
    /// bit 1 FIN, bit 2 RST, bit 3 SYN, bit 4 no ACK), a 2-byte sequence offset
    /// (relative to the next expected byte, minus 1024), a length byte, the payload.
    static func tcpReassembly(_ input: UnsafeRawBufferPointer) {
        let c = Connection()
        c.upgrade(deflate: nil)
        var i = 0, count = 0
        while i + 4 <= input.count && count < 256 {
            let f = input[i]
            let side: FlowSide = f & 1 != 0 ? .server : .client
            var flags: TCPFlags = f & 0x10 != 0 ? [] : .ack
            if f & 2 != 0 { flags.insert(.fin) }
            if f & 4 != 0 { flags.insert(.rst) }
            if f & 8 != 0 { flags.insert(.syn) }
            if f & 0x20 != 0 { flags.insert(.psh) }
            let offset = Int(input[i + 1]) << 8 | Int(input[i + 2])
            let len = Int(input[i + 3])
            i += 4
            let end = min(i + len, input.count)
            let next = side == .client ? c.flow.clientNext : c.flow.serverNext
            let seq = next &+ UInt32(truncatingIfNeeded: offset) &- 1024
            c.time += 100
            // Bit 6 with offset 1024: in-order data that moves the sender on, as a real stack would.
            let advance = offset == 1024 && f & 0x40 != 0
            c.deliver([c.flow.segment(from: side, flags: flags, payload: ArraySlice(input[i..<end]), at: c.time, seq: advance ? nil : seq)])
            i = end
            count += 1
        }
        c.capture.finish()
    }

    // MARK: HTTP upgrade

    /// After a TCP handshake: chunks (see `chunks`) of the two directions,
    /// starting with the upgrade request and answer; WebSocket frames may follow.
    static func httpUpgrade(_ input: UnsafeRawBufferPointer) {
        let c = Connection()
        for (side, bytes) in chunks(input, from: 0) { c.send(bytes, from: side) }
        c.finish()
    }

    // MARK: WebSocket framing and permessage-deflate

    /// First byte: bit 0 negotiates permessage-deflate, bit 1 no context
    /// takeover, bits 2-3 the window bits; bits 4-5 the subprotocol. Then
    /// chunks (see `chunks`) of WebSocket bytes in both directions.
    static func websocket(_ input: UnsafeRawBufferPointer) {
        guard let mode = input.first else { return }
        let c = Connection()
        var deflate: DeflateParameters?
        if mode & 1 != 0 {
            let bits = [nil, 9, 12, 15][Int(mode >> 2) & 3]
            deflate = DeflateParameters(serverNoContextTakeover: mode & 2 != 0, clientNoContextTakeover: mode & 2 != 0,
                                        serverMaxWindowBits: bits, clientMaxWindowBits: bits)
        }
        c.upgrade(deflate: deflate, proto: ["ocpp1.6", "ocpp2.0.1", "ocpp2.1", "ocpp1.6"][Int(mode >> 4) & 3])
        for (side, bytes) in chunks(input, from: 1) { c.send(bytes, from: side) }
        c.finish()
    }

    // MARK: OCPP-J and JSON

    /// Traps unless every reading of `view` (members, items, scalars) is `value`'s.
    static func sameReadings(_ view: JSONView, _ value: JSONValue) {
        precondition(view.value == value, "JSONTape reads another value")
        precondition(view.string == value.string && view.int == value.int && view.isNull == (value == .null))
        let d = (view.double, value.double)
        precondition(d.0 == d.1 || (d.0?.isNaN == true && d.1?.isNaN == true))
        switch value {
        case .object(let members):
            for (key, _) in members {
                guard let v = view.member(key), let w = value[key] else { preconditionFailure("a member JSONTape misses") }
                sameReadings(v, w)
            }
        case .array(let items):
            let views = view.array ?? []
            precondition(views.count == items.count, "JSONTape counts other items")
            for (v, w) in zip(views, items) { sameReadings(v, w) }
        default:
            break
        }
    }

    /// Each line: JSONValue.parse and JSONTape (which must accept the same
    /// texts and read them the same: any difference traps), OCPPMessage.parse,
    /// then MessageDecoder (with schema validation) on three connections,
    /// one per OCPP version, directions alternating.
    static func ocppJSON(_ input: UnsafeRawBufferPointer) {
        let (decoder, _) = pipeline()
        let versions = ["ocpp1.6", "ocpp2.0.1", "ocpp2.1"]
        for (id, v) in versions.enumerated() {
            var info = ConnectionInfo(id: id + 1, chargePoint: "CP-FUZZ", identitySource: .urlPath, firstFrame: 1)
            info.subprotocol = v
            info.handshakeSeen = true
            decoder.connectionOpened(info)
        }
        var start = 0, line: Int64 = 0
        while start <= input.count && line < 256 {
            let nl = input[start...].firstIndex(of: UInt8(ascii: "\n")) ?? input.count
            let text = UnsafeRawBufferPointer(rebasing: input[start..<nl])
            let tree = try? JSONValue.parse(text)
            let tape = try? JSONTape(parsing: text)
            precondition((tree == nil) == (tape == nil), "JSONTape and JSONValue disagree on whether this is JSON")
            if let tree, let tape { sameReadings(tape.root, tree) }
            _ = try? OCPPMessage.parse(text)
            line += 1
            let bytes = Array(text)
            for id in 1...versions.count {
                decoder.frame(OCPPFrame(text: bytes, time: Timestamp(microseconds: 1_700_000_000_000_000 + line * 1000),
                                        direction: line % 2 == 1 ? .chargePointToCSMS : .csmsToChargePoint, connection: id, frame: line))
            }
            start = nl + 1
        }
        for id in 1...versions.count {
            var info = ConnectionInfo(id: id, chargePoint: "CP-FUZZ", identitySource: .urlPath, firstFrame: 1)
            info.subprotocol = versions[id - 1]
            info.ended = true
            info.closedHow = "end-of-data"
            decoder.connectionUpdated(info)
        }
    }

    // MARK: Schema validation

    /// First byte: version (bits 0-1) and request or response (bit 2);
    /// second byte: the action (index into the version's sorted actions);
    /// the rest: the payload JSON.
    static func schema(_ input: UnsafeRawBufferPointer) {
        guard input.count >= 2 else { return }
        let versions = SchemaValidator.versions
        let version = versions[Int(input[0] & 3) % versions.count]
        let actions = SchemaValidator.shared.actions(version: version)
        guard !actions.isEmpty else { return }
        let action = actions[Int(input[1]) % actions.count]
        let text = UnsafeRawBufferPointer(rebasing: input[2...])
        let isRequest = input[0] & 4 == 0
        guard let payload = try? JSONValue.parse(text) else {
            // Not one valid value: the text walk must say so too.
            precondition(SchemaValidator.shared.validate(version: version, action: action, isRequest: isRequest, payloadText: text) == nil)
            return
        }
        // The walk over the text (what ingest runs) finds what the walk over the parsed value finds.
        for limit in [SchemaValidator.defaultLimit, 1_000] {
            let parsed = SchemaValidator.shared.validate(version: version, action: action, isRequest: isRequest, payload: payload, limit: limit)
            let read = SchemaValidator.shared.validate(version: version, action: action, isRequest: isRequest, payloadText: text, limit: limit)
            precondition(parsed == read, "the text walk differs from the parsed walk")
        }
    }

    // MARK: Logs

    /// The ways the log reader is run, chosen by the first byte: detection,
    /// then each format forced, then a `--pattern`.
    static let logModes: [LogFormat?] = [nil] + LogFormat.allCases

    /// First byte: the mode (see `logModes`); the rest: the log's bytes, read
    /// through LogReader from a pipe (it reads descriptors; there is no
    /// in-memory entry point), so gzip detection, line splitting, format
    /// detection, the format's parser and the frame builder all run.
    static func logs(_ input: UnsafeRawBufferPointer) {
        guard let first = input.first else { return }
        let mode = logModes[Int(first) % logModes.count]
        var options = LogOptions()
        options.year = 2024
        options.maxLineLength = 1 << 16
        options.format = mode
        if mode == .pattern {
            options.format = nil
            options.pattern = #"^(?<time>\S+ \S+) \| station (?<cp>\S+) \| (?<dir>\w+) \| (?<msg>\[.*\])$"#
            options.timeFormat = TimeFormat("%d/%m/%Y %H:%M:%S.%f")
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        defer { close(fds[0]) }
        let body = UnsafeRawBufferPointer(rebasing: input[1...])
        #if os(Linux)
        _ = fcntl(fds[1], 1031 /* F_SETPIPE_SZ */, Int32(1 << 20))
        #endif
        // The pipe holds at least 64 KiB: inputs are kept below that (max_len),
        // longer ones are cut to what the pipe takes without a reader.
        var written = 0
        let flags = fcntl(fds[1], F_GETFL)
        _ = fcntl(fds[1], F_SETFL, flags | O_NONBLOCK)
        while written < body.count {
            let n = write(fds[1], body.baseAddress! + written, body.count - written)
            if n <= 0 { break }
            written += n
        }
        close(fds[1])
        do {
            let reader = try LogReader(descriptor: fds[0], name: "fuzz", options: options)
            let (decoder, _) = pipeline()
            _ = try reader.run(into: decoder)
        } catch {
            _ = error.description
        }
    }
}
