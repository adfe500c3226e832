import Analysis

/// Builds status strips from status intervals and offline spans.
///
/// Why a strip is not the uptime arithmetic: uptime only asks up or down,
/// while a strip shows *which* state (a faulted port and a busy one look
/// different to a manager), and the same precedence applies: while the
/// charge point is offline, what its connectors last said is not known, so
/// offline covers them; a 1.6 connector 0 that is Faulted or Unavailable
/// covers every connector; time no report covers is unknown, never up.
public enum StatusStrips {
    /// A reported interval of one connector (or of connector 0).
    public struct Reported: Sendable, Equatable {
        public var span: Span
        public var status: String
        public var errorCode: String?
        public init(span: Span, status: String, errorCode: String? = nil) {
            self.span = span
            self.status = status
            self.errorCode = errorCode
        }
        var detail: String {
            guard let e = errorCode, !e.isEmpty, e != "NoError" else { return status }
            return "\(status) (\(e))"
        }
    }

    /// An offline span of the charge point with how it began (`silent`, `closed`, `rst`, …).
    public struct Offline: Sendable, Equatable {
        public var span: Span
        public var began: String
        public init(span: Span, began: String) {
            self.span = span
            self.began = began
        }
    }

    /// The strip's state of an OCPP status (1.6 and 2.x names). The in-use
    /// states are those uptime counts as up besides Available.
    public static func state(of status: String) -> StripState {
        switch status {
        case "Available": return .available
        case "Preparing", "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing", "Reserved", "Occupied": return .charging
        case "Faulted": return .faulted
        case "Unavailable": return .unavailable
        default: return .unknown
        }
    }

    /// The strip of one connector over `window`: offline first, then the
    /// whole charge point's Faulted/Unavailable (`wholeChargePoint`, 1.6
    /// connector 0), then the connector's own reports; gaps are unknown.
    /// Adjacent stretches of the same state and detail are one segment.
    public static func strip(label: String, window: Span, own: [Reported], wholeChargePoint: [Reported] = [],
                             offline: [Offline]) -> StatusStrip {
        var layers: [(Span, StripState, String)] = []
        layers += offline.map { ($0.span, .offline, "offline (\($0.began))") }
        for r in wholeChargePoint {
            let s = state(of: r.status)
            if s == .faulted || s == .unavailable { layers.append((r.span, s, "charge point " + r.detail)) }
        }
        layers += own.map { ($0.span, state(of: $0.status), $0.detail) }
        return StatusStrip(label: label, segments: paint(layers, window: window, fillGaps: true))
    }

    /// The connectivity lane of a charge point's timeline: online where a
    /// connectivity interval says so, offline where it says so, unknown elsewhere.
    public static func connectivityLane(window: Span, online: [Span], offline: [Offline]) -> StatusStrip {
        let layers = offline.map { ($0.span, StripState.offline, "offline (\($0.began))") }
            + online.map { ($0, StripState.available, "online") }
        return StatusStrip(label: "Connection", segments: paint(layers, window: window, fillGaps: true))
    }

    /// Paints `layers` (first wins) onto `window` and merges neighbours.
    static func paint(_ layers: [(Span, StripState, String)], window: Span, fillGaps: Bool) -> [StripSegment] {
        let windowSet = IntervalSet([window])
        var claimed = IntervalSet()
        var pieces: [StripSegment] = []
        for (span, state, detail) in layers {
            let mine = IntervalSet([span]).intersection(windowSet).subtracting(claimed)
            guard !mine.isEmpty else { continue }
            for s in mine.spans { pieces.append(StripSegment(span: s, state: state, detail: detail)) }
            claimed = claimed.union(mine)
        }
        if fillGaps {
            for s in windowSet.subtracting(claimed).spans { pieces.append(StripSegment(span: s, state: .unknown, detail: "no report")) }
        }
        pieces.sort { $0.span < $1.span }
        var out: [StripSegment] = []
        for p in pieces {
            if let last = out.last, last.state == p.state, last.detail == p.detail, last.span.to == p.span.from {
                out[out.count - 1].span.to = p.span.to
            } else {
                out.append(p)
            }
        }
        return out
    }

    /// The strip as drawn at a resolution (microseconds per half a unit of
    /// the chart): neighbours of one state become one stretch (their reports
    /// named in its tooltip), and stretches of available, in-use or unknown
    /// time too short to see are left out. Faults, unavailability and
    /// offline time are always kept, however short: they are what the strip
    /// is read for. Without this a quarter of a busy fleet is hundreds of
    /// thousands of invisible rectangles.
    public static func simplified(_ strip: StatusStrip, resolution: Int64) -> StatusStrip {
        var out: [StripSegment] = []
        var details: [[String]] = []
        for seg in strip.segments {
            if let last = out.last, last.state == seg.state, last.span.to == seg.span.from {
                out[out.count - 1].span.to = seg.span.to
                if !details[details.count - 1].contains(seg.detail) { details[details.count - 1].append(seg.detail) }
            } else {
                out.append(seg)
                details.append([seg.detail])
            }
        }
        for i in out.indices where details[i].count > 1 {
            let d = details[i]
            out[i].detail = d.prefix(3).joined(separator: ", ") + (d.count > 3 ? " and \(d.count - 3) more" : "")
        }
        let kept = out.filter { $0.span.length >= resolution || [.faulted, .unavailable, .offline].contains($0.state) }
        return StatusStrip(label: strip.label, segments: kept)
    }
}
