import Frames

/// The OCPP-J message types (OCPP-J 1.6 §4; OCPP 2.0.1 part 4 §4; OCPP 2.1
/// adds CALLRESULTERROR and SEND).
public enum MessageType: Int, Sendable, CaseIterable {
    case call = 2
    case callResult = 3
    case callError = 4
    case callResultError = 5
    case send = 6

    public var name: String {
        switch self {
        case .call: return "CALL"
        case .callResult: return "CALLRESULT"
        case .callError: return "CALLERROR"
        case .callResultError: return "CALLRESULTERROR"
        case .send: return "SEND"
        }
    }

    public init?(name: String) {
        guard let t = MessageType.allCases.first(where: { $0.name == name.uppercased() }) else { return nil }
        self = t
    }

    /// Whether a message of this type answers an earlier CALL.
    public var isAnswer: Bool { self == .callResult || self == .callError }
}

/// The envelope of one OCPP-J message: its type, unique id, action, and
/// where its payload lies in the text.
public struct OCPPMessage: Sendable {
    public var type: MessageType
    /// Where the unique id's characters lie in the text (quotes excluded).
    public var uniqueIdRange: Range<Int>
    /// The unique id as a String when its bytes in the text are not simply
    /// its UTF-8 (escapes, or bytes outside ASCII, which a String repairs
    /// if invalid); nil for a plain ASCII id, which is read where it lies
    /// (`uniqueId(in:)`, `withUniqueIdBytes`). Why: a String per message,
    /// made on the decoding thread and freed on the writer's, was the
    /// message's second allocation after its text (UUIDs need the heap).
    public var unusualUniqueId: String?
    /// The action of a CALL or SEND (for answers the correlator supplies it).
    public var action: String?
    /// Byte range of the payload object (CALL, CALLRESULT, SEND) or of the
    /// error details (CALLERROR, CALLRESULTERROR).
    public var payload: Range<Int>
    public var errorCode: String?
    public var errorDescription: String?

    /// Why a parse failed, with the layer it belongs to.
    public struct Failure: Error, Sendable {
        /// `json` when the text is not JSON; `ocpp` when it is JSON but not OCPP-J.
        public var layer: Layer
        public var reason: String
        public var detail: String
        public enum Layer: Sendable { case json, ocpp }
    }

    /// Why a limit: unique ids are at most 36 characters by the specification;
    /// a few times that is tolerated, longer ones are not ids.
    public static let maxUniqueIdLength = 128

    /// The unique id; `text` is the text this message was parsed from.
    public func uniqueId(in text: UnsafeRawBufferPointer) -> String {
        unusualUniqueId ?? String(decoding: UnsafeRawBufferPointer(rebasing: text[uniqueIdRange]), as: UTF8.self)
    }

    /// Calls `body` with the unique id's UTF-8 (as `uniqueId(in:)` would
    /// hold it), without making a String for a plain id.
    public func withUniqueIdBytes<R>(in text: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if var id = unusualUniqueId { return try id.withUTF8 { try body(UnsafeRawBufferPointer($0)) } }
        return try body(UnsafeRawBufferPointer(rebasing: text[uniqueIdRange]))
    }

    /// Parses an OCPP-J message. The whole text is checked to be JSON.
    public static func parse(_ text: UnsafeRawBufferPointer) throws(Failure) -> OCPPMessage {
        var s = JSONScanner(text)
        do {
            return try parseEnvelope(&s)
        } catch let f as Failure {
            // An envelope error on text that is not JSON at all is a JSON
            // error: validate the whole text only now, off the common path.
            var check = JSONScanner(text)
            do {
                _ = try check.value()
                check.skipWhitespace()
                if !check.atEnd { throw JSONScanner.Failure.invalid("trailing characters after the message", at: check.index) }
            } catch let j as JSONScanner.Failure {
                switch j {
                case .tooDeep(let at):
                    throw Failure(layer: .json, reason: "too-deep", detail: "JSON nested deeper than \(JSONScanner.maxDepth) levels at byte \(at)")
                case .invalid(let why, let at):
                    throw Failure(layer: .json, reason: "invalid-json", detail: "\(why) at byte \(at) of \(text.count)")
                }
            } catch {}
            throw f
        } catch let j as JSONScanner.Failure {
            switch j {
            case .tooDeep(let at):
                throw Failure(layer: .json, reason: "too-deep", detail: "JSON nested deeper than \(JSONScanner.maxDepth) levels at byte \(at)")
            case .invalid(let why, let at):
                throw Failure(layer: .json, reason: "invalid-json", detail: "\(why) at byte \(at) of \(text.count)")
            }
        } catch {
            throw Failure(layer: .json, reason: "invalid-json", detail: "\(error)")
        }
    }

