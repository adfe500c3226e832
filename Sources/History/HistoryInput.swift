import Frames
import OCPP

/// One stored message as the history reads it: in time order, per charge point.
public struct HistoryMessage: Sendable {
    /// `messages.id`: every derived row cites the messages it came from.
    public var id: Int64
    /// Observation time (packet or log line).
    public var time: Timestamp
    public var connection: Int64
    public var direction: Direction
    public var type: MessageType
    /// Own action for CALL/SEND; the correlated CALL's for answers.
    public var action: String?
    /// The action as the history tells actions apart, decided once here so
    /// that each tracker switches over a small enumeration, not over strings.
    public let kind: HistoryAction
    /// The payload (for errors: the details); `.null` for actions the
    /// history does not read.
    public var payload: JSONView
    /// For answers: the id of the CALL answered.
    public var request: Int64?
    public var errorCode: String?
    public var ocppVersion: String?
    /// A hash of the payload's content (PayloadKey): the same message sent
    /// again has the same key. 0 for actions the history does not read.
    public var payloadKey: Int

    /// `kind`: the action's, when the caller has it already (the reader of
    /// the stored messages keeps it with each interned action name).
    public init(id: Int64, time: Timestamp, connection: Int64, direction: Direction, type: MessageType, action: String?,
                kind: HistoryAction? = nil, payload: JSONView, payloadKey: Int, request: Int64?, errorCode: String?,
                ocppVersion: String?) {
        self.id = id
        self.time = time
        self.connection = connection
        self.direction = direction
        self.type = type
        self.action = action
        self.kind = kind ?? HistoryAction(action)
        self.payload = payload
        self.payloadKey = payloadKey
        self.request = request
        self.errorCode = errorCode
        self.ocppVersion = ocppVersion
    }

}

/// The actions the history reads, by name; every other action is `other`,
/// and a message without one (an answer to a CALL not seen) is `none`.
public enum HistoryAction: UInt8, Sendable, CaseIterable {
    case none, other
    case bootNotification, statusNotification, meterValues, startTransaction, stopTransaction, transactionEvent
    case remoteStartTransaction, remoteStopTransaction, requestStartTransaction, requestStopTransaction
    case changeConfiguration, setVariables, notifyEvent, authorize

    public init(_ action: String?) {
        guard let action else { self = .none; return }
        switch action {
        case "BootNotification": self = .bootNotification
        case "StatusNotification": self = .statusNotification
        case "MeterValues": self = .meterValues
        case "StartTransaction": self = .startTransaction
        case "StopTransaction": self = .stopTransaction
        case "TransactionEvent": self = .transactionEvent
        case "RemoteStartTransaction": self = .remoteStartTransaction
        case "RemoteStopTransaction": self = .remoteStopTransaction
        case "RequestStartTransaction": self = .requestStartTransaction
        case "RequestStopTransaction": self = .requestStopTransaction
        case "ChangeConfiguration": self = .changeConfiguration
        case "SetVariables": self = .setVariables
        case "NotifyEvent": self = .notifyEvent
        case "Authorize": self = .authorize
        default: self = .other
        }
    }

    /// Whether the history reads this action's payloads; others need not be parsed.
    public var payloadRead: Bool { self != .none && self != .other }
}

/// One connection of the charge point, as the history needs it.
public struct HistoryConnection: Sendable {
    public var id: Int64
    public var opened: Timestamp?
    public var closed: Timestamp?
    /// close-frame | fin | rst | end-of-data | reused
    public var closedHow: String?
    public var handshakeSeen: Bool

    public init(id: Int64, opened: Timestamp?, closed: Timestamp?, closedHow: String?, handshakeSeen: Bool) {
        self.id = id
        self.opened = opened
        self.closed = closed
        self.closedHow = closedHow
        self.handshakeSeen = handshakeSeen
    }
}

/// Thresholds of the history, each a documented choice a user can change.
public struct HistoryOptions: Sendable {
    /// Offline after silence longer than this multiple of the heartbeat interval.
    public var silenceMultiple: Double = 2
    /// The heartbeat interval assumed before the charge point's is known (s).
    /// Long on purpose: without knowledge, silence alone should not invent outages.
    public var defaultHeartbeatSeconds = 3600
    /// Average power above this over a session is implausible (kW).
    public var implausiblePowerKW: Double = 400
    /// A payload timestamp this much older than its observation (after the
    /// clock skew) marks a message replayed late from an offline queue (s).
    public var lateSeconds: Double = 300
    /// Stop meter value and last register sample may differ this much (Wh)
    /// before the session is flagged.
    public var stopSampleToleranceWh: Double = 100
    /// A remote start is linked to a session that starts within this window (s).
    public var remoteStartWindowSeconds: Int64 = 600
    /// A charge attempt without a session this long after its last plug-in
    /// or authorization has failed (`no-session`) (s).
    public var attemptWindowSeconds: Int64 = 120
    /// A session must deliver more than this to be a successful attempt (Wh).
    public var minimumEnergyWh: Double = 100

    public init() {}
}
