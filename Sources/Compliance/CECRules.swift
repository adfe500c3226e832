import Analysis
import Frames

/// California Energy Commission: EV charger reliability standards for
/// publicly funded DC fast chargers (installed from 2024-01-01; uptime
/// recordkeeping and reporting under Public Resources Code 25231.5, AB 2061
/// and AB 126).
///
/// - 97% uptime per port, not per station (`standardPercent`).
/// - Excluded downtime is limited to grid power loss, natural disasters,
///   vandalism (at most 10 days per incident) and planned maintenance (at
///   most 72 hours per port per calendar year). An exclusion whose reason
///   names no such category, and excluded time beyond a cap, count as outage.
/// - Reliability records are kept per 15-minute interval; reports every six
///   months, as CSV (`report cec`).
///
/// The caps bound the *excluded outage time*, taken in time order: a
/// maintenance window during which the port was up uses none of the 72 hours.
public enum CECRules {
    public static let standardPercent = 97.0
    public static let vandalismCapMicros: Int64 = 10 * 86_400_000_000
    public static let maintenanceCapMicrosPerYear: Int64 = 72 * 3_600_000_000
    public static let intervalMicros: Int64 = 15 * 60_000_000

    public enum Category: String, Sendable, CaseIterable {
        case gridPowerLoss = "grid-power-loss"
        case naturalDisaster = "natural-disaster"
        case vandalism
        case plannedMaintenance = "planned-maintenance"
    }

    /// The category an exclusion's `reason` names: its words, case-insensitive
    /// (`grid power loss`, `utility outage`, `power outage`; `natural disaster`,
    /// `wildfire`, `flood`, `earthquake`, `storm`; `vandalism`, `vandalised`;
    /// `planned maintenance`, `maintenance`), or nil.
    public static func category(of reason: String) -> Category? {
        let r = reason.lowercased()
        func has(_ words: [String]) -> Bool { words.contains { r.contains($0) } }
        if has(["vandal"]) { return .vandalism }
        if has(["maintenance"]) { return .plannedMaintenance }
        if has(["disaster", "wildfire", "fire", "flood", "earthquake", "storm", "hurricane"]) { return .naturalDisaster }
        if has(["grid", "utility", "power loss", "power outage", "power failure", "blackout"]) { return .gridPowerLoss }
        if let c = Category(rawValue: r.trimmingCharacters(in: .whitespaces)) { return c }
        return nil
    }

    /// One exclusion as CEC allowed it for one port.
    public struct Allowed: Sendable {
        public var requested: Exclusion
        public var category: Category?
        /// The part of the window that is excluded (nil: none of it).
        public var allowed: Span?
        /// Outage time inside the requested window, and how much of it is excluded.
        public var outageMicros: Int64
        public var excludedMicros: Int64
        public var note: String
    }

    /// The exclusions of one port after CEC's categories and caps.
    public static func allow(_ exclusions: [Exclusion], for port: PortHistory) -> [Allowed] {
        let mine = exclusions.filter {
            $0.chargePoint == port.chargePoint && ($0.connector == nil || port.connectors.contains($0.connector!))
        }.sorted { $0.span < $1.span }
        var maintenanceUsed: [Int: Int64] = [:]   // per calendar year (UTC)
        var out: [Allowed] = []
        for e in mine {
            let outage = UptimeCalculator.outageTime(port, within: e.span)
            guard let cat = category(of: e.reason) else {
                out.append(Allowed(requested: e, category: nil, allowed: nil, outageMicros: outage.total, excludedMicros: 0,
                                   note: "\"\(e.reason)\" is no CEC exclusion category: counted as outage"))
                continue
            }
            switch cat {
            case .gridPowerLoss, .naturalDisaster:
                out.append(Allowed(requested: e, category: cat, allowed: e.span, outageMicros: outage.total, excludedMicros: outage.total, note: ""))
            case .vandalism:
                let (kept, used) = prefix(of: e.span, within: outage, upTo: vandalismCapMicros)
                out.append(Allowed(requested: e, category: cat, allowed: kept, outageMicros: outage.total, excludedMicros: used,
                                   note: used < outage.total ? "capped at 10 days per incident" : ""))
            case .plannedMaintenance:
                // Split at year boundaries: each calendar year has its own 72 hours.
                var excluded: Int64 = 0
                var kept: [Span] = []
                for piece in PeriodKind.year.periods(from: e.span.from, to: e.span.to) {
                    let year = Int(Timestamp(microseconds: piece.from).iso8601.prefix(4)) ?? 0
                    let budget = max(0, maintenanceCapMicrosPerYear - maintenanceUsed[year, default: 0])
                    let (k, used) = prefix(of: piece, within: outage.clipped(to: piece), upTo: budget)
                    maintenanceUsed[year, default: 0] += used
                    excluded += used
                    if let k { kept.append(k) }
                }
                let allowed = kept.isEmpty ? nil : Span(kept.first!.from, kept.last!.to)
                out.append(Allowed(requested: e, category: cat, allowed: kept.count == 1 ? kept[0] : allowed, outageMicros: outage.total,
                                   excludedMicros: excluded, note: excluded < outage.total ? "capped at 72 hours per port per year" : ""))
            }
        }
        return out
    }

