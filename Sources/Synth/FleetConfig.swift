// What a simulated fleet looks like: the knobs of the scenario.

/// OCPP versions and the WebSocket subprotocol that announces each.
public enum OCPPVersion: String, Sendable, CaseIterable {
    case v16 = "1.6", v201 = "2.0.1", v21 = "2.1"
    public var subprotocol: String { "ocpp" + rawValue }
    public var is2x: Bool { self != .v16 }
}

/// How much the truth file records.
public enum TruthDetail: String, Sendable, CaseIterable {
    /// Counts plus every connection, transaction, status change and unanswered call.
    case full
    /// Counts only (for big benchmark corpora).
    case counts
    /// No truth file.
    case none
}

/// How a charge point reports energy. 1.6 writes `unit` with a string value;
/// 2.x writes `unitOfMeasure` with a numeric value.
public enum MeterUnit: String, Sendable {
    /// Wh, integer values.
    case wh = "Wh"
    /// kWh, three decimals.
    case kwh = "kWh"
    /// 2.x only: unit Wh with multiplier 3, value in kWh (1.6 charge points write kWh).
    case whTimes1000 = "Wh*10^3"
}

public struct FleetConfig: Sendable {
    /// Base name of the output files (`<name>.pcap`, `<name>.truth.json`).
    public var name = "fleet"
    public var chargePoints = 6
    /// Simulated duration, seconds (ignored when `targetBytes` is set).
    public var durationSeconds: Int64 = 3 * 3600
    public var seed: UInt64 = 1
    /// Share of charge points whose connections use permessage-deflate.
    public var compressedShare = 0.5
    /// Relative weights of the OCPP versions; charge points are assigned by
    /// stratified quantiles so small fleets still get every version listed.
    public var versionMix: [(version: OCPPVersion, weight: Double)] = [(.v16, 0.5), (.v201, 0.35), (.v21, 0.15)]
    /// Keep simulating until the capture file holds this many bytes.
    public var targetBytes: Int64? = nil
    /// Simulated time of the first connection (µs since epoch): 2025-03-03T06:00:00Z.
    public var startTime: Int64 = ISOTime.micros(year: 2025, month: 3, day: 3, hour: 6)
    /// Drop every packet before `startTime + captureStartOffsetSeconds`
    /// (a capture started while connections were already up).
    public var captureStartOffsetSeconds: Int64 = 0
    public var link: LinkLayer = .ethernet
    public var format: CaptureFormat = .pcap
    /// One charge point is reset by the CSMS and reconnects on a new TCP connection.
    public var reconnect = true
    /// Mean seconds each connection lasts before the CSMS resets the charge
    /// point and it reconnects on a new TCP connection; nil: connections
    /// last the whole run. Why: memory must depend on the connections open
    /// at once, not on how many a long capture has seen come and go.
    public var churnMeanSeconds: Double? = nil
    /// One CSMS call is never answered.
    public var unansweredCall = true
    /// One DataTransfer is answered with CALLERROR NotImplemented (more occur at random).
    public var callError = true
    /// The first connection attempt of one charge point is refused with 401.
    public var refusedAttempt = true
    /// CSMS WebSocket ping interval (seconds) for every third charge point; nil = no pings.
    public var pingIntervalSeconds: Int64? = 900
    /// Give the third charge point the identity "CP 0003-Süd" (percent-encoded in the URL).
    public var encodedIdentity = true
    /// Share of charge points that connect over IPv6.
    public var ipv6Share = 0.2
    /// Share of messages of more than 120 bytes sent as 2–3 WebSocket fragments.
    public var fragmentShare = 0.05
    /// Whether compressed messages may be fragmented too. RFC 7692 allows it
    /// (one compressed payload split over frames, RSV1 on the first only), but
    /// tshark 4.0 inflates such fragments one by one and then loses the
    /// connection's compression context, so the tshark-checked pcap sample
    /// turns it off; the pcapng sample keeps it on.
    public var fragmentCompressed = true
    /// zlib level of permessage-deflate (6 is zlib's default and what most
    /// WebSocket libraries use; 1 makes multi-GB corpora much faster to write).
    public var deflateLevel: Int32 = 6
    /// Server ports, assigned by charge point index modulo the list.
    public var serverPorts: [UInt16] = [9000, 9000, 9000, 80, 8180]
    /// Mean idle time of a connector between sessions, seconds.
    public var meanIdleSeconds: Double = 2400
    public var truth: TruthDetail = .full
    /// Snap length of the capture file (smaller values truncate packets).
    public var snaplen: UInt32 = 262_144

    public init() {}

    /// The configuration of the bundled `samples/fleet-small.*` files.
    public static func sample(format: CaptureFormat) -> FleetConfig {
        var c = FleetConfig()
        c.name = "fleet-small"
        c.format = format
        c.seed = format == .pcap ? 20250303 : 20250304
        c.link = format == .pcap ? .ethernet : .linuxSLL2
        c.fragmentCompressed = format == .pcapng
        return c
    }
}
