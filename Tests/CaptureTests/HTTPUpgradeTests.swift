import Testing
@testable import Capture

@Suite("HTTP upgrade")
struct HTTPUpgradeTests {
    @Test func identityIsTheLastPathSegmentPercentDecoded() {
        #expect(HTTPHead.identity(fromTarget: "/ocpp/CP0001") == "CP0001")
        #expect(HTTPHead.identity(fromTarget: "/ocpp/CP%20003/") == "CP 003")
        #expect(HTTPHead.identity(fromTarget: "/steve/websocket/CentralSystemService/DE%2AABC%2A1?token=x") == "DE*ABC*1")
        #expect(HTTPHead.identity(fromTarget: "ws://csms.example:9000/ocpp/CP7") == "CP7")
        #expect(HTTPHead.identity(fromTarget: "/") == nil)
    }

    @Test func requestAndResponseHeads() {
        let req = "GET /ocpp/CP1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: ocpp2.0.1, ocpp1.6\r\nAuthorization: Basic Q1AxOnNlY3JldA==\r\n\r\n[frames]"
        guard case .head(let h) = Array(req.utf8).withUnsafeBytes({ HTTPHead.parse($0) }) else {
            Issue.record("no head"); return
        }
        #expect(h.requestTarget == "/ocpp/CP1")
        #expect(h.headers["sec-websocket-protocol"] == "ocpp2.0.1, ocpp1.6")
        #expect(h.length == req.utf8.count - "[frames]".utf8.count)
        #expect(HTTPHead.basicAuthUser(h.headers["authorization"]!) == "CP1")   // "CP1:secret": the password is dropped

        let partial = Array("HTTP/1.1 101 Switching Protocols\r\nUpgr".utf8)
        guard case .needMore = partial.withUnsafeBytes({ HTTPHead.parse($0) }) else { Issue.record("expected needMore"); return }
    }

    /// Start lines and Authorization values read as bytes, odd spacing and case included.
    @Test func startLineAndAuthorizationReadAsBytes() {
        func head(_ line: String) -> HTTPHead { HTTPHead(startLine: line, headers: [:], length: 0) }
        #expect(head("GET  /ocpp/CP1   HTTP/1.1").requestTarget == "/ocpp/CP1")
        #expect(head("GET").requestTarget == nil)
        #expect(head("HTTP/1.1 401 Unauthorized").statusCode == 401)
        #expect(head("HTTP/1.1 1x1 Odd").statusCode == nil)
        #expect(HTTPHead.identity(fromTarget: "/ocpp//CP%C3%BCd//?a=b#c") == "CPüd")
        #expect(HTTPHead.identity(fromTarget: "ws://host") == nil)
        #expect(HTTPHead.identity(fromTarget: "/ocpp/CP%2") == "CP%2")
        #expect(HTTPHead.basicAuthUser("  bAsIc \t Q1AxOnNlY3JldA== \t") == "CP1")
        #expect(HTTPHead.basicAuthUser("Basic Q1Ax") == "CP1")            // no colon: all of it is the user
        #expect(HTTPHead.basicAuthUser("Basic") == nil)
        #expect(HTTPHead.basicAuthUser("Basic ") == nil)
        #expect(HTTPHead.basicAuthUser("Bearer Q1AxOnNlY3JldA==") == nil)
        #expect(HTTPHead.basicAuthUser("Basic !!!") == nil)
    }

    @Test func headFieldsReadAsBytes() {
        // LF-only lines, tabs and spaces around values, names in any case, a field repeated, a line without a colon.
        let req = "GET /ocpp/CP%202 HTTP/1.1\nHOST:\t x \t\r\nSec-WebSocket-Protocol: ocpp2.0.1\nsec-websocket-protocol:ocpp1.6 \nnot a field\nX-Empty:\n\n"
        guard case .head(let h) = Array(req.utf8).withUnsafeBytes({ HTTPHead.parse($0) }) else {
            Issue.record("no head"); return
        }
        #expect(h.startLine == "GET /ocpp/CP%202 HTTP/1.1")
        #expect(h.headers == ["host": "x", "sec-websocket-protocol": "ocpp2.0.1, ocpp1.6", "x-empty": ""])
        #expect(h.length == req.utf8.count)
        // A head cut short keeps its whole lines only.
        let cut = Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Prot".utf8)
        let p = cut.withUnsafeBytes { HTTPHead.parsePartial($0) }
        #expect(p?.statusCode == 101)
        #expect(p?.headers == ["upgrade": "websocket"])
        #expect(Array("\r\n\r\n".utf8).withUnsafeBytes { HTTPHead.parsePartial($0) } == nil)
    }

