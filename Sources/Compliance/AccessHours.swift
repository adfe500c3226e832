import Analysis
import Foundation

/// The hours a site is open to the public (`--access-hours FILE`), because
/// UK PCPR reg. 7(5) assesses a charge point that can be accessed only
/// during specific hours by reference to those hours alone.
///
/// CSV with a header `charge_point,days,open,close`: `charge_point` an
/// identity or `*` for every other one; `days` `Mon-Fri`, `Sat,Sun`, `daily`
/// or `*`; `open`/`close` local `HH:MM` (`close` `24:00` for midnight; a
/// close before the open runs past midnight). Times are the site's local
/// time (`--timezone`, default Europe/London), daylight saving included.
/// A charge point with no row is open all hours.
public struct AccessHours: Sendable {
    public struct Rule: Sendable, Equatable {
        public var chargePoint: String   // "*" for all
        public var weekdays: Set<Int>    // 1 = Monday … 7 = Sunday
        public var openMinute: Int
        public var closeMinute: Int
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var problem: String
        public var description: String { "access hours line \(line): \(problem)" }
    }

    public var rules: [Rule]
    public var timeZone: TimeZone

    public init(rules: [Rule], timeZone: TimeZone) {
        self.rules = rules
        self.timeZone = timeZone
    }

    public init(parsing text: String, timeZone: TimeZone) throws(ParseError) {
        self.timeZone = timeZone
        rules = []
        let names = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = CSVLine.fields(line)
            if f.first?.lowercased() == "charge_point" { continue }
            guard f.count >= 4 else { throw ParseError(line: i + 1, problem: "expected charge_point,days,open,close") }
            var days = Set<Int>()
            let spec = f[1].lowercased()
            if spec == "*" || spec == "daily" || spec == "all" {
                days = Set(1...7)
            } else {
                for part in spec.split(separator: ",") {
                    let ends = part.split(separator: "-").map { String($0.prefix(3)).trimmingCharacters(in: .whitespaces) }
                    guard let a = names[ends.first ?? ""], let b = names[ends.last ?? ""] else {
                        throw ParseError(line: i + 1, problem: "days \"\(f[1])\" must be like Mon-Fri, Sat,Sun or daily")
                    }
                    if a <= b { days.formUnion(a...b) } else { days.formUnion(a...7); days.formUnion(1...b) }
                }
            }
            guard let open = Self.minute(f[2]), let close = Self.minute(f[3]) else {
                throw ParseError(line: i + 1, problem: "open and close must be HH:MM (close 24:00 for midnight)")
            }
            rules.append(Rule(chargePoint: f[0].isEmpty ? "*" : f[0], weekdays: days, openMinute: open, closeMinute: close))
        }
    }

    static func minute(_ s: String) -> Int? {
        let p = s.split(separator: ":")
        guard p.count == 2, let h = Int(p[0]), let m = Int(p[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }

    /// The charge point's open hours within `window`, on the UTC axis; all of
    /// it when no rule names the charge point (or `*`).
    public func open(chargePoint: String, within window: Span) -> IntervalSet {
        let mine = rules.filter { $0.chargePoint == chargePoint }
        let applicable = mine.isEmpty ? rules.filter { $0.chargePoint == "*" } : mine
        guard !applicable.isEmpty else { return IntervalSet([window]) }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let startDate = Date(timeIntervalSince1970: Double(window.from) / 1_000_000)
        guard var day = cal.date(byAdding: .day, value: -1, to: cal.startOfDay(for: startDate)) else { return IntervalSet() }
        var spans: [Span] = []
        let end = Double(window.to) / 1_000_000
        while day.timeIntervalSince1970 < end {
            let weekday = (cal.component(.weekday, from: day) + 5) % 7 + 1   // Foundation: 1 = Sunday
            let parts = cal.dateComponents([.year, .month, .day], from: day)
            func at(_ minute: Int, dayOffset: Int = 0) -> Int64? {
                var c = parts
                c.day = (c.day ?? 1) + dayOffset + minute / 1440
                c.hour = (minute % 1440) / 60
                c.minute = minute % 60
                return cal.date(from: c).map { Int64(($0.timeIntervalSince1970 * 1_000_000).rounded()) }
            }
            for r in applicable where r.weekdays.contains(weekday) {
                let close = r.closeMinute <= r.openMinute ? r.closeMinute + 1440 : r.closeMinute
                if let a = at(r.openMinute), let b = at(close) { spans.append(Span(a, b)) }
            }
            guard let next = cal.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return IntervalSet(spans).clipped(to: window)
    }
}
