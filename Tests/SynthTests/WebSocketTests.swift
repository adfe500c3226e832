import Testing
import CZlib
@testable import Synth

/// Parses one frame: (fin, rsv1, opcode, unmasked payload, header length, masked?).
func parseFrame(_ b: [UInt8], at o: Int = 0) -> (fin: Bool, rsv1: Bool, opcode: UInt8, payload: [UInt8], size: Int, masked: Bool) {
    var p = o + 2
    var n = Int(b[o + 1] & 0x7f)
    if n == 126 { n = be16(b, p); p += 2 } else if n == 127 {
        n = Int(UInt64(be32(b, p)) << 32 | UInt64(be32(b, p + 4))); p += 8
    }
    let masked = b[o + 1] & 0x80 != 0
    var key: [UInt8] = [0, 0, 0, 0]
    if masked { key = Array(b[p..<(p + 4)]); p += 4 }
    var payload = Array(b[p..<(p + n)])
    for i in 0..<n { payload[i] ^= key[i % 4] }
    return (b[o] & 0x80 != 0, b[o] & 0x40 != 0, b[o] & 0x0f, payload, p + n - o, masked)
}

/// Inflates permessage-deflate payloads with zlib directly (raw, -15).
final class Inflater {
    let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    init() {
        s.initialize(to: z_stream())
        _ = inflateInit2_(s, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    }
    deinit { inflateEnd(s); s.deallocate() }
    /// nil on a zlib error.
    func inflate(_ payload: [UInt8]) -> [UInt8]? {
        var input = payload + [0, 0, 0xff, 0xff]
        var out = [UInt8](repeating: 0, count: 1 << 20)
        var rc: Int32 = 0
        var produced = 0
        input.withUnsafeMutableBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o in
                s.pointee.next_in = inp.baseAddress; s.pointee.avail_in = uInt(inp.count)
                s.pointee.next_out = o.baseAddress; s.pointee.avail_out = uInt(o.count)
                rc = CZlib.inflate(s, Z_SYNC_FLUSH)
                produced = o.count - Int(s.pointee.avail_out)
            }
        }
        guard rc == Z_OK || rc == Z_STREAM_END else { return nil }
        return Array(out[0..<produced])
    }
}

