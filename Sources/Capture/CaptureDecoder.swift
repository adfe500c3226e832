import Frames

/// Limits and choices of the packet decoder.
public struct CaptureOptions: Sendable {
    /// Largest WebSocket message (and inflated message) accepted, in bytes.
    public var maxMessageBytes = 16 << 20
    /// Identities for connections whose handshake is not in the capture.
    public var identityMap = IdentityMap()
    /// Most TCP connections tracked at once. Why: a scan or a flood of
    /// short connections must not grow memory without bound; past the limit
    /// the least recently active connection is given up (and reported).
    public var maxConnections = 100_000
    /// A connection that has carried nothing recognisable for this long (µs
    /// of capture time) is forgotten; OCPP connections are kept however
    /// quiet, since chargers may send a heartbeat once an hour.
    public var idleUnrecognised: Int64 = 300_000_000
    public init() {}
}

/// Counts of what the packet decoder saw, for the ingest summary.
public struct CaptureStats: Sendable {
    public var packets: Int64 = 0
    public var bytes: Int64 = 0
    public var nonTCPPackets: Int64 = 0
    public var tcpSegments: Int64 = 0
    /// Connections that carried something other than OCPP-J over WebSocket.
    public var otherConnections = 0
    public var otherBytes: Int64 = 0
    /// Connections given up to stay within `maxConnections` or forgotten idle.
    public var evictedConnections = 0
    public var tlsConnections = 0
    public var connections = 0
    public var messages: Int64 = 0
    /// Capture times of the first and last packet: the span the source covers.
    public var firstPacket: Timestamp?
    public var lastPacket: Timestamp?
    public init() {}
}

/// Turns packets into OCPP-J frames: the TCP flow table, reassembly, HTTP
/// upgrade, WebSocket and permessage-deflate, in that order.
///
/// Memory grows with the number of open connections (each holds at most its
/// reassembly window and one partial message), not with the input.
public final class CaptureDecoder {
    public let options: CaptureOptions
    public private(set) var stats = CaptureStats()
    private let sink: FrameSink
    private var flows = FlowTable()
    private var nextConnectionID = 1
    private var reportedLinkType = false

    // The packet being decoded: what events are stamped with.
    private var time: Int64 = 0
    private var number: Int64 = 0

    public init(sink: FrameSink, options: CaptureOptions = CaptureOptions()) {
        self.sink = sink
        self.options = options
    }

    /// Decodes one captured packet. `wireLength` is its length on the wire
    /// (larger than `data.count` when the snap length cut it).
    public func process(_ data: UnsafeRawBufferPointer, wireLength: Int, time: Timestamp, number: Int64, linkType: LinkType) {
        self.time = time.microseconds
        self.number = number
        stats.packets += 1
        stats.bytes += Int64(data.count)
        if stats.firstPacket == nil || time < stats.firstPacket! { stats.firstPacket = time }
        if stats.lastPacket == nil || time > stats.lastPacket! { stats.lastPacket = time }
        if case .unsupported(let dlt) = linkType {
            if !reportedLinkType {
                reportedLinkType = true
                issue(.link, "unsupported-link-type", "link-layer type \(dlt) is not supported; every packet of this capture is skipped", connection: nil, raw: nil)
            }
            return
        }
        switch PacketParser.tcp(data, linkType: linkType) {
        case .success(let segment):
            stats.tcpSegments += 1
            handle(segment)
        case .failure(let e):
            switch e.skip {
            case .notTCP:
                stats.nonTCPPackets += 1
            case .issue(let layer, let reason, let detail):
                let l: IssueLayer = layer == .link ? .link : layer == .ip ? .ip : .tcp
                issue(l, reason, detail + (data.count < wireLength ? " (snap length \(data.count) of \(wireLength))" : ""),
                      connection: nil, raw: ArraySlice(UnsafeRawBufferPointer(rebasing: data.prefix(64))))
            }
        }
    }

