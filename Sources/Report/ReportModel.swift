import Analysis

// The numbers behind each chart and table of the HTML report, as plain
// values. Gathering (ReportGatherer) and drawing (HTMLReport) are separate so
// that the numbers can be tested without a browser and the page without a
// database.

/// What the report covers: [from, to) in microseconds (UTC), and the charge
/// point it is limited to, if any.
public struct ReportScope: Sendable, Equatable {
    public var from: Int64
    public var to: Int64
    public var chargePoint: String?
    public init(from: Int64, to: Int64, chargePoint: String? = nil) {
        self.from = from
        self.to = to
        self.chargePoint = chargePoint
    }
    public var span: Span { Span(from, to) }
}

/// A labelled count: one bar of a bar chart.
public struct LabelledCount: Sendable, Equatable {
    public var label: String
    public var count: Int
    /// More words for the table beside the chart (e.g. the reasons of a layer).
    public var note: String?
    public init(_ label: String, _ count: Int, note: String? = nil) {
        self.label = label
        self.count = count
        self.note = note
    }
}

/// One charge point in the inventory.
public struct ChargePointInfo: Sendable, Equatable {
    public var identity: String
    public var vendor: String?
    public var model: String?
    public var firmware: String?
    public var ocppVersion: String?
    public var sessions: Int
    public var energyWh: Double?
    public init(identity: String, vendor: String?, model: String?, firmware: String?, ocppVersion: String?, sessions: Int, energyWh: Double?) {
        self.identity = identity
        self.vendor = vendor
        self.model = model
        self.firmware = firmware
        self.ocppVersion = ocppVersion
        self.sessions = sessions
        self.energyWh = energyWh
    }
}

/// How much of the traffic could be decoded.
public struct DataCompleteness: Sendable, Equatable {
    public var connections = 0
    public var handshakesSeen = 0
    public var bytesSeen: Int64 = 0
    public var bytesDecoded: Int64 = 0
    public var holes = 0
    public var holeBytes: Int64 = 0
    public init() {}
    /// Decoded bytes of the bytes seen, in percent; nil when nothing was seen.
    public var decodedPercent: Double? { bytesSeen > 0 ? Double(bytesDecoded) / Double(bytesSeen) * 100 : nil }
}

/// Section 1: the fleet, its traffic and how complete the data is.
public struct FleetOverview: Sendable, Equatable {
    public var chargePoints: [ChargePointInfo] = []
    public var byVersion: [LabelledCount] = []
    public var byVendor: [LabelledCount] = []
    /// Vendor and model with the firmware, e.g. `ACME Wallbox 2.4.1`.
    public var byFirmware: [LabelledCount] = []
    public var messages = 0
    public var sessions = 0
    public var energyWh: Double = 0
    public var decodeIssuesByLayer: [LabelledCount] = []
    public var completeness = DataCompleteness()
    public init() {}
}

/// The bar of one port: shares of the period that add up to 100.
public struct UptimeBar: Sendable, Equatable {
    public var chargePoint: String
    /// `1`, `2/1` (EVSE/connector) or the port map's name.
    public var port: String
    /// The NEVI uptime (unknown minutes count as not up); nil for an empty period.
    public var uptimePercent: Double?
    public var uptimeOfKnownPercent: Double?
    public var upPercent: Double
    public var outagePercent: Double
    public var excludedPercent: Double
    public var unknownPercent: Double
    public var outageMinutes: Double
    public var outageCount: Int
    public var label: String { "\(chargePoint) · \(port)" }
    /// The regulators' threshold (23 CFR 680.116(b): 97 % per port).
    public static let threshold = 97.0
    public var meetsThreshold: Bool { (uptimePercent ?? 0) >= UptimeBar.threshold }
}

/// One outage with its cause, for the list under the uptime chart.
public struct OutageRow: Sendable, Equatable {
    public var chargePoint: String
    public var port: String
    public var span: Span
    public var cause: String
    public var excludedMinutes: Double
    /// Why some of it is excluded (utility outage, vandalism, …), from the exclusions file.
    public var exclusionReasons: [String] = []
    public var minutes: Double { Double(span.length) / 60_000_000 }
}

/// The state a status strip shows, each in its own colour.
public enum StripState: String, CaseIterable, Sendable {
    case available, charging, faulted, unavailable, offline, unknown

    /// The legend's words.
    public var title: String {
        switch self {
        case .available: return "Available"
        case .charging: return "Charging / in use"
        case .faulted: return "Faulted"
        case .unavailable: return "Unavailable"
        case .offline: return "Offline"
        case .unknown: return "Unknown (no data)"
        }
    }
}

