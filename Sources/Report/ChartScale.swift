import Analysis
import Foundation
import Frames

/// Axis ticks: round numbers for values, calendar-aligned times for time.
public enum ChartScale {
    /// Ticks 0, step, 2·step, … up to at least `max`, with a step of 1, 2
    /// or 5 × 10ⁿ so that there are at most `count` + 1 of them; counts
    /// (`integers`) never get a fractional step.
    public static func valueTicks(max: Double, count: Int = 5, integers: Bool = false) -> [Double] {
        guard max > 0, max.isFinite else { return [0, 1] }
        let raw = max / Double(count)
        let mag = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        if integers { step = Swift.max(1, step.rounded(.up)) }
        var ticks: [Double] = []
        var t = 0.0
        while t < max - step * 1e-9 {
            ticks.append(t)
            t += step
        }
        ticks.append(t)
        return ticks
    }

    /// The steps a time axis may take, shortest first.
    static let timeSteps: [Int64] = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600,
                                     2_592_000, 7_776_000].map { Int64($0) * 1_000_000 }

    /// Ticks inside `window` at the first step that gives at most `count`,
    /// aligned to UTC (midnight for days, whole hours, …), with labels that
    /// say the time of day within a day and the date beyond.
    public static func timeTicks(_ window: Span, count: Int = 8) -> [(Int64, String)] {
        guard window.to > window.from else { return [] }
        let step = timeSteps.first { window.length / $0 <= Int64(count) } ?? timeSteps.last!
        var t = EnergyBuckets.floorTo(window.from, step)
        if t < window.from { t += step }
        var out: [(Int64, String)] = []
        while t <= window.to {
            out.append((t, label(t, step: step, window: window)))
            t += step
        }
        return out
    }

    static func label(_ t: Int64, step: Int64, window: Span) -> String {
        let iso = Timestamp(microseconds: t).iso8601   // 2025-03-03T06:00:00.000Z
        let date = String(iso.prefix(10)), time = String(iso.dropFirst(11).prefix(5))
        if step >= 86_400_000_000 { return String(date.dropFirst(5)) }      // 03-03
        if window.length <= 86_400_000_000 { return time }                // 06:00
        return time == "00:00" ? String(date.dropFirst(5)) : time
    }
}
