import Frames

/// Reporting periods: calendar months, quarters, years (UTC), or the whole window.
public enum PeriodKind: String, CaseIterable, Sendable {
    case month, quarter, year, all

    /// Splits [from, to) at calendar boundaries of this kind.
    public func periods(from: Int64, to: Int64) -> [Span] {
        guard to > from else { return [] }
        if self == .all { return [Span(from, to)] }
        var out: [Span] = []
        var start = from
        while start < to {
            let next = min(to, PeriodKind.boundary(after: start, kind: self))
            out.append(Span(start, next))
            start = next
        }
        return out
    }

    /// The first boundary strictly after `t`.
    static func boundary(after t: Int64, kind: PeriodKind) -> Int64 {
        let days = Int(floorDiv(t, 86_400_000_000))
        var (y, m, _) = civil(days)
        switch kind {
        case .month: m += 1
        case .quarter: m = ((m - 1) / 3 + 1) * 3 + 1
        case .year: y += 1; m = 1
        case .all: return Int64.max
        }
        if m > 12 { y += (m - 1) / 12; m = (m - 1) % 12 + 1 }
        return Int64(Timestamp.days(year: y, month: m, day: 1)) * 86_400_000_000
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    static func civil(_ days: Int) -> (Int, Int, Int) {
        let t = Timestamp(microseconds: Int64(days) * 86_400_000_000).iso8601
        let parts = t.prefix(10).split(separator: "-").map { Int($0)! }
        return (parts[0], parts[1], parts[2])
    }

    /// `2026Q1` → [2026-01-01, 2026-04-01); also `2026H1` (half years) and `2026-03` (months).
    public static func named(_ name: String) -> Span? {
        let n = name.uppercased()
        if n.count == 6, let y = Int(n.prefix(4)), n.dropFirst(4).first == "Q", let q = Int(n.suffix(1)), (1...4).contains(q) {
            return span(y, (q - 1) * 3 + 1, months: 3)
        }
        if n.count == 6, let y = Int(n.prefix(4)), n.dropFirst(4).first == "H", let h = Int(n.suffix(1)), (1...2).contains(h) {
            return span(y, (h - 1) * 6 + 1, months: 6)
        }
        if n.count == 7, let y = Int(n.prefix(4)), n.dropFirst(4).first == "-", let m = Int(n.suffix(2)), (1...12).contains(m) {
            return span(y, m, months: 1)
        }
        if n.count == 4, let y = Int(n) { return span(y, 1, months: 12) }
        return nil
    }

    private static func span(_ y: Int, _ m: Int, months: Int) -> Span {
        var ey = y, em = m + months
        if em > 12 { ey += 1; em -= 12 }
        return Span(Int64(Timestamp.days(year: y, month: m, day: 1)) * 86_400_000_000,
                    Int64(Timestamp.days(year: ey, month: em, day: 1)) * 86_400_000_000)
    }
}