/// A stretch of one state on a strip.
public struct StripSegment: Sendable, Equatable {
    public var span: Span
    public var state: StripState
    /// What was reported: `Faulted (GroundFailure)`, `offline (silent)`, `Preparing`, …
    public var detail: String
    public init(span: Span, state: StripState, detail: String) {
        self.span = span
        self.state = state
        self.detail = detail
    }
}

/// The strip of one connector (or one lane of a timeline) over the period.
public struct StatusStrip: Sendable, Equatable {
    public var label: String
    public var segments: [StripSegment]
    public init(label: String, segments: [StripSegment]) {
        self.label = label
        self.segments = segments
    }
    /// Time per state, for the tables and the tests.
    public func micros(of state: StripState) -> Int64 {
        segments.filter { $0.state == state }.reduce(0) { $0 + $1.span.length }
    }
}

/// Section 2.
public struct UptimeSection: Sendable, Equatable {
    public var bars: [UptimeBar] = []
    public var strips: [StatusStrip] = []
    public var outages: [OutageRow] = []
    public init() {}
}

/// The width of the buckets of the energy chart.
public enum BucketSize: String, Sendable {
    case hour, day
    public var micros: Int64 { self == .day ? 86_400_000_000 : 3_600_000_000 }
}

/// One bar of the energy chart: the energy of the sessions that started in it.
public struct EnergyBucket: Sendable, Equatable {
    public var span: Span
    public var energyWh: Double
    public var sessions: Int
}

/// One session in the table.
public struct SessionRow: Sendable, Equatable {
    public var chargePoint: String
    public var sessionNo: Int
    public var port: String
    public var transactionId: String?
    public var started: Int64?
    public var stopped: Int64?
    public var energyWh: Double?
    public var energySource: String
    public var stopReason: String?
    public var flags: [String]
    public init(chargePoint: String, sessionNo: Int, port: String, transactionId: String?, started: Int64?, stopped: Int64?,
                energyWh: Double?, energySource: String, stopReason: String?, flags: [String]) {
        self.chargePoint = chargePoint
        self.sessionNo = sessionNo
        self.port = port
        self.transactionId = transactionId
        self.started = started
        self.stopped = stopped
        self.energyWh = energyWh
        self.energySource = energySource
        self.stopReason = stopReason
        self.flags = flags
    }
}

/// Section 3.
public struct EnergySection: Sendable, Equatable {
    public var bucketSize: BucketSize = .day
    public var buckets: [EnergyBucket] = []
    public var sessions: [SessionRow] = []
    public init() {}
    public var totalWh: Double { buckets.reduce(0) { $0 + $1.energyWh } }
}

/// One finding of the anomaly catalogue.
public struct AnomalyFinding: Sendable, Equatable {
    public var kind: String
    public var chargePoint: String?
    public var connector: Int?
    public var from: Int64?
    public var to: Int64?
    public var detail: String?
    public init(kind: String, chargePoint: String?, connector: Int?, from: Int64?, to: Int64?, detail: String?) {
        self.kind = kind
        self.chargePoint = chargePoint
        self.connector = connector
        self.from = from
        self.to = to
        self.detail = detail
    }
}

/// Section 4.
public struct AnomalySection: Sendable, Equatable {
    /// Every kind of the catalogue, found or not (a zero is news too).
    public var counts: [LabelledCount] = []
    public var top: [AnomalyFinding] = []
    public var total = 0
    public init() {}
}

/// One line of a charge point's timeline table.
public struct TimelineEvent: Sendable, Equatable {
    public var time: Int64
    public var kind: String
    public var detail: String
    public init(time: Int64, kind: String, detail: String) {
        self.time = time
        self.kind = kind
        self.detail = detail
    }
}

/// Section 5 (with `--charge-point`): the lanes of its timeline and the notable events.
public struct ChargePointSection: Sendable, Equatable {
    public var info: ChargePointInfo?
    /// Connectivity first, then one lane per connector, then the sessions.
    public var lanes: [StatusStrip] = []
    public var events: [TimelineEvent] = []
    /// Events left out of `events` to keep the page readable.
    public var eventsOmitted = 0
    public init() {}
}

/// Everything the page shows.
public struct ReportData: Sendable, Equatable {
    public var scope: ReportScope
    /// The database the report was made from, as named on the command line.
    public var database: String
    /// When the report was made, as ISO 8601 (kept out of the numbers so tests can fix it).
    public var generatedAt: String
    public var fleet = FleetOverview()
    public var uptime = UptimeSection()
    public var energy = EnergySection()
    public var anomalies = AnomalySection()
    public var chargePoint: ChargePointSection?
    public init(scope: ReportScope, database: String, generatedAt: String) {
        self.scope = scope
        self.database = database
        self.generatedAt = generatedAt
    }
    /// No message in the period: the page says so instead of drawing empty charts.
    public var isEmpty: Bool { fleet.messages == 0 && energy.sessions.isEmpty }
}