    private static func parseEnvelope(_ s: inout JSONScanner) throws -> OCPPMessage {
        s.skipWhitespace()
        guard s.peek() == UInt8(ascii: "[") else {
            throw Failure(layer: .ocpp, reason: "not-an-array", detail: "an OCPP-J message is a JSON array")
        }
        // One pass: every element is checked as it is read (the payload by
        // `value()`), and nothing may follow the closing bracket.
        s.index += 1
        s.skipWhitespace()
        let typeStart = s.index
        guard s.peek().map({ $0 >= 48 && $0 <= 57 }) == true else {
            throw Failure(layer: .ocpp, reason: "bad-message-type", detail: "the first element must be the message type number")
        }
        try s.number()
        // The one digit of every valid type read as it is; other numbers only for the message.
        let typeBytes = UnsafeRawBufferPointer(rebasing: s.bytes[typeStart..<s.index])
        guard typeBytes.count == 1, let type = MessageType(rawValue: Int(typeBytes[0]) - 48) else {
            let typeText = String(decoding: typeBytes, as: UTF8.self)
            throw Failure(layer: .ocpp, reason: "unknown-message-type", detail: "message type \(typeText) is not 2, 3, 4, 5 or 6")
        }
        try s.expect(UInt8(ascii: ","), "','")
        s.skipWhitespace()
        guard s.peek() == UInt8(ascii: "\"") else {
            throw Failure(layer: .ocpp, reason: "bad-unique-id", detail: "the unique id must be a string")
        }
        let quoted: Range<Int>
        var unusual: String?
        if let plain = s.plainStringRange() {
            quoted = plain
        } else {
            quoted = try s.stringRange()
            unusual = JSONScanner.decodeString(UnsafeRawBufferPointer(rebasing: s.bytes[quoted]))
        }
        let idRange = (quoted.lowerBound + 1)..<(quoted.upperBound - 1)
        let idLength = unusual?.utf8.count ?? idRange.count
        guard idLength <= maxUniqueIdLength else {
            throw Failure(layer: .ocpp, reason: "bad-unique-id", detail: "unique id of \(idLength) characters")
        }
        var message = OCPPMessage(type: type, uniqueIdRange: idRange, unusualUniqueId: unusual, action: nil, payload: 0..<0)
        func nextString(_ what: String) throws -> String {
            try s.expect(UInt8(ascii: ","), "','")
            s.skipWhitespace()
            guard s.peek() == UInt8(ascii: "\"") else {
                throw Failure(layer: .ocpp, reason: "bad-\(what)", detail: "the \(what) must be a string")
            }
            return try s.string()
        }
        func nextValue(_ what: String) throws -> Range<Int> {
            s.skipWhitespace()
            guard s.peek() == UInt8(ascii: ",") else {
                throw Failure(layer: .ocpp, reason: "missing-element", detail: "\(type.name) without its \(what)")
            }
            s.index += 1
            return try s.value()
        }
        /// The action: the table's literal for a plain name of any version
        /// (OCPPActions.name), else a String of its own.
        func nextAction() throws -> String {
            try s.expect(UInt8(ascii: ","), "','")
            s.skipWhitespace()
            guard s.peek() == UInt8(ascii: "\"") else {
                throw Failure(layer: .ocpp, reason: "bad-action", detail: "the action must be a string")
            }
            guard let plain = s.plainStringRange() else {
                return JSONScanner.decodeString(UnsafeRawBufferPointer(rebasing: s.bytes[try s.stringRange()]))
            }
            let inner = UnsafeRawBufferPointer(rebasing: s.bytes[(plain.lowerBound + 1)..<(plain.upperBound - 1)])
            return OCPPActions.name(ofBytes: inner) ?? String(decoding: inner, as: UTF8.self)
        }
        switch type {
        case .call, .send:
            message.action = try nextAction()
            message.payload = try nextValue("payload")
        case .callResult:
            message.payload = try nextValue("payload")
        case .callError, .callResultError:
            message.errorCode = try nextString("error-code")
            // Description and details are required, but some stacks leave
            // them out: keep what is there rather than lose the error.
            s.skipWhitespace()
            if s.peek() == UInt8(ascii: ",") {
                message.errorDescription = try nextString("error-description")
                s.skipWhitespace()
                if s.peek() == UInt8(ascii: ",") { message.payload = try nextValue("details") }
            }
        }
        s.skipWhitespace()
        guard s.peek() == UInt8(ascii: "]") else {
            throw Failure(layer: .ocpp, reason: "extra-elements", detail: "\(type.name) has more elements than OCPP-J allows")
        }
        s.index += 1
        s.skipWhitespace()
        guard s.atEnd else { throw JSONScanner.Failure.invalid("trailing characters after the message", at: s.index) }
        return message
    }
}
