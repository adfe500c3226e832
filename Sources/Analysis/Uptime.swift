/// Why a port was down during some span, with the messages that began and
/// ended it (for `--explain`).
public struct DownSpan: Sendable, Equatable {
    public var span: Span
    /// `offline (closed)`, `offline (silent)`, `Faulted (GroundFailure)`, `Unavailable`, …
    public var cause: String
    public var startMessage: Int64?
    public var endMessage: Int64?
    /// Offline outranks a port's own status: while the charge point is
    /// offline its status is not known.
    public var rank: Int

    public init(span: Span, cause: String, startMessage: Int64?, endMessage: Int64?, rank: Int) {
        self.span = span
        self.cause = cause
        self.startMessage = startMessage
        self.endMessage = endMessage
        self.rank = rank
    }
}

/// A window excluded from outage time (utility outage, vandalism, planned maintenance, …).
public struct Exclusion: Sendable, Equatable {
    public var chargePoint: String
    /// nil for every connector of the charge point.
    public var connector: Int?
    public var span: Span
    public var reason: String
    public init(chargePoint: String, connector: Int?, span: Span, reason: String) {
        self.chargePoint = chargePoint
        self.connector = connector
        self.span = span
        self.reason = reason
    }
}

/// What is known of one port over the data: where the data reaches, when
/// the port's state is known, and when and why it was down.
public struct PortHistory: Sendable {
    public var chargePoint: String
    public var evse: Int?
    public var connector: Int
    /// Spans covered by the data (the sources that hold this charge point).
    public var coverage: IntervalSet
    /// Spans in which the port's state is known: its charge point's
    /// connectivity is known, and it is offline or its status is known.
    public var known: IntervalSet
    public var down: [DownSpan]
    /// The port's name in the port map, when it has one; a port of several
    /// connectors keeps the first connector in `evse`/`connector`.
    public var port: String?
    /// The connectors it stands for (more than one for a mapped port).
    public var connectors: [Int]

    public init(chargePoint: String, evse: Int?, connector: Int, coverage: IntervalSet, known: IntervalSet, down: [DownSpan],
                port: String? = nil, connectors: [Int]? = nil) {
        self.chargePoint = chargePoint
        self.evse = evse
        self.connector = connector
        self.coverage = coverage
        self.known = known
        self.down = down
        self.port = port
        self.connectors = connectors ?? [connector]
    }
}

/// One outage in a period: a stretch of one cause.
public struct Outage: Sendable, Equatable {
    public var span: Span
    public var cause: String
    public var excludedMicros: Int64
    public var exclusionReasons: [String]
    public var startMessage: Int64?
    public var endMessage: Int64?
}

/// Uptime of one port in one period.
public struct PortUptime: Sendable {
    public var chargePoint: String
    public var evse: Int?
    public var connector: Int
    public var period: Span
    public var periodMicros: Int64
    public var unknownMicros: Int64
    public var outageMicros: Int64
    public var excludedMicros: Int64
    public var outages: [Outage]
    /// The port's name in the port map, if any (see `PortHistory.port`).
    public var port: String? = nil
    public var connectors: [Int] = []

    /// The NEVI formula (23 CFR 680.116(b)) generalised to the period:
    /// µ = (T_period − (T_outage − T_excluded)) / T_period × 100, with minutes
    /// the data does not cover counted as not up (reported as unknown).
    public var uptimePercent: Double? {
        guard periodMicros > 0 else { return nil }
        let up = periodMicros - (outageMicros - excludedMicros) - unknownMicros
        return Double(up) / Double(periodMicros) * 100
    }

    /// The same formula over the known minutes only, for comparison.
    public var uptimePercentOfKnown: Double? {
        let known = periodMicros - unknownMicros
        guard known > 0 else { return nil }
        return Double(known - (outageMicros - excludedMicros)) / Double(known) * 100
    }
}

/// Computes per-port uptime by the NEVI rule from a port's history.
public enum UptimeCalculator {
    /// The port's outage time within `window`: its down spans while its
    /// state is known and the data covers it (the T_outage of the formula,
    /// before exclusions). The regimes that cap exclusions measure against it.
    public static func outageTime(_ port: PortHistory, within window: Span) -> IntervalSet {
        IntervalSet(port.down.map(\.span)).intersection(port.known.intersection(port.coverage)).clipped(to: window)
    }

    public static func compute(_ port: PortHistory, period: Span, exclusions: [Exclusion]) -> PortUptime {
        let window = IntervalSet([period])
        let known = port.known.intersection(port.coverage).intersection(window)
        // Down spans, highest rank first, each keeping only time not already
        // explained by a higher-ranked cause.
        var claimed = IntervalSet()
        var pieces: [(Span, DownSpan)] = []
        for d in port.down.sorted(by: { $0.rank != $1.rank ? $0.rank > $1.rank : $0.span < $1.span }) {
            let mine = IntervalSet([d.span]).intersection(known).subtracting(claimed)
            for s in mine.spans { pieces.append((s, d)) }
            claimed = claimed.union(mine)
        }
        pieces.sort { $0.0 < $1.0 }
        // Adjacent pieces of the same cause are one outage.
        var outages: [Outage] = []
        for (s, d) in pieces {
            if var last = outages.last, last.cause == d.cause, last.span.to == s.from {
                last.span.to = s.to
                last.endMessage = d.endMessage
                outages[outages.count - 1] = last
            } else {
                outages.append(Outage(span: s, cause: d.cause, excludedMicros: 0, exclusionReasons: [],
                                      startMessage: d.startMessage, endMessage: d.endMessage))
            }
        }
        let mine = exclusions.filter { $0.chargePoint == port.chargePoint && ($0.connector == nil || port.connectors.contains($0.connector!)) }
        var excludedTotal: Int64 = 0
        for i in outages.indices {
            var reasons: [String] = []
            var ex = IntervalSet()
            for e in mine {
                let overlap = IntervalSet([outages[i].span]).intersection(IntervalSet([e.span]))
                if !overlap.isEmpty {
                    ex = ex.union(overlap)
                    if !reasons.contains(e.reason) { reasons.append(e.reason) }
                }
            }
            outages[i].excludedMicros = ex.total
            outages[i].exclusionReasons = reasons
            excludedTotal += ex.total
        }
        var u = PortUptime(chargePoint: port.chargePoint, evse: port.evse, connector: port.connector, period: period,
                           periodMicros: period.length, unknownMicros: period.length - known.total,
                           outageMicros: claimed.total, excludedMicros: excludedTotal, outages: outages)
        u.port = port.port
        u.connectors = port.connectors
        return u
    }
}
