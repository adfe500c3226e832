/// What one direction of a WebSocket yields.
enum WebSocketEvent {
    /// A whole data message (text or binary), after unmasking and inflation.
    case message(opcode: UInt8, bytes: UnsafeRawBufferPointer, wireBytes: Int)
    /// Control frames, with their bytes on the wire (header and payload).
    case ping(wireBytes: Int)
    case pong(wireBytes: Int)
    case close(code: Int?, reason: String?, wireBytes: Int)
    /// Something that could not be decoded; `layer` is websocket or deflate.
    case issue(layer: IssueKind, reason: String, detail: String, raw: ArraySlice<UInt8>?)
}

enum IssueKind { case websocket, deflate }

/// The WebSocket parser of one direction of one connection: frames in,
/// messages out (RFC 6455 §5, RFC 7692).
///
/// It follows swift-nio's WebSocketFrameDecoder in spirit: a small state
/// machine fed with whatever bytes are in order, consuming whole frames and
/// leaving partial ones in the queue until more arrives. Unlike a live
/// endpoint it must survive missing bytes, so after a hole (or when a capture
/// starts mid-connection) it *resynchronises*: it looks for the next position
/// where a well-formed frame starts and whose successor is well formed too.
final class WebSocketStream {
    /// Why: one frame or message larger than this is either an attack or a
    /// broken stream; OCPP messages are kilobytes. Buffering stops at the limit.
    let maxMessageBytes: Int
    /// Clients mask, servers don't (RFC 6455 §5.3); nil while unknown (mid-stream).
    var expectMask: Bool?
    /// permessage-deflate negotiated (or, mid-stream, seen in use).
    var compression: Bool
    var inflater: MessageInflater?

    private enum State {
        case frames
        /// Looking for a frame boundary after a hole or a mid-stream start.
        case resync
        /// Dropping the rest of an over-long frame.
        case skipping(UInt64)
    }
    private var state: State
    private var message: [UInt8] = []
    private var messageOpcode: UInt8 = 0
    private var messageCompressed = false
    private var inMessage = false
    private var messageWireBytes = 0
    /// Bytes passed over while resynchronising, reported with the next boundary found.
    private var skippedWhileResyncing = 0

    init(expectMask: Bool?, compression: Bool, inflater: MessageInflater?, maxMessageBytes: Int, startInResync: Bool) {
        self.expectMask = expectMask
        self.compression = compression
        self.inflater = inflater
        self.maxMessageBytes = maxMessageBytes
        self.state = startInResync ? .resync : .frames
    }

    /// Whether the last frame decoded was masked: in a connection seen
    /// mid-stream, the side that masks is the client (RFC 6455 §5.3).
    private(set) var lastFrameMasked = false

    /// Bytes of frames consumed so far (for the decoded/seen statistic).
    private(set) var decodedBytes: UInt64 = 0

    /// Reports a gap of `length` bytes in the stream: whatever frame or message
    /// was in progress is lost.
    func hole(_ length: Int64, queue: inout ByteQueue, emit: (WebSocketEvent) -> Void) {
        var lost = queue.count
        if inMessage { lost += message.count }
        if inMessage || !queue.isEmpty {
            emit(.issue(layer: .websocket, reason: "message-lost-in-hole",
                        detail: "\(length) bytes missing from the TCP stream; the frame or message in progress (\(lost) bytes buffered) is lost",
                        raw: queue.prefix(64)))
        } else if case .skipping = state {
        } else {
            emit(.issue(layer: .websocket, reason: "hole",
                        detail: "\(length) bytes missing from the TCP stream between frames", raw: nil))
        }
        queue.removeAll()
        resetMessage()
        state = .resync
        skippedWhileResyncing = 0
        // With context takeover the inflater's history now has a gap too;
        // later messages that refer into it will fail and be reported.
    }

    private func resetMessage() {
        inMessage = false
        message.removeAll(keepingCapacity: message.capacity <= 1 << 20)
        messageWireBytes = 0
    }

    /// Consumes as many whole frames from `queue` as it holds.
    func consume(_ queue: inout ByteQueue, emit: (WebSocketEvent) -> Void) {
        while !queue.isEmpty {
            switch state {
            case .skipping(let remaining):
                let n = min(UInt64(queue.count), remaining)
                queue.consume(Int(n))
                if n == remaining { state = .frames } else { state = .skipping(remaining - n); return }
            case .resync:
                guard resync(&queue, emit: emit) else { return }
            case .frames:
                guard step(&queue, emit: emit) else { return }
            }
        }
    }