    /// Makes room in the flow table: first forgets idle connections that
    /// never showed OCPP, then gives up the least recently active ones.
    private func evict() {
        let idle = flows.entries.filter { !$0.value.announced && time - $0.value.lastActivity > options.idleUnrecognised }
        for (k, _) in idle { flows[k] = nil; stats.evictedConnections += 1 }
        guard flows.count >= options.maxConnections else { return }
        let victims = flows.entries.sorted { $0.value.lastActivity < $1.value.lastActivity }.prefix(max(1, options.maxConnections / 10))
        for (k, c) in victims {
            if c.announced {
                issue(.tcp, "connection-evicted", "\(options.maxConnections) connections open at once: this one, idle since \(Timestamp(microseconds: c.lastActivity).iso8601), is no longer followed",
                      connection: c.info.id, raw: nil)
                close(c, how: "evicted", by: nil)
            }
            flows[k] = nil
            stats.evictedConnections += 1
        }
    }

    /// The end of the input: gaps are given up, open connections reported
    /// as open at the end of the data.
    public func finish() {
        for (_, c) in flows.entries.sorted(by: { $0.value.info.id < $1.value.info.id }) {
            close(c, how: "end-of-data", by: nil)
        }
        flows.removeAll()
    }

    // MARK: TCP

    private func handle(_ s: TCPSegment) {
        let key = FlowKey(s.source, s.destination)
        var conn = flows[key]
        if let c = conn, s.syn, !s.hasAck, let base = c.side(of: s.source).reassembler.base, base != s.seq &+ 1 {
            // The same four-tuple opened again: the old connection is over.
            close(c, how: c.info.closedHow ?? "reused", by: nil)
            flows[key] = nil
            conn = nil
        }
        if conn == nil {
            guard s.syn || s.claimedLength > 0 else { return }
            if flows.count >= options.maxConnections { evict() }
            let c = TCPConnection(id: nextConnectionID, a: key.a, b: key.b, frame: number, time: time)
            nextConnectionID += 1
            flows[key] = c
            conn = c
        }
        let c = conn!
        c.lastActivity = time
        c.info.lastFrame = number
        let side = c.side(of: s.source)
        if s.syn {
            side.reassembler.syn(seq: s.seq)
            if !s.hasAck { c.setClient(side) } else if c.client == nil { c.setClient(c.other(side)) }
        }
        if s.claimedLength > 0 || s.fin {
            side.reassembler.accept(seq: s.syn ? s.seq &+ 1 : s.seq, payload: s.payload, claimedLength: s.claimedLength,
                                    fin: s.fin, time: time) { chunk in
                self.deliver(chunk, to: side, of: c)
            }
        }
        if s.rst {
            close(c, how: "rst", by: c.direction(of: side))
            flows[key] = nil
            return
        }
        if s.fin {
            side.finSeen = true
            if c.info.closedAt == nil, c.announced {
                c.info.closedAt = Timestamp(microseconds: time)
                c.info.closedHow = "fin"
                c.info.closedBy = c.direction(of: side)
            }
            if c.a.finSeen && c.b.finSeen && !c.a.reassembler.hasPending && !c.b.reassembler.hasPending {
                close(c, how: "fin", by: nil)
                flows[key] = nil
            }
        }
    }

    private func deliver(_ chunk: StreamReassembler.Chunk, to side: ConnectionSide, of c: TCPConnection) {
        let dir = c.direction(of: side)
        switch chunk {
        case .data(let bytes):
            if dir == .chargePointToCSMS { c.info.stats.bytesSeen.0 += UInt64(bytes.count) } else { c.info.stats.bytesSeen.1 += UInt64(bytes.count) }
            switch c.app {
            case .tls, .other:
                stats.otherBytes += Int64(bytes.count)
                return
            default:
                side.queue.append(bytes)
            }
        case .hole(let n):
            c.info.stats.holes += 1
            c.info.stats.holeBytes += UInt64(n)
            switch c.app {
            case .websocket:
                if let ws = side.ws {
                    announce(c)
                    ws.hole(n, queue: &side.queue) { self.webSocketEvent($0, side: side, conn: c) }
                } else {
                    // A hole before the handshake finished on this side.
                    side.queue.removeAll()
                }
            case .http:
                handshakeHole(n, side: side, of: c)
            default:
                side.queue.removeAll()
            }
            return
        }
        advance(side, of: c)
    }

