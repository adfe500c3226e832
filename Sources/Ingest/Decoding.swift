import Capture
import Frames
import OCPP

/// Decodes a capture with no database: every message handed to a closure
/// as soon as it is decoded, for `ocppscope decode`.
public final class StreamingDecode: MessageSink {
    /// What each message prints of its connection, computed when the
    /// connection changes: `ConnectionInfo.ocppVersion` builds Strings, and
    /// computing it (and copying the whole ConnectionInfo) per message was
    /// 6% of `decode`'s instructions (callgrind, 40 MB benchmark corpus).
    private var connections: [Int: (chargePoint: String, ocppVersion: String?)] = [:]
    private let source: String
    private let deliver: Delivery
    private let onIssue: (DecodeIssue) -> Void
    public private(set) var unanswered: [(ConnectionInfo?, CallOutcome)] = []
    public private(set) var messageCount = 0
    public private(set) var issueCount = 0

    /// How each message is handed on: as a MessageRecord, or as decoded with
    /// its connection's identity (no record is built, for callers that only
    /// print text lines).
    public enum Delivery {
        case records((MessageRecord) -> Void)
        case decoded((DecodedMessage, _ chargePoint: String) -> Void)
    }

    public init(source: String, deliver: Delivery, onIssue: @escaping (DecodeIssue) -> Void) {
        self.source = source
        self.deliver = deliver
        self.onIssue = onIssue
    }

    public func connectionOpened(_ c: ConnectionInfo) { connections[c.id] = (c.chargePoint, c.ocppVersion) }
    /// An ended connection is forgotten: nothing more comes of it.
    public func connectionUpdated(_ c: ConnectionInfo) { connections[c.id] = c.ended ? nil : (c.chargePoint, c.ocppVersion) }

    public func message(_ m: DecodedMessage) {
        messageCount += 1
        let c = connections[m.frame.connection]
        switch deliver {
        case .decoded(let body): body(m, c?.chargePoint ?? "")
        case .records(let body): body(MessageRecord(decoded: m, chargePoint: c?.chargePoint ?? "", ocppVersion: c?.ocppVersion, source: source))
        }
        if let v = m.schemaViolations, !v.isEmpty {
            issue(DecodeIssue(layer: .schema, reason: "schema-violation",
                              detail: "\(m.action ?? "?"): " + v.map { "\($0.path.isEmpty ? "/" : $0.path) \($0.kind.rawValue): \($0.message)" }.joined(separator: "; "),
                              time: m.frame.time, frame: m.frame.frame, connection: m.frame.connection))
        }
    }

    public func outcome(_ o: CallOutcome) {
        if case .unanswered = o { unanswered.append((nil, o)) }
    }

    public func issue(_ i: DecodeIssue) {
        issueCount += 1
        onIssue(i)
    }
}
