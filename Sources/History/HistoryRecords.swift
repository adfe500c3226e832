import Frames

/// One charging session, in any OCPP version.
public struct SessionRecord: Sendable, Equatable {
    public var chargePoint: String
    /// Number of the session within its charge point, from 1, in start order.
    public var number: Int
    public var ocppVersion: String?
    /// 2.x EVSE id; nil for 1.6.
    public var evse: Int?
    public var connector: Int?
    public var transactionId: String?
    public var idToken: String?
    public var idTokenType: String?
    /// Charger's clock (payload timestamps).
    public var startedAt: Timestamp?
    public var stoppedAt: Timestamp?
    /// Observation clock.
    public var startedObserved: Timestamp?
    public var stoppedObserved: Timestamp?
    public var meterStartWh: Double?
    public var meterStopWh: Double?
    public var energyWh: Double?
    /// meter_stop_minus_start | register_samples | last_sample_estimated | none
    public var energySource: String
    public var exportWh: Double?
    public var maxPowerW: Double?
    public var stopReason: String?
    /// idTagInfo status of the start (1.6), when not Accepted.
    public var startStatus: String?
    public var remoteStartMessage: Int64?
    public var remoteStopMessage: Int64?
    public var startMessage: Int64?
    public var stopMessage: Int64?
    public var flags: [String]

    public init(chargePoint: String, number: Int) {
        self.chargePoint = chargePoint
        self.number = number
        energySource = "none"
        flags = []
    }
}

/// One sampled value of a meter.
public struct MeterSample: Sendable, Equatable {
    public var chargePoint: String
    /// The session it belongs to (`SessionRecord.number`), if any.
    public var session: Int?
    public var evse: Int?
    public var connector: Int?
    /// The charger's timestamp of the sample.
    public var time: Timestamp?
    public var observed: Timestamp
    public var measurand: String
    public var phase: String?
    public var location: String?
    public var context: String?
    /// The unit as sent (`kWh`, `Wh`, 2.x unit with multiplier `kWh×10^0`).
    public var unit: String?
    /// The value as sent (a string in 1.6, a number in 2.x).
    public var raw: String
    /// The value in the base unit of its measurand (Wh, varh, W, var, A, V, Hz, Celsius, Percent).
    public var value: Double?
    public var normalizedUnit: String?
    /// Signed meter data (OCMF or other), kept verbatim.
    public var signedData: String?
    public var message: Int64
}

/// A stretch of time during which a connector reported one status.
public struct StatusInterval: Sendable, Equatable {
    public var chargePoint: String
    public var evse: Int?
    /// 1.6: the connector (0 = the whole charge point); 2.x: connector of `evse`.
    public var connector: Int
    public var status: String
    public var errorCode: String?
    public var info: String?
    public var vendorErrorCode: String?
    /// Observation clock: comparable with connectivity intervals.
    public var from: Timestamp
    public var to: Timestamp?
    /// The charger's own timestamp of the report.
    public var reportedAt: Timestamp?
    /// StatusNotification or NotifyEvent.
    public var source: String
    public var message: Int64
    /// The interval runs to the end of the data: its end is not a status change.
    public var toIsDataEnd: Bool
}

/// Online or offline, per charge point.
public struct ConnectivityInterval: Sendable, Equatable {
    public var chargePoint: String
    public var online: Bool
    public var from: Timestamp
    public var to: Timestamp
    /// How it began: start-of-data | connect | boot | message | closed | rst | silent
    public var began: String
    /// How it ended: closed | rst | silent | reboot | connect | boot | message | end-of-data
    public var ended: String
    public var fromMessage: Int64?
    public var toMessage: Int64?
    public var connection: Int64?
}

/// What the history learns about the charge point as a whole.
public struct ChargePointDerived: Sendable, Equatable {
    public var chargePoint: String
    /// Median of (charger timestamp − observation) over fresh reports, seconds.
    public var clockSkewSeconds: Double?
    public var clockSamples: Int
    /// The last heartbeat interval in force (s).
    public var heartbeatInterval: Int?
    public var boots: Int
    public var sessions: Int
}

/// Where the history's results go.
public protocol HistorySink: AnyObject {
    func session(_ s: SessionRecord)
    /// Consuming, as the sinks of the decoding are: most of the history's
    /// rows are meter values, each with a dozen strings.
    func meterSample(_ v: consuming MeterSample)
    func statusInterval(_ i: StatusInterval)
    func connectivity(_ i: ConnectivityInterval)
    func chargePoint(_ d: ChargePointDerived)
    /// One charge attempt (see `AttemptTracker`), after the sessions.
    func attempt(_ a: AttemptRecord)
}