    /// Runs the parsers over whatever this side has in order.
    private func advance(_ side: ConnectionSide, of c: TCPConnection) {
        if case .undetermined = c.app { recognise(side, of: c) }
        switch c.app {
        case .undetermined, .tls, .other:
            return
        case .http:
            handshake(side, of: c)
        case .websocket:
            guard let ws = side.ws else { return }
            ws.consume(&side.queue) { self.webSocketEvent($0, side: side, conn: c) }
        }
    }

    /// Decides what a connection carries from its first bytes, by content.
    private func recognise(_ side: ConnectionSide, of c: TCPConnection) {
        let q = side.queue
        guard q.count >= 4 else { return }
        let head = Array(q.prefix(5))
        if head.starts(with: Array("GET ".utf8)) {
            c.app = .http
            c.setClient(side)
        } else if head.starts(with: Array("HTTP/".utf8)) {
            c.app = .http
            c.setClient(c.other(side))
        } else if head[0] == 0x16 && head[1] == 0x03 {
            c.app = .tls
            stats.tlsConnections += 1
            stats.otherBytes += Int64(q.count)
            side.queue.removeAll()
            issue(.tcp, "tls", "TLS connection \(c.a.endpoint.text) ↔ \(c.b.endpoint.text): encrypted (wss://), not decodable without keys", connection: nil, raw: nil)
        } else {
            // Not HTTP: a WebSocket whose handshake was not captured, or
            // something that is not OCPP at all. Mid-stream recovery is tried
            // only when the bytes look like a WebSocket frame carrying OCPP-J.
            if looksLikeOCPPFrame(q) || q.withBytes({ containsOCPPFrame($0) }) {
                startMidStream(c)
            } else if q.count >= CaptureDecoder.recognitionWindow {
                c.app = .other
                stats.otherConnections += 1
                stats.otherBytes += Int64(c.a.queue.count + c.b.queue.count)
                c.a.queue.removeAll()
                c.b.queue.removeAll()
            }
            // Otherwise wait for more bytes: a capture may start inside a
            // long message, and the next frame boundary is further on.
        }
    }

    /// How many bytes of a connection are looked at before deciding it does
    /// not carry OCPP over WebSocket.
    static let recognitionWindow = 64 * 1024

    /// Whether a whole uncompressed text frame holding a JSON array (starts
    /// with `[`, ends with `]`) lies anywhere in the bytes: the sign of an
    /// OCPP connection seen after its handshake, even from mid-message.
    private func containsOCPPFrame(_ b: UnsafeRawBufferPointer) -> Bool {
        var p = 0
        while p + 2 < b.count {
            defer { p += 1 }
            guard b[p] == 0x81, case .header(let h) = WebSocketFrameHeader.parse(UnsafeRawBufferPointer(rebasing: b[p...])),
                  h.payloadLength >= 2, h.payloadLength <= 1 << 20 else { continue }
            let start = p + h.headerLength
            let end = start + Int(h.payloadLength)
            guard end <= b.count else { continue }
            let k0 = h.masked ? h.maskKey.0 : 0
            let kl: UInt8
            if h.masked {
                switch (end - 1 - start) & 3 {
                case 0: kl = h.maskKey.0
                case 1: kl = h.maskKey.1
                case 2: kl = h.maskKey.2
                default: kl = h.maskKey.3
                }
            } else { kl = 0 }
            if b[start] ^ k0 == UInt8(ascii: "[") && b[end - 1] ^ kl == UInt8(ascii: "]") { return true }
        }
        return false
    }

