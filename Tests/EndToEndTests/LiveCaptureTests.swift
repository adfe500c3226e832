import Foundation
import Store
import Synth
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A real WebSocket conversation over loopback sockets, with frames built
/// by Synth: the peer the live-capture test captures.
struct LoopbackPeer {
    let listener: Int32
    let port: UInt16

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &addr) { p in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                guard bind(listener, sp, len) == 0, listen(listener, 4) == 0, getsockname(listener, sp, &len) == 0 else {
                    throw POSIXError(.EADDRINUSE)
                }
            }
        }
        self.listener = listener
        port = UInt16(bigEndian: addr.sin_port)
    }

    /// What a process printed up to its first line end (the capture's
    /// "capturing on" banner: the capture is open).
    static func firstLine(of pipe: Pipe) -> String {
        var banner = Data()
        while !String(decoding: banner, as: UTF8.self).contains("\n") {
            let d = pipe.fileHandleForReading.availableData
            if d.isEmpty { break }
            banner.append(d)
        }
        return String(decoding: banner, as: UTF8.self)
    }

    /// Connects, upgrades to WebSocket with `ocpp1.6`, and exchanges `calls`
    /// CALL/CALLRESULT pairs.
    func converse(identity: String, calls: Int) throws {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = port.bigEndian
        let ok = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { throw POSIXError(.ECONNREFUSED) }
        let server = accept(listener, nil, nil)
        defer { close(client); close(server) }
        func put(_ fd: Int32, _ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) } }
        func take(_ fd: Int32, _ n: Int) {
            var buf = [UInt8](repeating: 0, count: n)
            var got = 0
            while got < n { let r = recv(fd, &buf[got], n - got, 0); if r <= 0 { return }; got += r }
        }
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        let request = Array(HTTPUpgrade.clientRequest(identity: identity, host: "127.0.0.1", key: key, protocols: ["ocpp1.6"], offerDeflate: false).utf8)
        put(client, request)
        take(server, request.count)
        let response = Array(HTTPUpgrade.switchingProtocols(key: key, protocol: "ocpp1.6", deflate: nil).utf8)
        put(server, response)
        take(client, response.count)
        for i in 0..<calls {
            let call = WebSocketEncoder.frame(opcode: .text, payload: Array(#"[2,"live-\#(i)","Heartbeat",{}]"#.utf8), maskKey: [1, 2, 3, UInt8(i & 0xFF)])
            put(client, call)
            take(server, call.count)
            let result = WebSocketEncoder.frame(opcode: .text, payload: Array(#"[3,"live-\#(i)",{"currentTime":"2026-03-02T00:00:00Z"}]"#.utf8))
            put(server, result)
            take(client, result.count)
        }
        let bye = WebSocketEncoder.frame(opcode: .close, payload: WebSocketEncoder.closePayload(code: 1000, reason: "bye"), maskKey: [9, 9, 9, 9])
        put(client, bye)
        take(server, bye.count)
    }
}

@Suite("Live capture on loopback")
struct LiveCaptureTests {
    static var binary: String { Fixture.root.appendingPathComponent(".build/debug/ocppscope").path }

    @Test(.enabled(if: geteuid() == 0, "capturing needs root"))
    func capturesCommitsWhileRunningAndStopsCleanlyOnSIGTERM() throws {
        let db = Fixture.tempPath(".sqlite")
        let pcapDir = Fixture.tempPath("-pcap")
        defer { Store.removeFiles(atPath: db); try? FileManager.default.removeItem(atPath: pcapDir) }
        let peer = try LoopbackPeer()
        defer { close(peer.listener) }
        #expect(FileManager.default.fileExists(atPath: Self.binary), "build the executable first: swift build")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["capture", "--interface", "lo", "--filter", "tcp port \(peer.port)", "--db", db,
                       "--commit-seconds", "0.5", "--write-pcap", pcapDir]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait for the "capturing on" line: the capture is open.
        let banner = LoopbackPeer.firstLine(of: out)
        #expect(banner.hasPrefix("capturing on lo"))
        Thread.sleep(forTimeInterval: 0.5)
        try peer.converse(identity: "LIVE-1", calls: 5)

        // Another process can read what was committed while the capture runs.
        var seen = 0
        for _ in 0..<40 where seen < 10 {
            Thread.sleep(forTimeInterval: 0.25)
            if let store = try? Store(readOnly: db) {
                seen = Int((try? store.db.scalarInt("SELECT count(*) FROM messages WHERE charge_point = 'LIVE-1'")) ?? 0)
            }
        }
        #expect(seen == 10)
        #expect(p.isRunning)

        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let summary = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(summary.contains("stopped:"))
        let store = try Store(readOnly: db)
        #expect(try store.db.scalarInt("SELECT count(*) FROM sources WHERE kind = 'live' AND end_state = 'complete'") == 1)
        #expect(try store.db.scalarInt("SELECT count(*) FROM messages WHERE type = 'CALLRESULT' AND action = 'Heartbeat'") == 5)
        #expect(try store.db.scalarInt("SELECT count(*) FROM connections WHERE charge_point = 'LIVE-1' AND close_code = 1000") == 1)
        // The raw packets were kept too, and decode to the same messages.
        let files = try FileManager.default.contentsOfDirectory(atPath: pcapDir).filter { $0.hasSuffix(".pcap") }
        #expect(files.count == 1)
        let (again, _, db2) = try Fixture.ingest([(pcapDir as NSString).appendingPathComponent(files[0])])
        defer { Store.removeFiles(atPath: db2) }
        #expect(try again.db.scalarInt("SELECT count(*) FROM messages WHERE charge_point = 'LIVE-1'") == 10)
    }

    @Test func aMissingInterfaceIsAClearError() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        let db = Fixture.tempPath(".sqlite")
        defer { Store.removeFiles(atPath: db) }
        p.arguments = ["capture", "--interface", "no-such-if0", "--db", db]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("no-such-if0"))
        // Nothing made: the interface is opened before the database.
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