@Suite struct WebSocketTests {
    @Test(arguments: [0, 5, 125, 126, 65535, 65536, 70000])
    func maskedRoundTripAndLengthForms(size: Int) {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let key: [UInt8] = [0x37, 0xfa, 0x21, 0x3d]
        let f = WebSocketEncoder.frame(opcode: .text, payload: payload, maskKey: key)
        let parsed = parseFrame(f)
        #expect(parsed.fin && !parsed.rsv1 && parsed.opcode == 1 && parsed.masked)
        #expect(parsed.payload == payload && parsed.size == f.count)
        let lengthByte = f[1] & 0x7f
        #expect(lengthByte == (size <= 125 ? UInt8(size) : size <= 65535 ? 126 : 127))
        if size > 0 { #expect(Array(f[(f.count - size)...]) != payload || size < 4) }   // really masked
        let server = WebSocketEncoder.frame(opcode: .text, payload: payload)
        #expect(!parseFrame(server).masked && parseFrame(server).payload == payload)
    }

    @Test func rfc6455MaskExample() {
        // RFC 6455 §5.7: masked "Hello".
        let f = WebSocketEncoder.frame(opcode: .text, payload: Array("Hello".utf8), maskKey: [0x37, 0xfa, 0x21, 0x3d])
        #expect(f == [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
    }

    @Test func fragmentationSetsRSV1OnlyOnFirst() {
        let payload = Array(repeating: UInt8(ascii: "x"), count: 100)
        var n: UInt8 = 0
        let frames = WebSocketEncoder.messageFrames(payload, compressed: true, fragments: 3, maskKey: { n += 1; return [n, n, n, n] })
        #expect(frames.count == 3)
        let parsed = frames.map { parseFrame($0) }
        #expect(parsed.map(\.opcode) == [1, 0, 0])
        #expect(parsed.map(\.fin) == [false, false, true])
        #expect(parsed.map(\.rsv1) == [true, false, false])
        #expect(parsed.flatMap(\.payload) == payload)
        let close = parseFrame(WebSocketEncoder.frame(opcode: .close, payload: WebSocketEncoder.closePayload(code: 1000, reason: "Reset")))
        #expect(close.opcode == 8 && be16(close.payload, 0) == 1000 && Array(close.payload[2...]) == Array("Reset".utf8))
    }

    @Test func deflateWithContextTakeoverInflatesWithZlib() throws {
        let messages = (0..<6).map { i in
            Array("[2,\"uid-\(i)\",\"MeterValues\",{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2025-03-03T06:0\(i):00Z\",\"sampledValue\":[{\"value\":\"\(1000 + i)\"}]}]}]".utf8)
        }
        let d = try PerMessageDeflater(windowBits: 15, contextTakeover: true)
        let inflater = Inflater()
        var compressed: [[UInt8]] = []
        for m in messages {
            let c = d.compress(m)
            #expect(!(c.count >= 4 && Array(c.suffix(4)) == [0, 0, 0xff, 0xff]))
            compressed.append(c)
            #expect(inflater.inflate(c) == m)
        }
        // Later messages refer back into earlier ones: smaller, and not
        // decodable with a fresh window.
        #expect(compressed[1].count < compressed[0].count)
        #expect(Inflater().inflate(compressed[1]) != messages[1])
    }

    @Test(arguments: [9, 10, 12, 15])
    func deflateWithoutContextTakeover(windowBits: Int) throws {
        let d = try PerMessageDeflater(windowBits: windowBits, contextTakeover: false)
        for i in 0..<4 {
            let m = Array(String(repeating: "{\"status\":\"Available\",\"n\":\(i)}", count: 20).utf8)
            #expect(Inflater().inflate(d.compress(m)) == m)   // a fresh inflater each time
        }
    }

    @Test func sha1AndAcceptValue() {
        #expect(hex(SHA1.hash(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(SHA1.hash([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex(SHA1.hash(Array(String(repeating: "a", count: 1000).utf8))) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
        #expect(HTTPUpgrade.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(Base64.encode(Array("a".utf8)) == "YQ==" && Base64.encode(Array("ab".utf8)) == "YWI=" && Base64.encode(Array("abc".utf8)) == "YWJj")
    }

    @Test func upgradeTexts() {
        #expect(HTTPUpgrade.percentEncode("CP 0003-Süd") == "CP%200003-S%C3%BCd")
        #expect(HTTPUpgrade.percentEncode("CP0001") == "CP0001")
        let req = HTTPUpgrade.clientRequest(identity: "CP 0003-Süd", host: "csms:9000", key: "k==", protocols: ["ocpp2.0.1", "ocpp1.6"],
                                            offerDeflate: true, basicAuth: ("CP1", "secret"))
        #expect(req.hasPrefix("GET /ocpp/CP%200003-S%C3%BCd HTTP/1.1\r\n"))
        #expect(req.contains("Sec-WebSocket-Protocol: ocpp2.0.1, ocpp1.6\r\n"))
        #expect(req.contains("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"))
        #expect(req.contains("Authorization: Basic Q1AxOnNlY3JldA==\r\n"))
        #expect(req.hasSuffix("\r\n\r\n"))
        let resp = HTTPUpgrade.switchingProtocols(key: "dGhlIHNhbXBsZSBub25jZQ==", protocol: "ocpp1.6",
                                                  deflate: DeflateParameters(serverNoContextTakeover: true, serverMaxWindowBits: 12))
        #expect(resp.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
        #expect(resp.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
        #expect(resp.contains("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_max_window_bits=12\r\n"))
        #expect(HTTPUpgrade.refusal(status: 401).hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        #expect(HTTPUpgrade.refusal(status: 404).hasPrefix("HTTP/1.1 404 Not Found\r\n"))
    }
}
