import Frames

/// One OCPP-J message, decoded and correlated.
public struct DecodedMessage: Sendable {
    /// The frame it came from; `text` has secrets masked.
    public var frame: OCPPFrame
    /// Number of this message within the decoding run, from 1.
    public var sequence: Int64
    public var message: OCPPMessage
    /// The action: its own for CALL and SEND, the correlated CALL's for
    /// answers (nil when the CALL was not seen).
    public var action: String?
    /// For answers: the sequence number of the CALL answered.
    public var request: Int64?
    /// For answers: µs since the CALL.
    public var latency: Int64?
    /// How many secrets were masked in this message's payload.
    public var secretsMasked: Int
    /// Violations of the official JSON schema of its version and action;
    /// nil when not validated or when no schema applies.
    public var schemaViolations: [SchemaViolation]? = nil

    /// The payload bytes (the error details for error types).
    public var payloadBytes: ArraySlice<UInt8> { frame.text[message.payload] }

    /// The unique id (made as a String here: OCPPMessage.unusualUniqueId).
    /// Masking and redaction rewrite only the payload, which follows the
    /// id, so `message.uniqueIdRange` stays where the id lies in `text`.
    public var uniqueId: String { frame.text.withUnsafeBytes { message.uniqueId(in: $0) } }
}

/// Where decoded messages go.
public protocol MessageSink: AnyObject {
    func connectionOpened(_ connection: ConnectionInfo)
    func connectionUpdated(_ connection: ConnectionInfo)
    /// Consuming, as FrameSink.frame is, so that a sink that keeps the
    /// message (a batch) takes it without copying it.
    func message(_ message: consuming DecodedMessage)
    /// What became of a CALL, once known.
    func outcome(_ outcome: CallOutcome)
    func issue(_ issue: DecodeIssue)
    func keepAlive(_ k: KeepAlive)
}

extension MessageSink {
    public func keepAlive(_ k: KeepAlive) {}
}

/// Decodes frames into OCPP messages: envelope, correlation, masking.
/// It sits between an input (captures, logs) and a consumer (store, printer).
public final class MessageDecoder: FrameSink {
    private let sink: MessageSink
    private var correlator = Correlator()
    private var nextSequence: Int64 = 1
    public private(set) var secretsMasked = 0
    public private(set) var messages: Int64 = 0
    /// Personal data replaced by a keyed hash (`ingest --redact`); nil keeps it.
    public var redactor: Redactor?
    public private(set) var redacted = 0
    /// Validate payloads against the official OCPP schemas (ingest does; decode on request).
    public var validate = false
    /// The OCPP version of each connection, for validation.
    private var versions: [Int: String] = [:]

    public init(sink: MessageSink) { self.sink = sink }

    public func connectionOpened(_ connection: ConnectionInfo) {
        versions[connection.id] = connection.ocppVersion
        sink.connectionOpened(connection)
    }

    public func connectionUpdated(_ connection: ConnectionInfo) {
        if connection.ended {
            // Nothing more comes of it: what is kept of it goes, so that memory
            // depends on the connections open at once, not on all ever seen.
            versions[connection.id] = nil
            let reason = connection.closedHow == "end-of-data" ? "end-of-data" : "closed"
            for o in correlator.end(connection: connection.id, reason: reason) { sink.outcome(o) }
        } else {
            versions[connection.id] = connection.ocppVersion
        }
        sink.connectionUpdated(connection)
    }

    /// Connections whose version is kept (for tests: those that ended are forgotten).
    public var connectionsHeld: Int { versions.count }
    /// Connections the correlator holds anything of.
    public var correlatedConnectionsHeld: Int { correlator.connectionsHeld }

    public func keepAlive(_ k: KeepAlive) { sink.keepAlive(k) }

    public func issue(_ issue: DecodeIssue) {
        var issue = issue
        // Undecodable bytes may hold an id tag; a redacted database keeps none.
        if redactor != nil { issue.raw = nil }
        sink.issue(issue)
    }