    /// The exclusions to hand the uptime calculator for this port: the
    /// allowed windows, connector-specific.
    public static func effective(_ allowed: [Allowed], for port: PortHistory) -> [Exclusion] {
        allowed.compactMap { a in
            guard let s = a.allowed else { return nil }
            return Exclusion(chargePoint: port.chargePoint, connector: nil, span: s, reason: a.requested.reason)
        }
    }

    /// The start of `span` that holds at most `cap` of `set`'s time: the
    /// window cut where the excluded time runs out (nil when none is left).
    static func prefix(of span: Span, within set: IntervalSet, upTo cap: Int64) -> (Span?, Int64) {
        var used: Int64 = 0
        for s in set.clipped(to: span).spans {
            if used + s.length >= cap {
                let end = s.from + (cap - used)
                return (end > span.from ? Span(span.from, end) : nil, cap)
            }
            used += s.length
        }
        return (span, used)
    }

    /// Uptime of each port in each period by CEC's rules, with the excluded
    /// time the rules refused.
    public struct PortResult: Sendable {
        public var uptime: PortUptime
        /// Excluded time asked for (NEVI would have excluded it) that CEC refused.
        public var refusedMicros: Int64
        public var meetsStandard: Bool? { uptime.uptimePercent.map { $0 >= standardPercent } }
    }

    public static func uptime(ports: [PortHistory], periods: [Span], exclusions: [Exclusion]) -> [PortResult] {
        let allowedByPort = ports.map { effective(allow(exclusions, for: $0), for: $0) }
        var out: [PortResult] = []
        for period in periods {
            for (p, allowed) in zip(ports, allowedByPort) {
                let cec = UptimeCalculator.compute(p, period: period, exclusions: allowed)
                let asked = UptimeCalculator.compute(p, period: period, exclusions: exclusions)
                out.append(PortResult(uptime: cec, refusedMicros: max(0, asked.excludedMicros - cec.excludedMicros)))
            }
        }
        return out
    }

    /// One 15-minute reliability record of one port.
    public struct IntervalRecord: Sendable, Equatable {
        public var span: Span
        public var outageMicros: Int64
        public var excludedMicros: Int64
        public var unknownMicros: Int64
        public var cause: String?
        public var upMicros: Int64 { span.length - outageMicros - unknownMicros }
        /// `down` (outage not excluded), `excluded`, `unknown`, or `up`.
        public var state: String {
            if outageMicros > excludedMicros { return "down" }
            if excludedMicros > 0 { return "excluded" }
            if unknownMicros > 0 { return "unknown" }
            return "up"
        }
    }

    /// The interval records of one port over `window` (aligned to UTC
    /// quarter hours), from one sweep over its outages.
    public static func intervals(_ port: PortHistory, window: Span, exclusions: [Exclusion], step: Int64 = intervalMicros) -> [IntervalRecord] {
        let whole = UptimeCalculator.compute(port, period: window, exclusions: exclusions)
        let known = port.known.intersection(port.coverage).clipped(to: window)
        let outage = IntervalSet(whole.outages.map(\.span))
        let exclusionSet = IntervalSet(exclusions.filter { $0.chargePoint == port.chargePoint }.map(\.span))
        let excluded = outage.intersection(exclusionSet)
        var start = window.from - ((window.from % step) + step) % step
        var windows: [Span] = []
        while start < window.to {
            windows.append(Span(max(start, window.from), min(start + step, window.to)))
            start += step
        }
        let o = outage.totals(in: windows), x = excluded.totals(in: windows), k = known.totals(in: windows)
        var records: [IntervalRecord] = []
        records.reserveCapacity(windows.count)
        var j = 0
        for (i, w) in windows.enumerated() {
            while j < whole.outages.count && whole.outages[j].span.to <= w.from { j += 1 }
            let cause = j < whole.outages.count && whole.outages[j].span.from < w.to ? whole.outages[j].cause : nil
            records.append(IntervalRecord(span: w, outageMicros: o[i], excludedMicros: x[i], unknownMicros: w.length - k[i], cause: cause))
        }
        return records
    }
}