    private func looksLikeOCPPFrame(_ q: ByteQueue) -> Bool {
        q.withBytes { b in
            guard case .header(let h) = WebSocketFrameHeader.parse(b), h.opcode == 1 || h.isControl,
                  h.wellFormed(expectMask: nil, compression: true) else { return false }
            if h.rsv1 || h.isControl { return true }
            guard b.count > h.headerLength else { return false }
            return b[h.headerLength] ^ (h.masked ? h.maskKey.0 : 0) == UInt8(ascii: "[")
        }
    }

    /// A connection first seen after its handshake: WebSocket framing is
    /// recovered from the byte stream; identity and version are provisional.
    private func startMidStream(_ c: TCPConnection) {
        if c.client == nil {
            // Guess the opener by the ephemeral port until a masked frame says otherwise.
            c.setClient(c.a.endpoint.port > c.b.endpoint.port ? c.a : c.b, confirmed: false)
        }
        applyIdentityMap(c)
        startRecoveredWebSocket(c)
        announce(c)
        for s in [c.a, c.b] where !s.queue.isEmpty { advance(s, of: c) }
    }

    /// Switches a connection whose handshake was not (wholly) seen to
    /// WebSocket framing recovered from the bytes. Compression is unknown, so
    /// compressed frames are accepted and inflated with an empty history:
    /// a message that refers back to unseen data fails in zlib and is
    /// reported, so nothing wrong is ever printed as a message.
    private func startRecoveredWebSocket(_ c: TCPConnection) {
        c.app = .websocket
        for s in [c.a, c.b] {
            let clientSide: Bool? = c.clientConfirmed ? c.client.map { $0 === s } : nil
            s.ws = WebSocketStream(expectMask: clientSide, compression: true,
                                   inflater: MessageInflater(resetPerMessage: false, maxOutput: options.maxMessageBytes),
                                   maxMessageBytes: options.maxMessageBytes, startInResync: true)
            s.headDone = true
        }
    }

    /// A hole in the HTTP upgrade (a snap length cut the handshake packets, or
    /// one was lost): keep what the partial head says (request line, status,
    /// the headers before the cut) and recover the WebSocket frames after it.
    private func handshakeHole(_ n: Int64, side: ConnectionSide, of c: TCPConnection) {
        announce(c)
        let partial = side.queue.withBytes { HTTPHead.parsePartial($0) }
        side.queue.removeAll()
        issue(.http, "hole-in-handshake", "\(c.direction(of: side).wireName): \(n) bytes missing from the TCP stream during the HTTP upgrade; what was before the cut is kept and WebSocket frames are recovered after it",
              connection: c.info.id, raw: nil)
        if let head = partial, !side.headDone {
            side.headDone = true
            if side === c.client {
                clientRequest(head, c)
            } else {
                c.info.httpStatus = head.statusCode
                c.info.handshakeSeen = true
                if let p = head.headers["sec-websocket-protocol"] { c.info.subprotocol = p }
                if let e = head.headers["sec-websocket-extensions"] { c.info.extensions = e; c.info.compressed = true }
                if head.statusCode != nil && head.statusCode != 101 { sink.connectionUpdated(c.info); return }
            }
        }
        if side === c.server || c.server?.headDone == true {
            startRecoveredWebSocket(c)
            sink.connectionUpdated(c.info)
        }
    }

    // MARK: HTTP upgrade

    private func handshake(_ side: ConnectionSide, of c: TCPConnection) {
        guard let client = c.client else { return }
        if side.bodyToSkip > 0 {
            let n = min(side.bodyToSkip, side.queue.count)
            side.queue.consume(n)
            side.bodyToSkip -= n
            countDecoded(n, side, of: c)
        }
        if side.headDone { return }
        let parsed = side.queue.withBytes { HTTPHead.parse($0) }
        switch parsed {
        case .needMore:
            return
        case .tooLong:
            announce(c)
            issue(.http, "head-too-long", "HTTP header block longer than \(HTTPHead.maxLength) bytes; connection not decoded", connection: c.info.id, raw: side.queue.prefix(64))
            c.app = .other
            side.queue.removeAll()
        case .head(let head):
            side.queue.consume(head.length)
            countDecoded(head.length, side, of: c)
            side.headDone = true
            if side === client {
                clientRequest(head, c)
            } else {
                serverResponse(head, c)
            }
        }
    }

