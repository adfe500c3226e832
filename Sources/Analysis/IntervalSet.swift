/// A half-open span of time [from, to) in microseconds since the epoch.
public struct Span: Hashable, Sendable, Comparable {
    public var from: Int64
    public var to: Int64
    public init(_ from: Int64, _ to: Int64) { self.from = from; self.to = to }
    public var length: Int64 { max(0, to - from) }
    public static func < (a: Span, b: Span) -> Bool { a.from != b.from ? a.from < b.from : a.to < b.to }
}

/// A set of times as sorted, disjoint, non-empty spans, with the set
/// operations uptime needs (union, intersection, difference).
///
/// Why spans and not minutes: interval data have microsecond edges; counting
/// minute buckets would move every outage by up to a minute.
public struct IntervalSet: Equatable, Sendable {
    public private(set) var spans: [Span] = []

    public init() {}

    public init<S: Sequence>(_ spans: S) where S.Element == Span {
        let sorted = spans.filter { $0.to > $0.from }.sorted()
        for s in sorted {
            if let last = self.spans.last, s.from <= last.to {
                self.spans[self.spans.count - 1].to = max(last.to, s.to)
            } else {
                self.spans.append(s)
            }
        }
    }

    public var total: Int64 { spans.reduce(0) { $0 + $1.length } }
    public var isEmpty: Bool { spans.isEmpty }

    public func union(_ o: IntervalSet) -> IntervalSet { IntervalSet(spans + o.spans) }

    public func intersection(_ o: IntervalSet) -> IntervalSet {
        var out: [Span] = []
        var i = 0, j = 0
        while i < spans.count && j < o.spans.count {
            let a = spans[i], b = o.spans[j]
            let from = max(a.from, b.from), to = min(a.to, b.to)
            if from < to { out.append(Span(from, to)) }
            if a.to < b.to { i += 1 } else { j += 1 }
        }
        return IntervalSet(out)
    }

    public func subtracting(_ o: IntervalSet) -> IntervalSet {
        var out: [Span] = []
        var j = 0
        for a in spans {
            var from = a.from
            while j < o.spans.count && o.spans[j].to <= from { j += 1 }
            var k = j
            while k < o.spans.count && o.spans[k].from < a.to {
                let b = o.spans[k]
                if b.from > from { out.append(Span(from, b.from)) }
                from = max(from, b.to)
                k += 1
            }
            if from < a.to { out.append(Span(from, a.to)) }
        }
        return IntervalSet(out)
    }

    public func clipped(to span: Span) -> IntervalSet { intersection(IntervalSet([span])) }

    /// The time of this set inside each of `windows` (sorted, disjoint), in
    /// one sweep: a half-year of 15-minute records is 17,000 windows.
    public func totals(in windows: [Span]) -> [Int64] {
        var out = [Int64](repeating: 0, count: windows.count)
        var j = 0
        for (i, w) in windows.enumerated() {
            while j < spans.count && spans[j].to <= w.from { j += 1 }
            var k = j
            while k < spans.count && spans[k].from < w.to {
                out[i] += max(0, min(spans[k].to, w.to) - max(spans[k].from, w.from))
                k += 1
            }
        }
        return out
    }
}