    @Test func deflateParameters() {
        let p = DeflateParameters(extensions: "permessage-deflate; server_max_window_bits=12; client_max_window_bits=12; client_no_context_takeover")
        #expect(p?.serverMaxWindowBits == 12)
        #expect(p?.clientNoContextTakeover == true)
        #expect(p?.serverNoContextTakeover == false)
        #expect(DeflateParameters(extensions: "x-webkit-deflate-frame") == nil)
        // Odd spacing, quotes and case; an empty or lone "=" parameter is skipped, not a crash.
        let odd = DeflateParameters(extensions: "foo, PerMessage-Deflate ;\tServer_Max_Window_Bits = \"10\" ; = ; ;client_no_context_takeover")
        #expect(odd?.serverMaxWindowBits == 10 && odd?.clientNoContextTakeover == true && odd?.clientMaxWindowBits == 15)
    }
}

@Suite("Link and network layers")
struct LinkLayerTests {
    /// An IPv4+TCP packet carrying `payload`, built by hand.
    static func ipv4TCP(_ payload: [UInt8]) -> [UInt8] {
        var ip: [UInt8] = [0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        let total = 20 + 20 + payload.count
        ip[2] = UInt8(total >> 8); ip[3] = UInt8(total & 0xFF)
        let tcp: [UInt8] = [0xC3, 0x50, 0x23, 0x28, 0, 0, 0, 100, 0, 0, 0, 0, 0x50, 0x18, 0xFF, 0xFF, 0, 0, 0, 0]
        return ip + tcp + payload
    }

    func parse(_ frame: [UInt8], _ link: LinkType) -> TCPSegment? {
        frame.withUnsafeBytes { raw in
            if case .success(var s) = PacketParser.tcp(raw, linkType: link) {
                s.payload = UnsafeRawBufferPointer(start: nil, count: 0)
                return s
            }
            return nil
        }
    }

    @Test func ethernetWithTwoVLANTags() {
        let eth: [UInt8] = Array(repeating: 0, count: 12) + [0x81, 0x00, 0, 5, 0x81, 0x00, 0, 7, 0x08, 0x00]
        let s = parse(eth + Self.ipv4TCP(Array("hi".utf8)), .ethernet)
        #expect(s?.source.port == 50000)
        #expect(s?.destination.port == 9000)
        #expect(s?.claimedLength == 2)
        #expect(s?.seq == 100)
    }

    @Test func ethernetPaddingIsNotPayload() {
        let eth: [UInt8] = Array(repeating: 0, count: 12) + [0x08, 0x00]
        let s = parse(eth + Self.ipv4TCP([]) + [0, 0, 0, 0, 0, 0], .ethernet)
        #expect(s?.claimedLength == 0)
    }

    @Test func linuxCookedV1AndV2() {
        let v1: [UInt8] = Array(repeating: 0, count: 14) + [0x08, 0x00]
        let v2: [UInt8] = [0x08, 0x00] + Array(repeating: 0, count: 18)
        #expect(parse(v1 + Self.ipv4TCP([1]), .linuxCooked)?.claimedLength == 1)
        #expect(parse(v2 + Self.ipv4TCP([1, 2]), .linuxCooked2)?.claimedLength == 2)
    }

    @Test func bsdLoopbackAndRawIP() {
        #expect(parse([2, 0, 0, 0] + Self.ipv4TCP([1, 2, 3]), .bsdNull)?.claimedLength == 3)
        #expect(parse([0, 0, 0, 2] + Self.ipv4TCP([1, 2, 3]), .bsdLoop)?.claimedLength == 3)
        #expect(parse(Self.ipv4TCP([9]), .rawIP)?.claimedLength == 1)
    }

    @Test func ipv6WithAnExtensionHeader() {
        var ip6: [UInt8] = [0x60, 0, 0, 0, 0, 0, 0, 64] + Array(repeating: 0, count: 32)
        ip6[23] = 1; ip6[39] = 2
        let hop: [UInt8] = [6, 0, 0, 0, 0, 0, 0, 0]   // hop-by-hop, then TCP
        let tcp = Array(Self.ipv4TCP(Array("abc".utf8)).dropFirst(20))
        let len = hop.count + tcp.count
        ip6[4] = UInt8(len >> 8); ip6[5] = UInt8(len & 0xFF); ip6[6] = 0
        let s = parse(ip6 + hop + tcp, .rawIP)
        #expect(s?.claimedLength == 3)
        #expect(s?.source.address.text == "::1")
        #expect(s?.destination.text == "[::2]:9000")
    }

    @Test func ipv4Fragments() {
        var p = Self.ipv4TCP([1])
        p[6] = 0x20   // more fragments
        let r = p.withUnsafeBytes { PacketParser.tcp($0, linkType: .rawIP) }
        guard case .failure(let e) = r, case .issue(_, let reason, _) = e.skip else { Issue.record("expected an issue"); return }
        #expect(reason == "fragment")
    }
}
