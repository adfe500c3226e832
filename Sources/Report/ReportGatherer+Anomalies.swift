import Analysis
import Foundation
import Frames
import Queries
import Store

/// Section 4: the anomaly catalogue over the period, and which findings to show first.
extension ReportGatherer {
    func anomalies(_ scope: ReportScope) throws -> AnomalySection {
        var a = AnomalySection()
        var all: [AnomalyFinding] = []
        for kind in QueryCatalog.anomalyKinds {
            var n = 0
            try store.rows(query("anomaly-" + kind), ["cp": scope.chargePoint.map { .text($0) } ?? .null]) { r in
                let f = AnomalyFinding(kind: kind, chargePoint: r.text("charge_point"), connector: r.int("connector").map(Int.init),
                                       from: r.int("from_us"), to: r.int("to_us"), detail: r.text("detail"))
                guard Self.overlaps(f, scope.span) else { return }
                n += 1
                all.append(f)
            }
            a.counts.append(LabelledCount(kind, n))
        }
        a.counts.sort { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
        a.total = all.count
        a.top = Self.top(all, perKind: topPerKind, total: topTotal)
        return a
    }

    /// A finding belongs to the period when its span touches it; a finding
    /// without a time (a rate over the whole data) always does.
    static func overlaps(_ f: AnomalyFinding, _ window: Span) -> Bool {
        guard let from = f.from else { return true }
        let to = f.to ?? from
        return from < window.to && to >= window.from
    }

    /// The findings to show first: the longest of each kind (a 90-minute
    /// stuck connector before a 1-minute one), at most `perKind` of a kind,
    /// kinds with the most findings first.
    public static func top(_ findings: [AnomalyFinding], perKind: Int, total: Int) -> [AnomalyFinding] {
        var byKind: [String: [AnomalyFinding]] = [:]
        var order: [String] = []
        for f in findings {
            if byKind[f.kind] == nil { order.append(f.kind) }
            byKind[f.kind, default: []].append(f)
        }
        order.sort { (byKind[$0]!.count, $1) > (byKind[$1]!.count, $0) }
        func length(_ f: AnomalyFinding) -> Int64 { (f.to ?? f.from ?? 0) - (f.from ?? 0) }
        var out: [AnomalyFinding] = []
        for k in order {
            let sorted = byKind[k]!.enumerated().sorted { a, b in
                length(a.element) != length(b.element) ? length(a.element) > length(b.element) : a.offset < b.offset
            }.map(\.element)
            out += sorted.prefix(perKind)
        }
        return Array(out.prefix(total))
    }
}
