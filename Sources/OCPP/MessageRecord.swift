import Frames

/// One message as the commands print it, whether it was just decoded
/// (`decode`) or read back from the database (`messages`).
public struct MessageRecord: Sendable {
    public var time: Timestamp
    public var chargePoint: String
    public var direction: Direction
    public var type: MessageType
    public var uniqueId: String
    public var action: String?
    /// JSON text: the payload, or for errors `{"code":…,"description":…,"details":…}`.
    public var payloadJSON: String
    public var ocppVersion: String?
    public var source: String
    public var frame: Int64
    public var latencyMicros: Int64?
    /// For CALLs: result | error | none | open, when known.
    public var answer: String?

    public init(time: Timestamp, chargePoint: String, direction: Direction, type: MessageType, uniqueId: String,
                action: String?, payloadJSON: String, ocppVersion: String?, source: String, frame: Int64,
                latencyMicros: Int64?, answer: String?) {
        self.time = time
        self.chargePoint = chargePoint
        self.direction = direction
        self.type = type
        self.uniqueId = uniqueId
        self.action = action
        self.payloadJSON = payloadJSON
        self.ocppVersion = ocppVersion
        self.source = source
        self.frame = frame
        self.latencyMicros = latencyMicros
        self.answer = answer
    }

    /// The payload field of the output for an error message.
    public static func errorPayload(code: String?, description: String?, details: String?) -> String {
        var out = "{\"code\":"
        if let code { JSONValue.writeString(code, into: &out) } else { out += "null" }
        out += ",\"description\":"
        if let description { JSONValue.writeString(description, into: &out) } else { out += "null" }
        out += ",\"details\":" + (details.flatMap { $0.isEmpty ? nil : $0 } ?? "{}") + "}"
        return out
    }

    public init(decoded m: DecodedMessage, chargePoint: String, ocppVersion: String?, source: String) {
        let payload = String(decoding: m.payloadBytes, as: UTF8.self)
        let json: String
        switch m.message.type {
        case .callError, .callResultError:
            json = MessageRecord.errorPayload(code: m.message.errorCode, description: m.message.errorDescription, details: payload)
        default:
            json = payload.isEmpty ? "{}" : payload
        }
        self.init(time: m.frame.time, chargePoint: chargePoint, direction: m.frame.direction,
                  type: m.message.type, uniqueId: m.uniqueId, action: m.action, payloadJSON: json,
                  ocppVersion: ocppVersion, source: source, frame: m.frame.frame,
                  latencyMicros: m.latency, answer: nil)
    }
}
