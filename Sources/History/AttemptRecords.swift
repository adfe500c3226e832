import Frames

/// One charge attempt: a driver starting to use a port, from plug-in,
/// authorization or remote start until the port is free again or the
/// attempt times out. The reliability a driver sees is counted in attempts,
/// not in sessions: an attempt that never became a session is the failure
/// that uptime and session lists cannot show.
///
/// Times are observation times (like status and connectivity), so that an
/// attempt can be laid over the port's status and the charger's
/// connectivity without mixing clocks.
public struct AttemptRecord: Sendable, Equatable {
    public var chargePoint: String
    /// Number of the attempt within its charge point, from 1, in start order.
    public var number: Int
    public var ocppVersion: String?
    /// 2.x EVSE id (the port without a port map); nil for 1.6.
    public var evse: Int?
    /// 1.6: the connector (the port without a port map); 2.x: the connector
    /// of `evse` when known. nil when the port could not be told (an
    /// Authorize on a charge point with several ports and nothing after it).
    public var connector: Int?
    public var startedAt: Timestamp
    public var endedAt: Timestamp?
    /// What began it: `preparing` (1.6 connector left Available), `occupied`
    /// (2.x), `plugged-in` / `ev-detected` / `authorized` (2.x transaction
    /// triggers), `authorize`, `remote-start`, `transaction` (a session
    /// that started with none of these).
    public var began: String
    /// How it ended: `available` (the port is free again), `timeout`,
    /// `next-attempt`, `session-stop` (the port never reported itself free),
    /// `end-of-data`.
    public var ended: String
    public var idToken: String?
    /// `SessionRecord.number` of the session it led to.
    public var session: Int?
    public var transactionId: String?
    public var energyWh: Double?
    /// The last driver action (plug-in or authorization) before energy
    /// flowed: the start of the ChargeX charge start time.
    public var readyAt: Timestamp?
    /// When energy began to flow: the first register rise, a Charging
    /// status or a 2.x `chargingState` Charging, whichever came first.
    public var chargeStartedAt: Timestamp?
    public var stopReason: String?
    /// `success`, `failed`, `incomplete` (cut by the end — or the start — of
    /// the data: never counted as failed) or `unknown` (the session's stop
    /// was never seen, so how it ended cannot be told).
    public var outcome: String
    /// For failures: `authorization-rejected`, `authorization-unanswered`,
    /// `no-session`, `start-rejected`, `fault`, `stopped-by-charger`,
    /// `offline`, `low-energy`.
    public var cause: String?
    /// What the cause names: the idTagInfo status, the error code, the
    /// stop reason, the CALLERROR code.
    public var causeDetail: String?
    public var flags: [String]
    public var startMessage: Int64?
    public var endMessage: Int64?

    public init(chargePoint: String, number: Int, startedAt: Timestamp, began: String) {
        self.chargePoint = chargePoint
        self.number = number
        self.startedAt = startedAt
        self.began = began
        ended = "end-of-data"
        outcome = "incomplete"
        flags = []
    }

    /// `fault (GroundFailure)`, `no-session`: the cause as one phrase.
    public var causeText: String? {
        guard let cause else { return nil }
        return causeDetail.map { "\(cause) (\($0))" } ?? cause
    }
}

/// Stop reasons that end a session as the driver or the EV meant it
/// (1.6 `Reason`, 2.x `ReasonEnumType`). Anything else ended it from the
/// charger's or the CSMS's side.
public enum StopReasons {
    public static let driverOrEV: Set<String> = [
        "Local", "Remote", "EVDisconnected", "UnlockCommand",                     // 1.6
        "StoppedByEV", "EnergyLimitReached", "SOCLimitReached", "TimeLimitReached", // 2.x
        "LocalOutOfCredit", "MasterPass", "CostLimitReached", "LimitSet",
    ]
}