    /// Bytes read for what they are: an HTTP head, a refusal's body, a
    /// WebSocket message or control frame. Why the handshake's too:
    /// `bytes_decoded` against `bytes_seen` says how much of a connection
    /// was understood, and without its heads a capture of chargers that
    /// reconnect every two minutes showed 65% decoded where nothing was lost.
    private func countDecoded(_ n: Int, _ side: ConnectionSide, of c: TCPConnection) {
        if c.direction(of: side) == .chargePointToCSMS { c.info.stats.bytesDecoded.0 += UInt64(n) } else { c.info.stats.bytesDecoded.1 += UInt64(n) }
    }

    private func clientRequest(_ head: HTTPHead, _ c: TCPConnection) {
        c.info.handshakeSeen = true
        c.info.openedAt = Timestamp(microseconds: time)
        c.info.requestPath = head.requestTarget
        if let target = head.requestTarget, let id = HTTPHead.identity(fromTarget: target) {
            c.info.chargePoint = id
            c.info.identitySource = .urlPath
        }
        if let auth = head.headers["authorization"] {
            c.info.authUser = HTTPHead.basicAuthUser(auth)
        }
        announce(c)
        // The response may already be waiting.
        if let server = c.server, !server.queue.isEmpty { handshake(server, of: c) }
    }

    private func serverResponse(_ head: HTTPHead, _ c: TCPConnection) {
        guard let client = c.client, let server = c.server else { return }
        let status = head.statusCode
        c.info.httpStatus = status
        c.info.handshakeSeen = true
        if c.info.openedAt == nil { c.info.openedAt = Timestamp(microseconds: time) }
        announce(c)
        guard status == 101 else {
            // A refused upgrade (401 without credentials, 404 for an unknown
            // identity): keep the status, skip the body, and wait for the
            // client to try again on the same connection.
            issue(.http, "upgrade-refused", "server answered the WebSocket upgrade with \(head.startLine)", connection: c.info.id, raw: nil)
            server.bodyToSkip = Int(head.headers["content-length"] ?? "") ?? 0
            server.headDone = false
            client.headDone = false
            sink.connectionUpdated(c.info)
            handshake(server, of: c)
            return
        }
        c.info.subprotocol = head.headers["sec-websocket-protocol"]
        c.info.extensions = head.headers["sec-websocket-extensions"]
        let deflate = c.info.extensions.flatMap { DeflateParameters(extensions: $0) }
        c.info.compressed = deflate != nil
        c.app = .websocket
        client.ws = WebSocketStream(
            expectMask: true, compression: deflate != nil,
            inflater: deflate.map { MessageInflater(resetPerMessage: $0.clientNoContextTakeover, maxOutput: options.maxMessageBytes) },
            maxMessageBytes: options.maxMessageBytes, startInResync: false)
        server.ws = WebSocketStream(
            expectMask: false, compression: deflate != nil,
            inflater: deflate.map { MessageInflater(resetPerMessage: $0.serverNoContextTakeover, maxOutput: options.maxMessageBytes) },
            maxMessageBytes: options.maxMessageBytes, startInResync: false)
        sink.connectionUpdated(c.info)
        advance(server, of: c)
        advance(client, of: c)
    }

    // MARK: WebSocket events

    private func applyIdentityMap(_ c: TCPConnection) {
        guard c.info.identitySource == .endpoint, let client = c.client,
              let identity = options.identityMap.identity(for: client.endpoint) else { return }
        c.info.chargePoint = identity
        c.info.identitySource = .identityMap
    }

