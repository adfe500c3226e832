import Analysis

/// EU AFIR (Regulation (EU) 2023/1804) Art. 20(2): the dynamic data an
/// operator must publish per charging point — operational status
/// (operational / out of order) and availability (available / occupied) —
/// as the chargers reported them over OCPP. The timeline comes from
/// `StatusTimeline` (offline counts as out of order; unknown stays unknown);
/// this file adds the share of time in each state.
public enum AFIRStatus {
    /// Time of one EVSE in each state over a window.
    public struct Shares: Sendable {
        public var key: EVSEKey
        public var window: Span
        /// Microseconds per OCPI status.
        public var byStatus: [OCPIStatus: Int64]
        public var operational: Int64 { byStatus.filter { $0.key.operationalStatus == "operational" }.values.reduce(0, +) }
        public var outOfOrder: Int64 { byStatus.filter { $0.key.operationalStatus == "out of order" }.values.reduce(0, +) }
        public var unknown: Int64 { byStatus[.unknown] ?? 0 }
        public var available: Int64 { byStatus[.available] ?? 0 }
        public var occupied: Int64 { byStatus.filter { $0.key.availability == "occupied" }.values.reduce(0, +) }

        /// Percent of the window.
        public func percent(_ us: Int64) -> Double? {
            window.length > 0 ? Double(us) / Double(window.length) * 100 : nil
        }
    }

    /// The timeline clipped to [from, to).
    public static func clip(_ t: EVSETimeline, to window: Span) -> EVSETimeline {
        var c = t
        c.segments = t.segments.compactMap { s in
            let a = max(s.span.from, window.from), b = min(s.span.to, window.to)
            guard b > a else { return nil }
            var s = s
            s.span = Span(a, b)
            return s
        }
        return c
    }

    public static func shares(_ t: EVSETimeline, window: Span) -> Shares {
        var by: [OCPIStatus: Int64] = [:]
        for s in clip(t, to: window).segments { by[s.status, default: 0] += s.span.length }
        // Time the timeline does not reach is unknown.
        let covered = by.values.reduce(0, +)
        if window.length > covered { by[.unknown, default: 0] += window.length - covered }
        return Shares(key: t.key, window: window, byStatus: by)
    }
}
