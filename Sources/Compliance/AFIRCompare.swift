import Analysis
import Reconcile

/// `afir compare`: what the operator published (AFIR Art. 20(2) dynamic
/// data, through OCPI) against what the chargers said over OCPP.
///
/// Each published update holds from its `last_updated` until the next one
/// for the same EVSE. A **disagreement** is time in which the published
/// status and the charger's (`StatusTimeline`) differ in AFIR's terms —
/// operational status, or availability while both are operational — while
/// both are known: published AVAILABLE while the port was Faulted or
/// offline, published OUTOFORDER while it charged. It is `late` when it
/// began with a change at the charger and ended when a publication caught
/// up with it, `wrong` otherwise. Before an EVSE's first publication, and
/// while either side is unknown, nothing is compared.
///
/// The **delay** of a change at the charger is the time until the published
/// status first agrees with it; a change the publication never followed
/// before the next change is `missed`.
public enum AFIRCompare {
    public struct Disagreement: Sendable, Equatable {
        public var evseId: String
        public var key: EVSEKey
        public var span: Span
        public var published: OCPIStatus
        public var reported: OCPIStatus
        /// The charger's own words (`Faulted (GroundFailure)`, `offline (silent)`).
        public var reportedText: String
        /// `late` or `wrong`.
        public var kind: String
    }

    public struct Summary: Sendable {
        public var evseId: String
        public var key: EVSEKey
        public var comparedMicros: Int64 = 0
        public var disagreementMicros: Int64 = 0
        public var changes = 0
        public var missedChanges = 0
        /// Delays of the changes the publication followed, in order.
        public var delays: [Int64] = []
        public var medianDelay: Int64? {
            guard !delays.isEmpty else { return nil }
            let s = delays.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        public var maxDelay: Int64? { delays.max() }
    }

    public struct Result: Sendable {
        public var disagreements: [Disagreement] = []
        public var summaries: [Summary] = []
        /// Published EVSEs that could not be compared, and why.
        public var problems: [String] = []
    }

    public static func compare(updates: [PublishedStatus.Update], map: EVSEMap, timelines: [EVSETimeline]) -> Result {
        var result = Result()
        var groups: [String: (EVSETimeline, [PublishedStatus.Update])] = [:]
        var order: [String] = []
        var unmapped = Set<String>()
        for u in updates {
            guard let target = map.target(evseId: u.evseId, evseUid: u.uid) else {
                if unmapped.insert(u.name).inserted { result.problems.append("\(u.name): not in the EVSE map (--evse-map)") }
                continue
            }
            let candidates = timelines.filter { $0.key.chargePoint == target.chargePoint && (target.port == nil || $0.key.number == target.port!.number) }
            guard candidates.count == 1, let t = candidates.first else {
                if unmapped.insert(u.name).inserted {
                    result.problems.append(candidates.isEmpty
                        ? "\(u.name): \(target.chargePoint) \(target.port?.description ?? "") has no status history"
                        : "\(u.name): \(target.chargePoint) has several EVSEs; name the connector in the EVSE map")
                }
                continue
            }
            if groups[u.name] == nil { order.append(u.name); groups[u.name] = (t, []) }
            groups[u.name]!.1.append(u)
        }
        for name in order {
            let (timeline, ups) = groups[name]!
            let (d, s) = compare(name: name, timeline: timeline, updates: ups)
            result.disagreements += d
            result.summaries.append(s)
        }
        return result
    }

    static func compare(name: String, timeline: EVSETimeline, updates: [PublishedStatus.Update]) -> ([Disagreement], Summary) {
        var summary = Summary(evseId: name, key: timeline.key)
        // The published step function; of updates at one instant the last in the file wins.
        var pubs: [(Int64, OCPIStatus)] = []
        for u in updates.enumerated().sorted(by: { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }).map(\.element) {
            if let last = pubs.last, last.0 == u.time { pubs[pubs.count - 1] = (u.time, u.status) } else { pubs.append((u.time, u.status)) }
        }
        let segs = timeline.segments
        guard let first = pubs.first, let end = segs.last?.span.to, end > first.0 else { return ([], summary) }
        func published(at t: Int64) -> (OCPIStatus, Int) {
            var i = pubs.count - 1
            while i > 0 && pubs[i].0 > t { i -= 1 }
            return (pubs[i].1, i)
        }
        var cuts = Set(pubs.map(\.0).filter { $0 < end })
        for s in segs where s.span.from > first.0 && s.span.from < end { cuts.insert(s.span.from) }
        cuts.insert(end)
        let points = cuts.sorted()
        var out: [Disagreement] = []
        var segIndex = 0
        for (a, b) in zip(points, points.dropFirst()) {
            while segIndex < segs.count && segs[segIndex].span.to <= a { segIndex += 1 }
            guard segIndex < segs.count, segs[segIndex].span.from <= a else { continue }
            let r = segs[segIndex]
            let (p, _) = published(at: a)
            guard p != .unknown, r.status != .unknown else { continue }
            summary.comparedMicros += b - a
            guard !p.agreesForAFIR(with: r.status) else { continue }
            summary.disagreementMicros += b - a
            if var last = out.last, last.span.to == a, last.published == p, last.reported == r.status, last.reportedText == r.reported {
                last.span.to = b
                out[out.count - 1] = last
            } else {
                out.append(Disagreement(evseId: name, key: timeline.key, span: Span(a, b), published: p, reported: r.status,
                                        reportedText: r.reported, kind: "wrong"))
            }
        }
        // Late: began at a change at the charger, ended by a publication that agreed.
        let changeTimes = Set(zip(segs, segs.dropFirst()).filter { !$0.0.status.agreesForAFIR(with: $0.1.status) }.map(\.1.span.from))
        for i in out.indices {
            let d = out[i]
            let endsByPublication = pubs.contains { $0.0 == d.span.to && $0.1.agreesForAFIR(with: d.reported) }
            if changeTimes.contains(d.span.from) && endsByPublication { out[i].kind = "late" }
        }
        // Delays of each change at the charger inside the compared window.
        for (k, s) in segs.enumerated() where k > 0 && s.span.from >= first.0 && s.status != .unknown
            && segs[k - 1].status != .unknown && !segs[k - 1].status.agreesForAFIR(with: s.status) {
            summary.changes += 1
            // Until the next change of AFIR state.
            var until = end
            for n in segs[(k + 1)...] where !n.status.agreesForAFIR(with: s.status) { until = n.span.from; break }
            if published(at: s.span.from).0.agreesForAFIR(with: s.status) {
                summary.delays.append(0)
            } else if let hit = pubs.first(where: { $0.0 > s.span.from && $0.0 < until && $0.1.agreesForAFIR(with: s.status) }) {
                summary.delays.append(hit.0 - s.span.from)
            } else {
                summary.missedChanges += 1
            }
        }
        return (out, summary)
    }
}