    public func frame(_ frame: consuming OCPPFrame) {
        // The text once, read in place by the parse and the correlator
        // (masking rewrites only what follows the unique id). Why not
        // `Result { … }.get()` from inside `withUnsafeBytes`: the Result and
        // the frame were copied out, field by field, on every path of this
        // function (objdump: eleven copies of the one, eight of the other).
        let text = frame.text
        var parsed: OCPPMessage?
        var failure: OCPPMessage.Failure?
        text.withUnsafeBytes { raw in
            do throws(OCPPMessage.Failure) { parsed = try OCPPMessage.parse(raw) } catch { failure = error }
        }
        guard let parsed else {
            let error = failure!
            sink.issue(DecodeIssue(layer: error.layer == .json ? .json : .ocpp, reason: error.reason,
                                   detail: "\(frame.direction.wireName): \(error.detail)", time: frame.time,
                                   frame: frame.frame, connection: frame.connection, raw: redactor == nil ? text[...] : nil))
            return
        }
        let connection = frame.connection, direction = frame.direction, time = frame.time
        // The frame moves into the message (its last use), its text not copied.
        var m = DecodedMessage(frame: frame, sequence: nextSequence, message: parsed, action: parsed.action,
                               request: nil, latency: nil, secretsMasked: 0)
        nextSequence += 1
        messages += 1
        switch parsed.type {
        case .call:
            let sequence = m.sequence
            let o = text.withUnsafeBytes { t in
                parsed.withUniqueIdBytes(in: t) { id in
                    correlator.call(connection: connection, direction: direction, uniqueId: id,
                                    action: parsed.action ?? "", sequence: sequence, time: time)
                }
            }
            if let o { sink.outcome(o) }
        case .callResult, .callError:
            if let p = text.withUnsafeBytes({ t in
                parsed.withUniqueIdBytes(in: t) { correlator.answer(connection: connection, direction: direction, uniqueId: $0) }
            }) {
                m.action = p.action
                m.request = p.sequence
                m.latency = time.microseconds - p.time.microseconds
                sink.outcome(.answered(call: p.sequence, by: parsed.type, latency: m.latency!))
            }
        case .callResultError:
            if let p = text.withUnsafeBytes({ t in
                parsed.withUniqueIdBytes(in: t) { correlator.answeredCall(connection: connection, direction: direction, uniqueId: $0) }
            }) {
                m.action = p.action
                m.request = p.sequence
                m.latency = time.microseconds - p.time.microseconds
            }
        case .send:
            break
        }
        if let action = m.action, SecretMasker.mayCarrySecret(action) { mask(&m) }
        if let r = redactor, !m.message.payload.isEmpty, r.mayApply(m.payloadBytes) { redact(&m, r) }
        if validate { check(&m) }
        // Moved, not copied: passed as it was, every message was copied out
        // (each of its buffers and Strings retained) and then destroyed
        // (`consume m` itself the compiler does not support here).
        let done = m
        sink.message(consume done)
    }

    private func check(_ m: inout DecodedMessage) {
        guard let version = versions[m.frame.connection], let action = m.action, !m.message.payload.isEmpty else { return }
        let isRequest: Bool
        switch m.message.type {
        case .call, .send: isRequest = true
        case .callResult: isRequest = false
        default: return
        }
        let range = m.message.payload
        // Read where the bytes lie (the envelope's parse checked them), no parsed value built.
        m.schemaViolations = m.frame.text.withUnsafeBytes { raw in
            SchemaValidator.shared.validate(version: version, action: action, isRequest: isRequest,
                                            payloadText: UnsafeRawBufferPointer(rebasing: raw[range]))
        }
    }

    private func redact(_ m: inout DecodedMessage, _ r: Redactor) {
        guard let payload = try? JSONValue.parse(Array(m.payloadBytes)) else { return }
        let (out, n) = r.redact(payload)
        guard n > 0 else { return }
        replacePayload(&m, with: out)
        redacted += n
    }

    private func replacePayload(_ m: inout DecodedMessage, with value: JSONValue) {
        let range = m.message.payload
        let newPayload = Array(value.serialized.utf8)
        var text = Array(m.frame.text[..<range.lowerBound])
        text.append(contentsOf: newPayload)
        text.append(contentsOf: m.frame.text[range.upperBound...])
        m.frame.text = text
        m.message.payload = range.lowerBound..<(range.lowerBound + newPayload.count)
    }

    /// Replaces the payload of `m` with its masked form, keeping the rest of
    /// the envelope byte for byte.
    private func mask(_ m: inout DecodedMessage) {
        let range = m.message.payload
        guard !range.isEmpty,
              let payload = try? m.frame.text.withUnsafeBytes({ raw in
                  Result { () throws(JSONScanner.Failure) in try JSONValue.parse(UnsafeRawBufferPointer(rebasing: raw[range])) }
              }).get(),
              let (masked, count) = SecretMasker.masked(payload: payload, action: m.action!, isCall: m.message.type == .call)
        else { return }
        replacePayload(&m, with: masked)
        m.secretsMasked = count
        secretsMasked += count
    }
}