    /// In a connection seen mid-stream, the first frame whose masking is
    /// known says which side is the charge point (clients mask).
    private func confirmClient(from side: ConnectionSide, of c: TCPConnection) {
        guard !c.clientConfirmed, let ws = side.ws else { return }
        let client = ws.lastFrameMasked ? side : c.other(side)
        c.setClient(client, confirmed: true)
        client.ws?.expectMask = true
        c.other(client).ws?.expectMask = false
        applyIdentityMap(c)
        sink.connectionUpdated(c.info)
    }

    private func webSocketEvent(_ e: WebSocketEvent, side: ConnectionSide, conn c: TCPConnection) {
        switch e {
        case .message, .ping, .pong, .close: confirmClient(from: side, of: c)
        case .issue: break
        }
        let dir = c.direction(of: side)
        switch e {
        case .message(let opcode, let bytes, let wire):
            countDecoded(wire, side, of: c)
            if opcode == 2 {
                issue(.websocket, "binary-message", "binary message of \(bytes.count) bytes; OCPP-J is sent as text", connection: c.info.id, raw: ArraySlice(UnsafeRawBufferPointer(rebasing: bytes.prefix(64))))
                return
            }
            c.info.stats.messages += 1
            stats.messages += 1
            sink.frame(OCPPFrame(text: Array(bytes), time: Timestamp(microseconds: time), direction: dir,
                                 connection: c.info.id, frame: number))
        case .ping(let wire):
            countDecoded(wire, side, of: c)
            c.info.stats.pings += 1
            sink.keepAlive(KeepAlive(connection: c.info.id, time: Timestamp(microseconds: time), direction: dir, kind: "ping"))
        case .pong(let wire):
            countDecoded(wire, side, of: c)
            c.info.stats.pongs += 1
            sink.keepAlive(KeepAlive(connection: c.info.id, time: Timestamp(microseconds: time), direction: dir, kind: "pong"))
        case .close(let code, let reason, let wire):
            countDecoded(wire, side, of: c)
            if c.info.closeCode == nil && c.info.closedHow != "close-frame" {
                c.info.closeCode = code
                c.info.closeReason = reason
                c.info.closedBy = dir
                c.info.closedAt = Timestamp(microseconds: time)
                c.info.closedHow = "close-frame"
            }
        case .issue(let kind, let reason, let detail, let raw):
            issue(kind == .deflate ? .deflate : .websocket, reason, "\(dir.wireName): \(detail)", connection: c.info.id, raw: raw)
        }
    }

    // MARK: Reporting

    private func announce(_ c: TCPConnection) {
        guard !c.announced else { return }
        c.announced = true
        stats.connections += 1
        if c.info.chargePoint.isEmpty, let client = c.client { c.info.chargePoint = client.endpoint.text }
        sink.connectionOpened(c.info)
    }

    private func close(_ c: TCPConnection, how: String, by: Direction?) {
        guard !c.closed else { return }
        for s in [c.a, c.b] {
            s.reassembler.flush { self.deliver($0, to: s, of: c) }
        }
        // A message cut at the very end of the data is lost, not silently.
        for s in [c.a, c.b] where c.announced && !s.queue.isEmpty {
            issue(.websocket, "incomplete-at-end", "\(c.direction(of: s).wireName): \(s.queue.count) bytes of an unfinished frame when the connection ended (\(how))",
                  connection: c.info.id, raw: s.queue.prefix(64))
            s.queue.removeAll()
        }
        c.closed = true
        guard c.announced else { return }
        c.info.ended = true
        if c.info.closedHow == nil || how == "rst" && c.info.closedHow != "close-frame" {
            c.info.closedHow = how
            if how != "end-of-data" {
                c.info.closedAt = c.info.closedAt ?? Timestamp(microseconds: time)
                c.info.closedBy = c.info.closedBy ?? by
            }
        }
        sink.connectionUpdated(c.info)
    }

    private func issue(_ layer: IssueLayer, _ reason: String, _ detail: String, connection: Int?, raw: ArraySlice<UInt8>?) {
        sink.issue(DecodeIssue(layer: layer, reason: reason, detail: detail, time: Timestamp(microseconds: time),
                               frame: number, connection: connection, raw: raw))
    }
}