    /// Decodes one frame; false when more bytes are needed.
    private func step(_ queue: inout ByteQueue, emit: (WebSocketEvent) -> Void) -> Bool {
        let parsed = queue.withBytes { WebSocketFrameHeader.parse($0) }
        guard case .header(let h) = parsed else { return false }
        if !h.wellFormed(expectMask: expectMask, compression: compression) {
            emit(.issue(layer: .websocket, reason: "bad-frame-header",
                        detail: "frame header not valid here (opcode \(h.opcode), masked \(h.masked), rsv1 \(h.rsv1)); looking for the next frame boundary",
                        raw: queue.prefix(32)))
            resetMessage()
            queue.consume(1)
            skippedWhileResyncing = 1
            state = .resync
            return true
        }
        let total = UInt64(h.headerLength) + h.payloadLength
        if h.payloadLength > UInt64(maxMessageBytes) || (!h.isControl && UInt64(message.count) + h.payloadLength > UInt64(maxMessageBytes)) {
            emit(.issue(layer: .websocket, reason: "frame-too-large",
                        detail: "frame of \(h.payloadLength) bytes (message so far \(message.count)) exceeds the limit of \(maxMessageBytes) bytes; skipped",
                        raw: queue.prefix(32)))
            resetMessage()
            let available = UInt64(queue.count)
            if available >= total { queue.consume(Int(total)) } else {
                queue.consume(queue.count)
                state = .skipping(total - available)
            }
            return true
        }
        guard UInt64(queue.count) >= total else { return false }
        let len = Int(h.payloadLength)
        decodedBytes += total
        lastFrameMasked = h.masked
        if h.isControl {
            var payload = Array(queue.prefix(h.headerLength + len).dropFirst(h.headerLength))
            if h.masked { WebSocketMask.unmask(&payload, from: 0, key: h.maskKey) }
            queue.consume(Int(total))
            switch h.opcode {
            case 8:
                var code: Int?
                var reason: String?
                if payload.count >= 2 {
                    code = Int(payload[0]) << 8 | Int(payload[1])
                    reason = String(decoding: payload[2...], as: UTF8.self)
                }
                emit(.close(code: code, reason: reason, wireBytes: Int(total)))
            case 9: emit(.ping(wireBytes: Int(total)))
            default: emit(.pong(wireBytes: Int(total)))
            }
            return true
        }
        if h.opcode == 0 && !inMessage {
            emit(.issue(layer: .websocket, reason: "orphan-continuation",
                        detail: "continuation frame without a message start (\(len) bytes); skipped", raw: queue.prefix(32)))
            queue.consume(Int(total))
            return true
        }
        if h.opcode != 0 && h.fin && !inMessage {
            // A whole message in one frame (nearly every OCPP message): read
            // where it lies in the queue, unmasked in place, instead of being
            // copied into `message` first.
            messageOpcode = h.opcode
            messageCompressed = h.rsv1
            messageWireBytes = Int(total)
            let payload = h.headerLength..<(h.headerLength + len)
            if h.masked { queue.unmask(payload, key: h.maskKey) }
            if h.rsv1, inflater != nil {
                queue.withTail(payload, MessageInflater.tailBytes) { deliver($0, tailed: true, emit) }
            } else {
                queue.withBytes { b in deliver(UnsafeRawBufferPointer(rebasing: b[payload]), emit) }
            }
            messageWireBytes = 0
            queue.consume(Int(total))
            return true
        }
        if h.opcode != 0 {
            if inMessage {
                emit(.issue(layer: .websocket, reason: "unfinished-message",
                            detail: "a new message started before the previous one (\(message.count) bytes) had its final frame; the previous one is dropped",
                            raw: message.prefix(64)))
                resetMessage()
            }
            inMessage = true
            messageOpcode = h.opcode
            messageCompressed = h.rsv1
        }
        let start = message.count
        queue.withBytes { b in
            message.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[h.headerLength..<(h.headerLength + len)]))
        }
        if h.masked { WebSocketMask.unmask(&message, from: start, key: h.maskKey) }
        messageWireBytes += Int(total)
        queue.consume(Int(total))
        if h.fin { finishMessage(emit) }
        return true
    }

    private func finishMessage(_ emit: (WebSocketEvent) -> Void) {
        defer { resetMessage() }
        if messageCompressed && inflater != nil {
            let t = MessageInflater.tailBytes
            message.append(contentsOf: [t.0, t.1, t.2, t.3])
            message.withUnsafeBytes { deliver($0, tailed: true, emit) }
        } else {
            message.withUnsafeBytes { deliver($0, emit) }
        }
    }

    /// Emits a whole message's payload (the frames' payloads, unmasked),
    /// inflated first when it was sent compressed. `tailed`: the payload is
    /// followed by permessage-deflate's `00 00 ff ff`, the last four bytes
    /// of the buffer.
    private func deliver(_ tailedPayload: UnsafeRawBufferPointer, tailed: Bool = false, _ emit: (WebSocketEvent) -> Void) {
        let payload = tailed ? UnsafeRawBufferPointer(rebasing: tailedPayload.dropLast(4)) : tailedPayload
        guard messageCompressed else {
            emit(.message(opcode: messageOpcode, bytes: payload, wireBytes: messageWireBytes))
            return
        }
        guard let inflater else {
            emit(.issue(layer: .deflate, reason: "not-negotiated",
                        detail: "compressed message (RSV1) on a connection without permessage-deflate", raw: ArraySlice(payload.prefix(64))))
            return
        }
        let inflated: UnsafeRawBufferPointer
        do {
            inflated = tailed ? try inflater.inflate(tailedPayload, withTail: true) : try inflater.inflate(payload)
        } catch {
            report(error, payload, emit)
            return
        }
        emit(.message(opcode: messageOpcode, bytes: inflated, wireBytes: messageWireBytes))
    }

    private func report(_ error: MessageInflater.Failure, _ payload: UnsafeRawBufferPointer, _ emit: (WebSocketEvent) -> Void) {
        let raw = ArraySlice(payload.prefix(64))
        switch error {
        case .tooLarge(let n):
                emit(.issue(layer: .deflate, reason: "inflate-limit",
                            detail: "message inflates past the limit of \(maxMessageBytes) bytes (stopped at \(n)); a decompression bomb or a broken stream", raw: raw))
        case .zlib(let why):
                let hint = why.contains("too far back")
                    ? " — the message refers to earlier compressed data that is not in the capture (capture started late, or a hole)"
                    : ""
                emit(.issue(layer: .deflate, reason: why.contains("too far back") ? "missing-history" : "inflate-failed",
                            detail: "cannot inflate a \(payload.count)-byte message: \(why)\(hint)", raw: raw))
        }
    }

    /// Why a limit: bytes that never resolve into a boundary (not WebSocket at
    /// all) must not be buffered forever.
    static let maxResyncBuffer = 256 * 1024

    /// Looks for the next frame boundary. Returns true when one was found (the
    /// state is then `.frames`), false when more bytes are needed.
    private func resync(_ queue: inout ByteQueue, emit: (WebSocketEvent) -> Void) -> Bool {
        let verdict: (found: Int?, scanned: Int) = queue.withBytes { b in
            var p = 0
            while p + 2 <= b.count {
                switch candidate(UnsafeRawBufferPointer(rebasing: b[p...])) {
                case .yes: return (p, p)
                case .needMore: return (nil, p)
                case .no: p += 1
                }
            }
            return (nil, p)
        }
        if let p = verdict.found {
            let skipped = skippedWhileResyncing + p
            if skipped > 0 {
                emit(.issue(layer: .websocket, reason: "resynchronised",
                            detail: "skipped \(skipped) bytes to the next frame boundary", raw: queue.prefix(min(p, 64))))
            }
            queue.consume(p)
            skippedWhileResyncing = 0
            state = .frames
            return true
        }
        // Drop what can no longer start a frame; keep the tail that might.
        if verdict.scanned > 0 && (queue.count > WebSocketStream.maxResyncBuffer || verdict.scanned == queue.count - 1) {
            let drop = verdict.scanned
            queue.consume(drop)
            skippedWhileResyncing += drop
        }
        return false
    }

    private enum Candidate { case yes, no, needMore }

    /// Whether a frame plausibly starts at `b[0]`: a well-formed header of a
    /// message start or control frame; for uncompressed text, a payload that
    /// opens with `[`; and the bytes right after it start another
    /// well-formed frame (or have not arrived yet).
    private func candidate(_ b: UnsafeRawBufferPointer) -> Candidate {
        guard case .header(let h) = WebSocketFrameHeader.parse(b) else { return .needMore }
        guard h.wellFormed(expectMask: expectMask, compression: compression), h.opcode != 0 else { return .no }
        // While resynchronising only OCPP-sized frames are believed.
        guard h.payloadLength <= 1 << 20 else { return .no }
        let len = Int(h.payloadLength)
        if h.opcode == 1 && !h.rsv1 {
            guard len >= 2 else { return .no }
            guard b.count > h.headerLength else { return .needMore }
            var first = b[h.headerLength]
            if h.masked { first ^= h.maskKey.0 }
            if first != UInt8(ascii: "[") { return .no }
        } else if h.opcode == 2 {
            return .no
        }
        let end = h.headerLength + len
        guard b.count >= end + 2 else {
            return b.count >= end ? .yes : .needMore
        }
        guard case .header(let next) = WebSocketFrameHeader.parse(UnsafeRawBufferPointer(rebasing: b[end...])) else { return .yes }
        guard next.wellFormed(expectMask: expectMask, compression: compression) else { return .no }
        if next.opcode == 0 && (h.fin || h.isControl) { return .no }
        return .yes
    }
}
