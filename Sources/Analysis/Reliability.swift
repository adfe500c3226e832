import Queries
import Store

/// The reliability a driver sees, from the charge attempts: the documented
/// queries `reliability-*` (attempts and failures by cause, visits, and the
/// ChargeX KPIs) run with the same grouping, period and thresholds, their
/// rows merged by group and period.
public enum Reliability {
    /// The queries, in the order their columns are reported.
    public static let queries = [
        "reliability-attempts", "reliability-visits", "reliability-chargex-session-success",
        "reliability-chargex-charge-start-success", "reliability-chargex-charge-end-success",
        "reliability-chargex-charge-start-time",
    ]

    public static let groupings = ["port", "charge-point", "location", "vendor", "firmware", "fleet"]
    public static let periods = ["day", "week", "month", "all"]

    /// One group in one period, every query's columns by name.
    public struct Line: Sendable {
        public var group: String
        public var period: String
        public var values: [String: SQLValue]
    }

    /// Parameters: `by`, `period`, `cp`, `since`, `until`, `min_energy_wh`,
    /// `visit_minutes`, `anonymous_visit_minutes`, `max_seconds` (see the queries' headers).
    public static func lines(store: Store, parameters: [String: SQLValue]) throws -> [Line] {
        var lines: [String: Line] = [:]
        for name in queries {
            guard let q = QueryCatalog.named(name) else { throw QueryError("built-in query \(name) is missing") }
            try store.rows(q.sql, parameters) { r in
                let group = r.text("grp") ?? "", period = r.text("period") ?? ""
                let key = group + "\u{1F}" + period
                var line = lines[key] ?? Line(group: group, period: period, values: [:])
                for (c, v) in zip(r.columns, r.values) where c != "grp" && c != "period" { line.values[c] = v }
                lines[key] = line
            }
        }
        return lines.values.sorted { ($0.group, $0.period) < ($1.group, $1.period) }
    }
}
