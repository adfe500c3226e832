import Analysis

/// The bars of the energy chart.
public enum EnergyBuckets {
    /// Per day (UTC), or per hour when the period is two days or shorter —
    /// a one-bar chart of a morning's capture would say nothing. A session's
    /// energy counts in the bucket in which it started (the charger's clock,
    /// as billing counts it), so the bars add up to the sessions' total.
    public static func size(for window: Span) -> BucketSize {
        window.length <= 2 * BucketSize.day.micros ? .hour : .day
    }

    /// Every bucket of the window, empty ones too (a day without energy is a
    /// fact to show), aligned to UTC hours or days.
    public static func make(_ sessions: [SessionRow], window: Span) -> (BucketSize, [EnergyBucket]) {
        let size = size(for: window)
        let step = size.micros
        guard window.to > window.from else { return (size, []) }
        let first = floorTo(window.from, step)
        var buckets: [EnergyBucket] = []
        var t = first
        while t < window.to {
            buckets.append(EnergyBucket(span: Span(t, t + step), energyWh: 0, sessions: 0))
            t += step
        }
        for s in sessions {
            guard let start = s.started else { continue }
            let i = Int((floorTo(start, step) - first) / step)
            guard buckets.indices.contains(i) else { continue }
            buckets[i].sessions += 1
            buckets[i].energyWh += max(0, s.energyWh ?? 0)
        }
        return (size, buckets)
    }

    static func floorTo(_ t: Int64, _ step: Int64) -> Int64 {
        t >= 0 ? t / step * step : -((-t + step - 1) / step) * step
    }
}
